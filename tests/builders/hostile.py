"""Hostile input files, built in the test run: XLSX/ODS/CSV shapes that claim or hold more than a reader can bear."""

from __future__ import annotations

import io
import zipfile

HEAD = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)
TWO_CELLS = b'<row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c><c r="B1"><v>1</v></c></row>'


def xlsx(
    sheet_xml: bytes,
    *,
    level: int = 9,
    path: str = "worksheets/sheet1.xml",
    shared: list[str] | None = None,
) -> bytes:
    """A minimal valid workbook whose only sheet is ``sheet_xml``, stored at ``xl/<path>``; ``shared``: the strings
    of xl/sharedStrings.xml (cells reference them as ``<c t="s"><v>index</v></c>``)."""
    ns = "http://schemas.openxmlformats.org"
    parts = {
        "[Content_Types].xml": f'<?xml version="1.0"?><Types xmlns="{ns}/package/2006/content-types">'
        f'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        f'<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" '
        f'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        f'<Override PartName="/xl/{path}" '
        f'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
        "_rels/.rels": f'<?xml version="1.0"?><Relationships xmlns="{ns}/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{ns}/officeDocument/2006/relationships/officeDocument" '
        f'Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<?xml version="1.0"?><workbook xmlns="{ns}/spreadsheetml/2006/main" '
        f'xmlns:r="{ns}/officeDocument/2006/relationships"><sheets>'
        f'<sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": f'<?xml version="1.0"?><Relationships xmlns="{ns}/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{ns}/officeDocument/2006/relationships/worksheet" '
        f'Target="{path}"/></Relationships>',
        f"xl/{path}": sheet_xml,
    }
    if shared is not None:
        rel = (
            f'<Relationship Id="rId2" Type="{ns}/officeDocument/2006/relationships/sharedStrings" '
            'Target="sharedStrings.xml"/></Relationships>'
        )
        parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(
            "</Relationships>", rel
        )
        parts["xl/sharedStrings.xml"] = (
            f'<?xml version="1.0"?><sst xmlns="{ns}/spreadsheetml/2006/main" count="{len(shared)}" '
            f'uniqueCount="{len(shared)}">' + "".join(f"<si><t>{text}</t></si>" for text in shared) + "</sst>"
        )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as book:
        for name, body in parts.items():
            book.writestr(name, body)
    return buffer.getvalue()


def sheet(dimension: str | None, body: bytes) -> bytes:
    claimed = f'<dimension ref="{dimension}"/>'.encode() if dimension else b""
    return HEAD + claimed + b"<sheetData>" + body + b"</sheetData></worksheet>"


