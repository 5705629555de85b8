"""Hostile input files, built in the test run: XLSX/ODS/CSV shapes that claim or hold more than a reader can bear."""

from __future__ import annotations

import io
import struct
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


# Legacy XLS (BIFF8 records in an OLE2 compound file), written here byte by byte: no XLS writer is a dependency.
_ENDOFCHAIN, _FATSECT, _DIFSECT, _FREESECT = 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFC, 0xFFFFFFFF
_MAX_RECORD = 8224  # BIFF8's longest record body; longer data goes on in CONTINUE (0x003C) records


def record(kind: int, body: bytes = b"") -> bytes:
    return struct.pack("<HH", kind, len(body)) + body


def _bof(kind: int) -> bytes:
    return record(0x0809, struct.pack("<HHHHII", 0x0600, kind, 0x0DBB, 0x07CC, 0, 0x0206))


def number(row: int, col: int, value: float) -> bytes:
    return record(0x0203, struct.pack("<HHHd", row, col, 0, value))


def labelsst(row: int, col: int, index: int) -> bytes:
    return record(0x00FD, struct.pack("<HHHI", row, col, 0, index))


def label(row: int, col: int, text: str) -> bytes:
    wide = any(ord(c) > 0xFF for c in text)
    chars = text.encode("utf-16-le" if wide else "latin-1")
    return record(0x0204, struct.pack("<HHHHB", row, col, 0, len(text), int(wide)) + chars)


def mulrk(row: int, first: int, count: int) -> bytes:
    """``count`` cells holding 1 in one MULRK record (6 bytes a cell)."""
    rk = struct.pack("<HI", 0, 0x3FF00000)  # RK: the top 30 bits of the double 1.0
    return record(0x00BD, struct.pack("<HH", row, first) + rk * count + struct.pack("<H", first + count - 1))


def dimensions(rows: int, cols: int) -> bytes:
    return record(0x0200, struct.pack("<IIHHH", 0, rows, 0, cols, 0))


def _wide(text: str) -> bool:
    return any(ord(c) > 0xFF for c in text)


def sst(strings: list[str | list[str]], references: int = 0) -> bytes:
    """The SST record and its CONTINUE records. A string is stored compressed (one byte a character) unless a
    character needs UTF-16; a string that does not fit in what is left of a record goes on in a CONTINUE record, which
    starts with its own flags byte. A string given as a list of pieces starts a CONTINUE at each piece after the first,
    each piece with its own encoding."""
    records = [bytearray(struct.pack("<II", references, len(strings)))]

    def chars(text: str, wide: bool) -> None:
        size = 2 if wide else 1
        data = text.encode("utf-16-le" if wide else "latin-1")
        while True:
            fits = (_MAX_RECORD - len(records[-1])) // size * size
            records[-1] += data[:fits]
            data = data[fits:]
            if not data:
                return
            records.append(bytearray([int(wide)]))

    for string in strings:
        pieces = [string] if isinstance(string, str) else string
        if _MAX_RECORD - len(records[-1]) < 5:  # a string's header is never split
            records.append(bytearray())
        records[-1] += struct.pack("<HB", sum(len(p) for p in pieces), int(_wide(pieces[0])))
        chars(pieces[0], _wide(pieces[0]))
        for piece in pieces[1:]:
            records.append(bytearray([int(_wide(piece))]))
            chars(piece, _wide(piece))
    return record(0x00FC, bytes(records[0])) + b"".join(record(0x003C, bytes(r)) for r in records[1:])


def _boundsheet(position: int, name: str) -> bytes:
    return record(0x0085, struct.pack("<IBBBB", position, 0, 0, len(name), 0) + name.encode("latin-1"))


def defined_name(text: str) -> bytes:
    """A Lbl record (a workbook-wide defined name) with no formula of its own."""
    wide = _wide(text)
    head = struct.pack("<HBBHHH4B", 0, 0, len(text), 0, 0, 0, 0, 0, 0, 0) + bytes([int(wide)])
    return record(0x0018, head + text.encode("utf-16-le" if wide else "latin-1"))


