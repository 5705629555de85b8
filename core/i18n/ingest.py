"""Messages of the ingest area: unusable files, row rejections, field names, maturity notices."""

MESSAGES: dict[str, dict[str, str]] = {
    # Unusable files (IngestError).
    "ingest.file.empty": {"zh": "文件“{file}”是空的，没有任何内容", "en": "File “{file}” is empty"},
    "ingest.file.unreadable": {
        "zh": "无法读取文件“{file}”：{error}",
        "en": "Cannot read file “{file}”: {error}",
    },
    "ingest.file.binary": {
        "zh": "文件“{file}”不是 CSV 文本或 Excel 表格（内容像是二进制数据），请导出为 CSV 或 Excel 后再导入",
        "en": "File “{file}” is neither CSV text nor an Excel workbook (it looks binary); export it as CSV or Excel",
    },
    "ingest.file.html": {
        "zh": "文件“{file}”实际是网页（HTML/XML）格式，不是真正的 Excel 文件；请用 Excel 打开后另存为 .xlsx 或 CSV 再导入",
        "en": "File “{file}” is really an HTML/XML page, not an Excel workbook; open it in Excel and save as .xlsx or CSV",
    },
    "ingest.file.encoding": {
        "zh": "文件“{file}”的文字编码无法识别（已尝试 UTF-8 与 GBK/GB18030），请另存为 UTF-8 或 GBK 编码的 CSV",
        "en": "File “{file}”: unknown text encoding (tried UTF-8 and GBK/GB18030); save it as UTF-8 or GBK CSV",
    },
    "ingest.file.decode_row": {
        "zh": "文件“{file}”第 {row} 行含有无法按 {encoding} 解码的字节（文件前部按 {encoding} 识别），请确认整份文件使用同一种编码",
        "en": "File “{file}” line {row} has bytes that are not valid {encoding} (the start of the file is {encoding}); "
        "save the whole file in one encoding",
    },
    "ingest.file.excel": {
        "zh": "文件“{file}”无法作为 Excel 工作簿读取（{error}），可能已损坏或加密",
        "en": "File “{file}” cannot be read as an Excel workbook ({error}); it may be damaged or encrypted",
    },
    "ingest.file.no_sheet": {
        "zh": "文件“{file}”中没有名为“{sheet}”的工作表；现有工作表：{names}",
        "en": "File “{file}” has no sheet “{sheet}”; its sheets: {names}",
    },
    "ingest.file.sheet_empty": {
        "zh": "文件“{file}”的工作表“{sheet}”是空的；现有工作表：{names}（可指定工作表名称）",
        "en": "Sheet “{sheet}” of file “{file}” is empty; its sheets: {names} (name the sheet to read)",
    },
    "ingest.file.no_header": {
        "zh": "文件“{file}”前 {limit} 行中找不到表头行；看到的内容：{seen}",
        "en": "File “{file}”: no header row in the first {limit} rows; seen: {seen}",
    },
    "ingest.file.parse": {
        "zh": "文件“{file}”第 {row} 行无法解析：{error}",
        "en": "File “{file}” line {row} cannot be parsed: {error}",
    },
    "ingest.map.unknown_field": {
        "zh": "列映射中的字段“{field}”不存在；可用字段：{fields}。文件“{file}”的表头：{headers}",
        "en": "Unknown field “{field}” in the column mapping; fields: {fields}. Headers of “{file}”: {headers}",
    },
    "ingest.map.header_absent": {
        "zh": "文件“{file}”中没有列映射指定的表头“{header}”（对应字段“{field}”）；文件的表头：{headers}",
        "en": "File “{file}” has no header “{header}” (mapped to “{field}”); its headers: {headers}",
    },
    "ingest.map.field": {"zh": "{label}（{field}）", "en": "{label} ({field})"},
    "ingest.map.missing": {
        "zh": "文件“{file}”缺少必需的列：{missing}；文件第 {row} 行的表头为：{headers}。请检查导出内容，或在列映射中指定对应的列",
        "en": "File “{file}” lacks required columns: {missing}; its headers (row {row}): {headers}. "
        "Check the export or map the columns explicitly",
    },
    "ingest.map.ambiguous": {
        "zh": "“{used}”与“{other}”都可作为{field}，已使用“{used}”（可在列映射中改选）",
        "en": "Both “{used}” and “{other}” could be {field}; “{used}” was used (change it in the column mapping)",
    },
    "ingest.map.duplicate": {
        "zh": "表头“{header}”出现了 {count} 次，{field}只读取了第一列（可在列映射中改选其他列）",
        "en": "Header “{header}” appears {count} times; {field} was read from the first one (map another explicitly)",
    },
    "ingest.map.title_unit": {
        "zh": "表头上方注明“单位：{unit}”，“{column}”的数值已乘以 {multiplier} 折算为元",
        "en": "The rows above the header say “单位：{unit}”: “{column}” was multiplied by {multiplier} to get 元",
    },
    # Row rejections and ignored values (reasons name the column as headed in the file).
    "ingest.reject.empty": {"zh": "{column}为空", "en": "{column} is empty"},
    "ingest.reject.not_number": {
        "zh": "{column}“{value}”不是数字",
        "en": "{column} “{value}” is not a number",
    },
    "ingest.reject.id_scientific": {
        "zh": "{column}“{value}”是科学计数法，原号码已丢失（文件可能被 Excel 另存过），请从系统重新导出",
        "en": "{column} “{value}” is in scientific notation and the digits are lost (the file was probably re-saved "
        "by Excel); export it again from the system",
    },
    "ingest.reject.negative": {"zh": "{column}“{value}”为负数", "en": "{column} “{value}” is negative"},
    "ingest.reject.not_date": {"zh": "{column}“{value}”不是日期", "en": "{column} “{value}” is not a date"},
    "ingest.warn.not_date": {
        "zh": "{column}“{value}”不是日期，该值已留空",
        "en": "{column} “{value}” is not a date; left empty",
    },
    "ingest.warn.not_familiarity": {
        "zh": "{column}“{value}”无法识别为熟识程度（可用 1–5 或 陌生/较低/一般/较高/熟悉），该值已留空",
        "en": "{column} “{value}” is not a familiarity (1–5 or 陌生/较低/一般/较高/熟悉); left empty",
    },
    # Labels used inside messages and tables.
    "ingest.label.upload": {"zh": "上传文件", "en": "uploaded file"},
    "ingest.label.none": {"zh": "（无）", "en": "(none)"},
    "ingest.label.quoted": {"zh": "“{text}”", "en": "“{text}”"},
    "ingest.label.no_sheets": {"zh": "没有工作表", "en": "no sheets"},
    "ingest.label.unnamed_column": {"zh": "(第{n}列)", "en": "(column {n})"},
    # Canonical field names.
    "ingest.field.customer_id": {"zh": "客户号", "en": "customer id"},
    "ingest.field.name": {"zh": "客户姓名", "en": "name"},
    "ingest.field.phone": {"zh": "联系电话", "en": "phone"},
    "ingest.field.outlet": {"zh": "所属网点", "en": "outlet"},
    "ingest.field.assets": {"zh": "资产余额", "en": "assets"},
    "ingest.field.maturity_date": {"zh": "到期日", "en": "maturity date"},
    "ingest.field.birthday": {"zh": "出生日期", "en": "birthday"},
    "ingest.field.manager": {"zh": "管户人员", "en": "account manager"},
    "ingest.field.familiarity": {"zh": "熟识程度", "en": "familiarity"},
    "ingest.field.product": {"zh": "业务种类", "en": "product"},
    "ingest.field.amount": {"zh": "金额", "en": "amount"},
}
