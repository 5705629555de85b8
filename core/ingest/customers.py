"""A customer asset export (目标客户查询) -> one row per customer in the canonical columns."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from core.i18n import DEFAULT_LANG, catalog
from core.ingest.limits import current_limits
from core.ingest.mapping import hint_words, resolve_columns
from core.ingest.table import RawTable, Rejection, Source, read_table
from core.ingest.values import (
    arrow_strings,
    clean_ids,
    clean_text,
    parse_amounts,
    parse_dates,
    parse_familiarity,
    scientific_ids,
)

CANONICAL = [
    "customer_id",
    "name",
    "phone",
    "outlet",
    "assets",
    "maturity_date",
    "birthday",
    "manager",
    "familiarity",
]
TEXT_FIELDS = ("name", "phone", "outlet", "manager")
DATE_FIELDS = ("maturity_date", "birthday")

# Earlier synonyms win when two headers of one file match the same field. Matching ignores case, spaces, "_", "-",
# full-/half-width and a trailing unit such as (元)/(万元).
SYNONYMS: dict[str, list[str]] = {
    "customer_id": [
        "客户号",
        "客户编号",
        "客户ID",
        "客户代码",
        "客户编码",
        "客户标识",
        "客户内码",
        "客户唯一号",
        "客户统一编号",
        "客户号码",
        "核心客户号",
        "CIF号",
        "CIF",
        "customer_id",
        "CustomerId",
        "cust_id",
        "client_id",
        "CLIENTNUM",
        "customer_no",
        "customer_number",
    ],
    "name": [
        "客户姓名",
        "客户名称",
        "姓名",
        "户名",
        "客户名",
        "账户名称",
        "name",
        "customer_name",
        "client_name",
    ],
    "phone": [
        "联系电话",
        "手机号码",
        "手机号",
        "手机",
        "移动电话",
        "电话号码",
        "联系手机",
        "常用手机号",
        "联系方式",
        "客户电话",
        "电话",
        "phone",
        "mobile",
        "telephone",
        "tel",
    ],
    "outlet": [
        "所属网点",
        "网点名称",
        "网点",
        "归属网点",
        "开户网点",
        "所属支局",
        "支局",
        "所属机构",
        "机构名称",
        "开户机构",
        "归属机构",
        "管户机构",
        "营业网点",
        "所属支行",
        "支行",
        "机构",
        "branch_name",
        "branch",
        "outlet",
    ],
    "assets": [
        "资产余额",
        "金融资产",
        "金融资产余额",
        "客户金融资产",
        "总资产",
        "客户总资产",
        "资产总额",
        "个人金融资产",
        "客户资产",
        "时点资产",
        "AUM",
        "AUM余额",
        "账户余额",
        "存款余额",
        "月日均资产",
        "日均资产",
        "月日均余额",
        "季日均资产",
        "年日均资产",
        "时点余额",
        "余额",
        "当前余额",
        "assets",
        "total_assets",
        "balance",
    ],
    "maturity_date": [
        "最近到期日",
        "最近到期日期",
        "到期日",
        "到期日期",
        "存款到期日",
        "到期时间",
        "maturity_date",
        "maturity",
        "due_date",
    ],
    "birthday": [
        "出生日期",
        "生日",
        "出生年月日",
        "出生年月",
        "birthday",
        "birth_date",
        "date_of_birth",
        "dob",
    ],
    "manager": [
        "管户人员",
        "管户人",
        "管户经理",
        "归属客户经理",
        "管户客户经理",
        "客户经理",
        "维护人员",
        "管护人员",
        "管护经理",
        "管户员工",
        "客户经理姓名",
        "manager",
        "account_manager",
        "relationship_manager",
    ],
    "familiarity": ["熟识程度", "熟悉程度", "熟识度", "熟悉度", "familiarity"],
}
REQUIRED = ("customer_id", "assets")


@dataclass
class IngestResult:
    """One export read: customers (one row each), what was rejected and how the columns were understood."""

    customers: pd.DataFrame
    rows_read: int
    rejections: list[Rejection]
    mapping: dict[str, str]
    unit_multipliers: dict[str, float]
    file_name: str
    sha256: str
    encoding: str | None
    sheet: str | None
    header_row: int
    warnings: list[Rejection] = field(default_factory=list)  # rows kept, one value left empty (bad date, ...)
    total_rows: list[int] = field(default_factory=list)  # 合计/小计 rows that were not read as customers
    repeated_headers: list[int] = field(default_factory=list)  # header rows repeated by a paged export


def read_customers(
    source: Source,
    *,
    as_of: dt.date,
    file_name: str | None = None,
    columns: Mapping[str, str] | None = None,
    sheet: str | None = None,
) -> IngestResult:
    """Read an asset export: map headers, parse values, reject bad rows, merge account rows into customers.

    Rows of one customer (one per account) become one: assets summed, the earliest maturity on or after ``as_of``
    (NaT if none), every other field from the first row that has it. A rejected row adds nothing to its customer.
    """
    raw = read_table(source, file_name=file_name, sheet=sheet, header_hints=hint_words(SYNONYMS, columns))
    return customers_from_raw(raw, as_of=as_of, columns=columns)


def customers_from_raw(
    raw: RawTable, *, as_of: dt.date, columns: Mapping[str, str] | None = None
) -> IngestResult:
    """``read_customers`` on a table already read (the upload page reads a file once for headers and customers)."""
    mapping, multipliers, notes = resolve_columns(raw, SYNONYMS, columns, REQUIRED, amount_fields=("assets",))
    return customers_from_table(raw, mapping, multipliers, as_of, notes)


def row_issue(raw: RawTable, positions: np.ndarray, column: str, key: str) -> list[Rejection]:
    """One Rejection per position, naming the column as headed in the file and the value found."""
    if not len(positions):
        return []
    values = raw.frame[column].iloc[positions].tolist()
    rows = raw.row_numbers[positions].tolist()
    template = catalog()[key][DEFAULT_LANG]  # formatted per row: a million bad rows must not take minutes
    name = raw.file_name
    return [
        Rejection(
            row,
            template.format(column=column, value="" if value is None or value != value else value),
            column,
            name,
        )
        for row, value in zip(rows, values, strict=True)
    ]


def customers_from_table(
    raw: RawTable,
    mapping: dict[str, str],
    multipliers: dict[str, float],
    as_of: dt.date,
    notes: list[Rejection] | None = None,
) -> IngestResult:
    """The canonical customer table from a read export and its column mapping."""
    frame = raw.frame
    n = len(frame)
    id_col, assets_col = mapping["customer_id"], mapping["assets"]
    ids = clean_ids(frame[id_col])
    amounts, bad_amount = parse_amounts(frame[assets_col])
    amounts = np.round(amounts.to_numpy() * multipliers.get("assets", 1.0), 2)
    no_id = ids.isna().to_numpy()
    lost_id = scientific_ids(ids)
    no_id_value = no_id | lost_id
    no_amount = np.isnan(amounts) & ~bad_amount.to_numpy() & ~no_id_value
    not_number = bad_amount.to_numpy() & ~no_id_value
    negative = (amounts < 0) & ~no_id_value
    too_large = (np.abs(np.nan_to_num(amounts, nan=0.0)) > current_limits().max_amount_yuan) & ~no_id_value
    rejected = no_id_value | no_amount | not_number | negative | too_large
    issues: list[tuple[int, Rejection]] = []
    for mask, column, key in (
        (no_id, id_col, "ingest.reject.empty"),
        (lost_id, id_col, "ingest.reject.id_scientific"),
        (no_amount, assets_col, "ingest.reject.empty"),
        (not_number, assets_col, "ingest.reject.not_number"),
        (negative, assets_col, "ingest.reject.negative"),
        (too_large & ~negative, assets_col, "ingest.reject.too_large"),
    ):
        positions = np.flatnonzero(mask)
        issues += zip(positions.tolist(), row_issue(raw, positions, column, key), strict=True)
    rejections = [r for _, r in sorted(issues, key=lambda item: item[0])]

    warnings = list(notes or [])
    parsed: dict[str, pd.Series] = {}
    for name in TEXT_FIELDS:
        if name in mapping:
            parsed[name] = clean_text(frame[mapping[name]])
    for name in DATE_FIELDS:
        if name in mapping:
            values, bad = parse_dates(frame[mapping[name]])
            positions = np.flatnonzero(bad.to_numpy() & ~rejected)
            warnings += row_issue(raw, positions, mapping[name], "ingest.warn.not_date")
            if (
                name == "birthday"
            ):  # a birth date in the future or before 1900 is a typo: kept empty, reported
                odd = (values > pd.Timestamp(as_of)) | (values < pd.Timestamp("1900-01-01"))
                odd = odd.fillna(False).to_numpy(dtype=bool)
                warnings += row_issue(
                    raw, np.flatnonzero(odd & ~rejected), mapping[name], "ingest.warn.birthday"
                )
                values = values.mask(odd)
            parsed[name] = values
    if "familiarity" in mapping:
        values, bad = parse_familiarity(frame[mapping["familiarity"]])
        parsed["familiarity"] = values
        positions = np.flatnonzero(bad.to_numpy() & ~rejected)
        warnings += row_issue(raw, positions, mapping["familiarity"], "ingest.warn.not_familiarity")
    warnings.sort(key=lambda r: r.row)

    keep = ~rejected
    if keep.all():
        kept_ids, kept_amounts, kept_rows = ids.reset_index(drop=True), amounts, raw.row_numbers
    else:
        kept_ids, kept_amounts, kept_rows = (
            ids[keep].reset_index(drop=True),
            amounts[keep],
            raw.row_numbers[keep],
        )
        parsed = {k: v[keep].reset_index(drop=True) for k, v in parsed.items()}
    customers = _merge_accounts(kept_ids, kept_amounts, parsed, kept_rows, np.datetime64(as_of, "D"))
    return IngestResult(
        customers=customers,
        rows_read=n,
        rejections=rejections,
        mapping=dict(mapping),
        unit_multipliers=dict(multipliers),
        file_name=raw.file_name,
        sha256=raw.sha256,
        encoding=raw.encoding,
        sheet=raw.sheet,
        header_row=raw.header_row,
        warnings=warnings,
        total_rows=list(raw.total_rows),
        repeated_headers=list(raw.repeated_headers),
    )


def first_valid(values: pd.Series, codes: np.ndarray, groups: int) -> pd.Series:
    """Per group, the value of its first row that has one (<NA> if none). Groups number rows by first appearance."""
    if groups == len(values):  # one row per group: codes are 0, 1, 2, ...
        return values.reset_index(drop=True)
    present = values.notna().to_numpy()
    first = np.full(groups, len(values), dtype=np.int64)
    np.minimum.at(first, codes[present], np.flatnonzero(present))
    found = first < len(values)
    if isinstance(values.dtype, pd.StringDtype) and values.dtype.storage == "pyarrow":
        taken = pc.take(arrow_strings(values), pa.array(first, mask=~found))
        return pd.Series(pd.arrays.ArrowStringArray(taken)).astype("string")
    if not len(values):
        return values.reset_index(drop=True)
    taken = values.iloc[np.where(found, first, 0)].reset_index(drop=True)
    return taken.where(pd.Series(found), other=None)


def group_codes(ids: pa.ChunkedArray) -> tuple[np.ndarray, int]:
    """(group number of each id in order of first appearance, number of groups). Ids of up to 17 digits are grouped
    as integers (with their length, so 0012 and 012 stay apart): several times faster than hashing strings."""
    if len(ids) and pc.all(pc.ascii_is_decimal(ids)).as_py():
        lengths = pc.utf8_length(ids).to_numpy(zero_copy_only=False).astype(np.int64)
        if lengths.max() <= 17:
            ids = pa.array(pc.cast(ids, pa.int64()).to_numpy(zero_copy_only=False) * 32 + lengths)
    encoded = pc.dictionary_encode(ids)
    if isinstance(encoded, pa.ChunkedArray):
        encoded = encoded.combine_chunks()
    return encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64), len(encoded.dictionary)


def earliest_from(dates: np.ndarray, codes: np.ndarray, groups: int, start: np.datetime64) -> np.ndarray:
    """Per group, the earliest date on or after ``start`` (NaT if none)."""
    days = dates.astype("datetime64[D]")
    usable = ~np.isnat(days) & (days >= start)
    big = np.iinfo(np.int64).max
    best = np.full(groups, big, dtype=np.int64)
    np.minimum.at(best, codes[usable], days[usable].astype(np.int64))
    out = best.astype("datetime64[D]")
    out[best == big] = np.datetime64("NaT")
    return out.astype("datetime64[us]")


def _merge_accounts(
    ids: pd.Series,
    amounts: np.ndarray,
    parsed: dict[str, pd.Series],
    row_numbers: np.ndarray,
    as_of: np.datetime64,
) -> pd.DataFrame:
    text = arrow_strings(ids)
    codes, groups = group_codes(text)
    first_row = np.full(groups, len(ids), dtype=np.int64)
    np.minimum.at(first_row, codes, np.arange(len(ids)))
    uniques = text.take(pa.array(first_row)) if groups < len(ids) else text
    out: dict[str, object] = {"customer_id": pd.array(pd.arrays.ArrowStringArray(uniques), dtype="string")}
    for name in ("name", "phone", "outlet"):
        out[name] = _text_column(parsed.get(name), codes, groups)
    out["assets"] = np.round(np.bincount(codes, weights=amounts, minlength=groups), 2).astype("float64")
    maturity = parsed.get("maturity_date")
    out["maturity_date"] = (
        earliest_from(maturity.to_numpy(), codes, groups, as_of)
        if maturity is not None
        else np.full(groups, np.datetime64("NaT"), dtype="datetime64[us]")
    )
    birthday = parsed.get("birthday")
    out["birthday"] = (
        first_valid(birthday, codes, groups).to_numpy(dtype="datetime64[us]")
        if birthday is not None
        else np.full(groups, np.datetime64("NaT"), dtype="datetime64[us]")
    )
    out["manager"] = _text_column(parsed.get("manager"), codes, groups)
    familiarity = parsed.get("familiarity")
    out["familiarity"] = (
        pd.array(first_valid(familiarity, codes, groups), dtype="Int64")
        if familiarity is not None
        else pd.arrays.IntegerArray(np.zeros(groups, dtype=np.int64), np.ones(groups, dtype=bool))
    )
    out["source_row"] = row_numbers[first_row].astype(np.int64) if groups else np.array([], dtype=np.int64)
    out["accounts"] = np.bincount(codes, minlength=groups).astype(np.int64)
    return pd.DataFrame(out, columns=[*CANONICAL, "source_row", "accounts"])


def _text_column(values: pd.Series | None, codes: np.ndarray, groups: int) -> pd.arrays.StringArray:
    if values is None:
        return pd.array(pd.arrays.ArrowStringArray(pa.nulls(groups, pa.string())), dtype="string")
    return pd.array(first_valid(values, codes, groups), dtype="string")