def bomb_sheet(megabytes: int) -> bytes:
    row = b'<row><c t="inlineStr"><is><t>' + b"9" * 200 + b"</t></is></c></row>"
    return sheet(None, row * (megabytes * 1024 * 1024 // len(row)))


def ods(repeated_cell: str, rows: int = 1048575) -> bytes:
    """An ODS sheet: one header row, then one row repeated ``rows`` times holding ``repeated_cell``."""
    ns = 'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    ns += 'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    ns += 'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
    content = (
        f'<?xml version="1.0"?><office:document-content {ns} office:version="1.2"><office:body>'
        '<office:spreadsheet><table:table table:name="S"><table:table-row><table:table-cell '
        'office:value-type="string"><text:p>客户号</text:p></table:table-cell></table:table-row>'
        f'<table:table-row table:number-rows-repeated="{rows}">{repeated_cell}</table:table-row>'
        "</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as book:
        book.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        book.writestr("content.xml", content)
    return buffer.getvalue()


HEADER = b'<row r="1"><c r="A1" t="inlineStr"><is><t>ID</t></is></c><c r="B1"><v>1</v></c></row>'


def shared_references(cells: int, text: str) -> bytes:
    """A workbook whose one shared string ``text`` is referenced by ``cells`` cells under a header row."""
    rows = b"".join(
        f'<row r="{r}"><c r="A{r}" t="s"><v>0</v></c></row>'.encode() for r in range(2, cells + 2)
    )
    return xlsx(sheet(None, HEADER + rows), shared=[text])


NEAR_MIB = "x" * (1024 * 1024 - 200)  # just under 1 MiB: the zip's ratio check judges only members above 1 MB


VALUED_REPEAT = (
    '<table:table-cell office:value-type="float" office:value="1" table:number-columns-repeated="16384">'
    "<text:p>1</text:p></table:table-cell>"
)

# name -> (file bytes, a phrase the one-line refusal must contain)
SHAPES = {
    "dimension_claims_whole_sheet.xlsx": (xlsx(sheet("A1:XFD1048576", TWO_CELLS)), "max_columns"),
    "dimension_claims_rows.xlsx": (xlsx(sheet("A1:C99999999", TWO_CELLS)), "max_rows"),
    "dimension_claims_cells.xlsx": (xlsx(sheet("A1:ALL1000000", TWO_CELLS)), "max_cells"),
    "real_cell_far_away.xlsx": (
        xlsx(sheet("A1:B1", TWO_CELLS + b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>')),
        "max_columns",
    ),
    "cells_without_references.xlsx": (
        xlsx(sheet(None, b"<row>" + b"<c><v>1</v></c>" * 5000 + b"</row>")),
        "max_columns",
    ),
    "xml_bomb.xlsx": (xlsx(bomb_sheet(60)), "max_ratio"),
    "million_columns.csv": (b"a," * 10**6 + b"a\n1," * 1 + b"2\n", "max_line_kb"),
    "wide_row.csv": ("客户号,资产余额\n".encode() + b",".join([b"1"] * 5000) + b"\n", "max_columns"),
    "repeated_values.ods": (ods(VALUED_REPEAT), "max_columns"),
    "sheet_stored_elsewhere.xlsx": (
        xlsx(sheet(None, TWO_CELLS + b'<row r="2"><c r="XFD2"><v>1</v></c></row>'), path="data/s.xml"),
        "max_columns",
    ),
    "reference_padded_with_zeros.xlsx": (
        xlsx(sheet(None, TWO_CELLS + b'<row><c r="B' + b"0" * 20 + b'2000000"><v>1</v></c></row>')),
        "max_rows",
    ),
    "prefixed_far_cell.xlsx": (
        xlsx(sheet(None, TWO_CELLS + b'<row r="2"><x:c\tr="XFD2" xmlns:x="urn:x"><x:v>1</x:v></x:c></row>')),
        "max_columns",
    ),
    # What a small file expands to (issue 22): 13 KB referencing a 1 MiB string 2,000 times (2 GB of text), a 100 KB
    # string referenced 3,000 times (300 MB), an inline cell of 200 KB, and two real cells a million rows apart.
    "shared_string_near_1mib_x2000.xlsx": (shared_references(2000, NEAR_MIB), "max_cell_kb"),
    "shared_string_100kb_x3000.xlsx": (shared_references(3000, "y" * 100 * 1024), "max_text_mb"),
    "inline_cell_200kb.xlsx": (
        xlsx(
            sheet(
                None,
                HEADER
                + b'<row r="2"><c r="A2" t="inlineStr"><is><t>'
                + b"z" * 200 * 1024
                + b"</t></is></c></row>",
            )
        ),
        "max_cell_kb",
    ),
    "cells_a_million_rows_apart.xlsx": (
        xlsx(sheet(None, HEADER + b'<row r="1000000"><c r="T1000000"><v>1</v></c></row>')),
        "max_frame_mb",
    ),
    # 10 KB of text in one cell standing for 1,000 columns x 1,000 rows: 10 GB once the reader repeats it.
    "repeated_long_text.ods": (
        ods(
            '<table:table-cell office:value-type="string" table:number-columns-repeated="1000">'
            f"<text:p>{'w' * 10240}</text:p></table:table-cell>",
            rows=1000,
        ),
        "max_text_mb",
    ),
    "xlsb_sheet.xlsx": (
        xlsx(sheet(None, TWO_CELLS)).replace(b"xl/worksheets/sheet1.xml", b"xl/worksheets/sheet1.bin"),
        "XLSB",
    ),
}