def formula(row: int, col: int, tokens: bytes) -> bytes:
    """A FORMULA record whose cached value is the number 0 and whose parsed expression is ``tokens``."""
    return record(
        0x0006, struct.pack("<HHHdHI", row, col, 0, 0.0, 0, 0) + struct.pack("<H", len(tokens)) + tokens
    )


def names_added(count: int) -> bytes:
    """Formula tokens: the first defined name added to itself ``count`` times (PtgName, then PtgName and PtgAdd)."""
    name = b"\x23" + struct.pack("<I", 1)
    return name + (name + b"\x03") * count


def biff8(
    sheets: list[bytes], strings: list[str | list[str]] | None = None, defined: list[str] | None = None
) -> bytes:
    """A BIFF8 workbook stream: the globals (code page, one BOUNDSHEET a sheet, the defined names, the SST) and each
    sheet's records (``sheets``: the cell records of each sheet, between its BOF and EOF)."""
    names = [f"Sheet{i + 1}" for i in range(len(sheets))]
    table = b"".join(defined_name(n) for n in defined or []) + (sst(strings) if strings is not None else b"")

    def globals_(positions: list[int]) -> bytes:
        bound = b"".join(_boundsheet(p, n) for p, n in zip(positions, names, strict=True))
        return _bof(0x0005) + record(0x0042, struct.pack("<H", 1200)) + bound + table + record(0x000A)

    bodies = [_bof(0x0010) + body + record(0x000A) for body in sheets]
    start = len(globals_([0] * len(sheets)))
    positions = []
    for body in bodies:
        positions.append(start)
        start += len(body)
    return globals_(positions) + b"".join(bodies)


