"""Messages for files refused by the input limits (core/ingest/limits.toml)."""

MESSAGES = {
    "limits.max_file_mb": {
        "zh": "文件“{file}”有 {found} MB，超过单个文件上限 {limit} MB（限额 max_file_mb），未读取",
        "en": "File “{file}” is {found} MB, over the {limit} MB limit (max_file_mb); not read",
    },
    "limits.max_uncompressed_mb": {
        "zh": "文件“{file}”解压后有 {found} MB，超过解压上限 {limit} MB（限额 max_uncompressed_mb），未读取",
        "en": "File “{file}” unpacks to {found} MB, over the {limit} MB limit (max_uncompressed_mb); not read",
    },
    "limits.ratio_member": {"zh": "{ratio}（{member}）", "en": "{ratio} ({member})"},
    "limits.max_ratio": {
        "zh": "文件“{file}”的压缩比为 {found}，超过上限 {limit} 倍（限额 max_ratio），疑似压缩炸弹，未读取",
        "en": "File “{file}” has a compression ratio of {found}, over {limit} (max_ratio); not read",
    },
    "limits.max_zip_members": {
        "zh": "文件“{file}”内含 {found} 个部件，超过上限 {limit} 个（限额 max_zip_members），未读取",
        "en": "File “{file}” holds {found} parts, over the limit of {limit} (max_zip_members); not read",
    },
    "limits.max_csv_lines": {
        "zh": "文件“{file}”有 {found} 行，超过行数上限 {limit} 行（限额 max_csv_lines），未读取",
        "en": "File “{file}” has {found} lines, over the limit of {limit} (max_csv_lines); not read",
    },
    "limits.max_line_kb": {
        "zh": "文件“{file}”第 {row} 行长 {found} KB，超过单行上限 {limit} KB（限额 max_line_kb），未读取",
        "en": "File “{file}” line {row} is {found} KB long, over {limit} KB (max_line_kb); not read",
    },
    "limits.max_columns_row": {
        "zh": "文件“{file}”第 {row} 行有 {found} 列，超过列数上限 {limit} 列（限额 max_columns），未读取",
        "en": "File “{file}” row {row} has {found} columns, over the limit of {limit} (max_columns); not read",
    },
    "limits.max_rows_sheet": {
        "zh": "文件“{file}”的工作表{kind}有 {found} 行，超过行数上限 {limit} 行（限额 max_rows），未读取",
        "en": "File “{file}”: a sheet's {kind} extent has {found} rows, over {limit} (max_rows); not read",
    },
    "limits.max_columns_sheet": {
        "zh": "文件“{file}”的工作表{kind}有 {found} 列，超过列数上限 {limit} 列（限额 max_columns），未读取",
        "en": "File “{file}”: a sheet's {kind} extent has {found} columns, over {limit} (max_columns); not read",
    },
    "limits.max_cells": {
        "zh": "文件“{file}”的工作表{kind}为 {rows} 行 × {cols} 列（{found} 格），超过单元格上限 {limit} 格（限额 max_cells），未读取",
        "en": "File “{file}”: a sheet's {kind} extent is {rows} × {cols} ({found} cells), over {limit} (max_cells); not read",
    },
    "limits.config.toml": {
        "zh": "输入文件限额配置 {origin} 不是有效的 TOML：{error}",
        "en": "The input limits file {origin} is not valid TOML: {error}",
    },
    "limits.config.items": {
        "zh": "输入文件限额配置 {origin}：{items}",
        "en": "The input limits file {origin}: {items}",
    },
    "limits.config.unknown": {"zh": "未知项 {name}", "en": "unknown item {name}"},
    "limits.config.missing": {"zh": "缺少 {name}", "en": "{name} is missing"},
    "limits.config.value": {
        "zh": "输入文件限额配置 {origin}：{name} 应为 1 到 {ceiling} 之间的整数，收到 {value}",
        "en": "The input limits file {origin}: {name} should be a whole number from 1 to {ceiling}, got {value}",
    },
    "limits.config.unreadable": {
        "zh": "无法读取输入文件限额配置 {path}：{error}",
        "en": "Cannot read the input limits file {path}: {error}",
    },
    "limits.claimed": {"zh": "声明的范围", "en": "claimed"},
    "limits.real": {"zh": "实际单元格范围", "en": "real"},
    "limits.tag": {
        "zh": "文件“{file}”的部件 {member} 含超长 XML 标记，不是正常的 Excel 文件，未读取",
        "en": "File “{file}”: part {member} holds an over-long XML tag; not read",
    },
    "limits.xlsb": {
        "zh": "文件“{file}”是 XLSB 二进制工作簿，不支持；请在 Excel 中另存为 .xlsx 后再导入",
        "en": "File “{file}” is an XLSB workbook, which is not supported; save it as .xlsx",
    },
    # What a workbook expands to (issue 22)
    "limits.max_cell_kb": {
        "zh": "文件“{file}”有一个单元格或共享字符串长 {found} KB，超过单格文本上限 {limit} KB（限额 max_cell_kb），未读取",
        "en": "File “{file}” holds a cell or shared string of {found} KB, over {limit} KB (max_cell_kb); not read",
    },
    "limits.max_shared_strings_mb": {
        "zh": "文件“{file}”的共享字符串共 {found} MB，超过上限 {limit} MB（限额 max_shared_strings_mb），未读取",
        "en": "File “{file}” has {found} MB of shared strings, over {limit} MB (max_shared_strings_mb); not read",
    },
    "limits.shared_count": {
        "zh": "文件“{file}”有 {found} 个共享字符串，超过单元格上限 {limit} 个（限额 max_cells），未读取",
        "en": "File “{file}” has {found} shared strings, over {limit} (max_cells); not read",
    },
    "limits.max_text_mb": {
        "zh": "文件“{file}”的工作表（{member}）单元格文本展开后有 {found} MB，超过上限 {limit} MB（限额 max_text_mb），未读取",
        "en": "File “{file}”: the cells of sheet ({member}) expand to {found} MB of text, over {limit} MB (max_text_mb); not read",
    },
    "limits.max_frame_mb": {
        "zh": "文件“{file}”的工作表（{member}）读取约需 {found} MB 内存（{rows} 行 × {cols} 列，文本 {text} MB），超过上限 {limit} MB（限额 max_frame_mb），未读取",
        "en": "File “{file}”: reading sheet ({member}) would take about {found} MB ({rows} × {cols}, {text} MB of text), over {limit} MB (max_frame_mb); not read",
    },
    "limits.max_csv_cells": {
        "zh": "文件“{file}”约有 {found} 个单元格，超过上限 {limit} 个（限额 max_csv_cells），未读取",
        "en": "File “{file}” holds about {found} cells, over {limit} (max_csv_cells); not read",
    },
    # Legacy XLS (BIFF8 in an OLE2 compound file), measured before calamine reads it
    "limits.max_frame_mb_book": {
        "zh": "文件“{file}”的 {sheets} 个工作表读取约需 {found} MB 内存（XLS 打开时全部工作表一并读入；最大的是“{member}”：{rows} 行 × {cols} 列，文本 {text} MB），超过上限 {limit} MB（限额 max_frame_mb），未读取",
        "en": "File “{file}”: reading its {sheets} sheets (an XLS is read whole) would take about {found} MB (largest {member}: {rows} × {cols}, {text} MB of text), over {limit} MB (max_frame_mb); not read",
    },
    "limits.max_xls_records": {
        "zh": "文件“{file}”的记录和共享字符串超过 {limit} 条（已数到 {found} 条；限额 max_xls_records），未读取",
        "en": "File “{file}” holds more than {limit} records and shared strings ({found} counted; max_xls_records); not read",
    },
    "limits.xls_malformed": {
        "zh": "文件“{file}”不是有效的 XLS 工作簿（{error}），未读取；请在 Excel 中另存为 .xlsx 后再导入",
        "en": "File “{file}” is not a valid XLS workbook ({error}); not read. Save it as .xlsx",
    },
    "limits.xls_truncated": {"zh": "文件不完整", "en": "the file is cut short"},
    "limits.xls_header": {"zh": "复合文件头异常", "en": "a damaged compound-file header"},
    "limits.xls_chain": {"zh": "扇区链断裂或成环", "en": "a broken or looping sector chain"},
    "limits.xls_no_stream": {"zh": "找不到工作簿数据流", "en": "no Workbook stream"},
    "limits.xls_record": {
        "zh": "第 {at} 字节处的记录超出数据流",
        "en": "the record at byte {at} runs past the stream",
    },
    "limits.xls_sst": {"zh": "共享字符串表结构异常", "en": "a damaged shared-string table"},
    "limits.xls_sheet": {"zh": "第 {number} 个工作表", "en": "sheet {number}"},
    "limits.reader_failed": {
        "zh": "文件“{file}”无法读取（{error}），未导入；请在 Excel 中另存为新的 .xlsx 或导出为 CSV 后再试",
        "en": "File “{file}” could not be read ({error}); not imported. Save it again as .xlsx or CSV",
    },
    "ingest.reject.too_large": {
        "zh": "{column}“{value}”超出合理范围（限额 max_amount_yuan），请核对",
        "en": "{column} “{value}” is beyond any plausible amount (max_amount_yuan)",
    },
    "ingest.warn.birthday": {
        "zh": "{column}“{value}”不是合理的出生日期（晚于数据日期或早于 1900 年），已留空",
        "en": "{column} “{value}” is not a plausible birth date (after the data date or before 1900); left empty",
    },
    "ingest.file.nul": {
        "zh": "文件“{file}”第 {row} 行含有空字符（NUL），不是正常的文本导出，未读取",
        "en": "File “{file}” line {row} holds a NUL character; not a text export, not read",
    },
}