def ole2(stream: bytes, name: str = "Workbook") -> bytes:
    """A compound file (version 3, 512-byte sectors) holding one stream; FAT, DIFAT and directory as Excel writes them.
    The stream is padded to 4,096 bytes so that it lives in ordinary sectors, not the mini stream."""
    size = 512
    stream = stream.ljust(4096, b"\0")
    n_stream = -(-len(stream) // size)
    n_fat = n_difat = 1
    while True:
        n_difat = max(0, -(-(n_fat - 109) // 127))
        need = -(-(n_fat + n_difat + 1 + n_stream) // 128)
        if need <= n_fat:
            break
        n_fat = need
    fat_ids = list(range(n_fat))
    difat_ids = list(range(n_fat, n_fat + n_difat))
    dir_id = n_fat + n_difat
    first = dir_id + 1
    fat = [_FATSECT] * n_fat + [_DIFSECT] * n_difat + [_ENDOFCHAIN]
    fat += [first + i + 1 for i in range(n_stream - 1)] + [_ENDOFCHAIN]
    fat += [_FREESECT] * (n_fat * 128 - len(fat))
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 16
    header += struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + b"\0" * 6
    header += struct.pack(
        "<IIIIIIII", 0, n_fat, dir_id, 0, 4096, _ENDOFCHAIN, 0, difat_ids[0] if difat_ids else _ENDOFCHAIN
    )
    header += struct.pack("<I", n_difat)
    header += struct.pack("<109I", *(fat_ids[:109] + [_FREESECT] * (109 - min(n_fat, 109))))
    difat = b""
    rest = fat_ids[109:]
    for i, _ in enumerate(difat_ids):
        chunk = rest[i * 127 : (i + 1) * 127]
        following = difat_ids[i + 1] if i + 1 < len(difat_ids) else _ENDOFCHAIN
        difat += struct.pack("<128I", *(chunk + [_FREESECT] * (127 - len(chunk)) + [following]))

    def entry(text: str, kind: int, start: int, length: int, child: int = _FREESECT) -> bytes:
        encoded = (text + "\0").encode("utf-16-le")
        return (
            encoded.ljust(64, b"\0")
            + struct.pack("<HBBIII", len(encoded), kind, 1, _FREESECT, _FREESECT, child)
            + b"\0" * 36
            + struct.pack("<IIHH", start, length, 0, 0)
        )

    directory = entry("Root Entry", 5, _ENDOFCHAIN, 0, child=1) + entry(name, 2, first, len(stream))
    directory += b"\0" * (size - len(directory))
    body = struct.pack(f"<{len(fat)}I", *fat) + difat + directory + stream.ljust(n_stream * size, b"\0")
    return header + body


def xls(
    sheets: list[bytes], strings: list[str | list[str]] | None = None, defined: list[str] | None = None
) -> bytes:
    """A legacy XLS file: ``sheets`` (each sheet's cell records), the shared strings ``strings``, the defined names."""
    return ole2(biff8(sheets, strings, defined))


def xls_shared_references(cells: int, text: str | list[str]) -> bytes:
    """An XLS whose one shared string ``text`` is referenced by ``cells`` LABELSST cells under a header row."""
    header = label(0, 0, "ID") + number(0, 1, 1)
    return xls([header + b"".join(labelsst(r, 0, 0) for r in range(1, cells + 1))], [text])


def cyclic_xls() -> bytes:
    """A compound file whose Workbook stream claims 4 GB over a chain of sectors that loops back to its start."""
    data = bytearray(xls([number(0, 0, 1)]))
    fat = struct.unpack_from("<128I", data, 512)
    last = next(i for i, following in enumerate(fat) if following == _ENDOFCHAIN and i > 1)
    struct.pack_into(
        "<I", data, 512 + 4 * last, 2
    )  # the stream's last sector points back at its first (sector 2)
    struct.pack_into("<I", data, 512 + 512 + 128 + 120, 0xFFFFFF00)  # the directory's second entry: its size
    return bytes(data)


def far_apart(rows: int, cols: int) -> bytes:
    """One sheet's records: a header cell and one number ``rows`` x ``cols`` away."""
    return label(0, 0, "ID") + number(rows - 1, cols - 1, 1)


# The same shapes in a legacy XLS (BIFF8 stores a string's length in 16 bits: 65,535 characters at most, so the
# near-1-MiB string of the XLSX becomes the longest string BIFF8 can hold, referenced by 2,000 or 20,000 cells).
XLS_SHAPES = {
    "xls_shared_string_65535_cjk_x2000.xls": (xls_shared_references(2000, "客" * 65535), "max_cell_kb"),
    "xls_shared_string_64k_x20000.xls": (xls_shared_references(20000, "x" * 65535), "max_text_mb"),
    # 8,000 compressed characters, then 42,000 in UTF-16 after the CONTINUE's own flags byte: 131 KB as read
    "xls_string_split_over_continue.xls": (
        xls_shared_references(10, ["x" * 8000, "客" * 42000]),
        "max_cell_kb",
    ),
    "xls_many_real_cells.xls": (
        xls([label(0, 0, "ID") + b"".join(mulrk(r, 0, 80) for r in range(1, 65536))]),
        "max_frame_mb",
    ),
    "xls_cells_far_apart.xls": (xls([far_apart(65536, 256)]), "max_frame_mb"),
    "xls_sheets_add_up.xls": (xls([far_apart(65536, 100)] * 3), "3 个工作表"),
    "xls_cyclic_sector_chain.xls": (cyclic_xls(), "扇区链断裂或成环"),
    # calamine writes out every formula when the file opens: 2,000 formulas each adding a 255-character defined name
    # 1,360 times (8 KB of tokens) write 2 GB of formula text from a 16 MB file
    "xls_long_names_in_formulas.xls": (
        xls([b"".join(formula(r, 0, names_added(1360)) for r in range(2000))], defined=["客" * 255]),
        "max_text_mb",
    ),
}
SHAPES.update(XLS_SHAPES)
