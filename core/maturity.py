"""Maturity notices (到期业务提醒): read the points system's export and merge its items into the customer table."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from core.ingest import SYNONYMS as CUSTOMER_SYNONYMS
from core.ingest import (
    Rejection,
    clean_ids,
    clean_text,
    parse_amounts,
    parse_dates,
    read_table,
    resolve_columns,
    scientific_ids,
)
from core.ingest.customers import row_issue
from core.ingest.mapping import hint_words
from core.ingest.table import Source
from core.schema import MATURITY_ROW

SYNONYMS: dict[str, list[str]] = {
    "customer_id": CUSTOMER_SYNONYMS["customer_id"],
    "name": CUSTOMER_SYNONYMS["name"],
    "product": [
        "业务种类",
        "业务品种",
        "产品名称",
        "产品",
        "产品种类",
        "产品类型",
        "业务类型",
        "储种",
        "product",
        "product_type",
    ],
    "amount": ["到期金额", "金额", "本金", "到期本金", "存款金额", "amount", "principal"],
    "maturity_date": ["到期日期", "到期日", "到期时间", "到期日期时间", "maturity_date", "due_date"],
    "outlet": CUSTOMER_SYNONYMS["outlet"],
}
REQUIRED = ("customer_id", "maturity_date")
# One notice item as read (core.schema.MATURITY_ROW; ``matched`` is added when merged with the export)
ITEM_COLUMNS = [c for c in MATURITY_ROW if c != "matched"]


@dataclass
class MaturityResult:
    """One notice file: its items (one row per maturing product) and the rows it could not use."""

    items: pd.DataFrame
    rows_read: int
    rejections: list[Rejection]
    mapping: dict[str, str]
    file_name: str
    sha256: str
    unit_multipliers: dict[str, float] = field(default_factory=dict)
    header_row: int = 0
    warnings: list[Rejection] = field(default_factory=list)  # how columns and units were understood


@dataclass
class MaturityMerge:
    """Customers with the notices' maturities folded in, every item flagged matched or not."""

    customers: pd.DataFrame
    items: pd.DataFrame
    unmatched: pd.DataFrame


def empty_items() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "customer_id": pd.array([], dtype="string"),
            "name": pd.array([], dtype="string"),
            "product": pd.array([], dtype="string"),
            "amount": np.array([], dtype="float64"),
            "maturity_date": np.array([], dtype="datetime64[us]"),
            "outlet": pd.array([], dtype="string"),
            "source_row": np.array([], dtype=np.int64),
            "file": pd.array([], dtype="string"),
        },
        columns=ITEM_COLUMNS,
    )


def read_maturities(
    source: Source,
    *,
    file_name: str | None = None,
    columns: Mapping[str, str] | None = None,
    sheet: str | None = None,
) -> MaturityResult:
    """Read a 到期业务提醒 export. Rows without id, without a readable date, or with a bad amount are rejected."""
    raw = read_table(source, file_name=file_name, sheet=sheet, header_hints=hint_words(SYNONYMS, columns))
    mapping, multipliers, notes = resolve_columns(raw, SYNONYMS, columns, REQUIRED, amount_fields=("amount",))
    frame = raw.frame
    n = len(frame)
    id_col, date_col = mapping["customer_id"], mapping["maturity_date"]
    ids = clean_ids(frame[id_col])
    dates, bad_date = parse_dates(frame[date_col])
    lost_id = scientific_ids(ids)
    no_id = ids.isna().to_numpy() | lost_id
    no_date = dates.isna().to_numpy() & ~bad_date.to_numpy() & ~no_id
    bad_date_mask = bad_date.to_numpy() & ~no_id
    checks = [
        (lost_id, id_col, "ingest.reject.id_scientific"),
        (no_id, id_col, "ingest.reject.empty"),
        (no_date, date_col, "ingest.reject.empty"),
        (bad_date_mask & ~no_date, date_col, "ingest.reject.not_date"),
    ]
    if "amount" in mapping:
        amounts, bad_amount = parse_amounts(frame[mapping["amount"]])
        amounts = np.round(amounts.to_numpy() * multipliers.get("amount", 1.0), 2)
        dated = ~no_id & ~no_date & ~bad_date_mask
        checks += [
            (bad_amount.to_numpy() & dated, mapping["amount"], "ingest.reject.not_number"),
            ((amounts < 0) & dated, mapping["amount"], "ingest.reject.negative"),
        ]
    else:
        amounts = np.full(n, np.nan)
    rejected = np.zeros(n, dtype=bool)
    issues: list[tuple[int, Rejection]] = []
    for mask, column, key in checks:
        positions = np.flatnonzero(mask & ~rejected)
        rejected |= mask
        issues += zip(positions.tolist(), row_issue(raw, positions, column, key), strict=True)
    keep = ~rejected

    def text(name: str) -> pd.Series:
        if name in mapping:
            return clean_text(frame[mapping[name]])[keep].reset_index(drop=True)
        return pd.Series(pd.array([pd.NA] * int(keep.sum()), dtype="string"))

    items = pd.DataFrame(
        {
            "customer_id": ids[keep].reset_index(drop=True).astype("string"),
            "name": text("name"),
            "product": text("product"),
            "amount": amounts[keep].astype("float64"),
            "maturity_date": dates[keep].reset_index(drop=True).astype("datetime64[us]"),
            "outlet": text("outlet"),
            "source_row": raw.row_numbers[keep].astype(np.int64),
            "file": pd.array([raw.file_name] * int(keep.sum()), dtype="string"),
        },
        columns=ITEM_COLUMNS,
    )
    return MaturityResult(
        items=items,
        rows_read=n,
        rejections=[r for _, r in sorted(issues, key=lambda item: item[0])],
        mapping=dict(mapping),
        file_name=raw.file_name,
        sha256=raw.sha256,
        unit_multipliers=dict(multipliers),
        header_row=raw.header_row,
        warnings=notes,
    )


def combine_maturities(results: Sequence[MaturityResult]) -> pd.DataFrame:
    """The items of several notice files in one frame (file order, then row order)."""
    frames = [r.items for r in results if len(r.items)]
    if not frames:
        return empty_items()
    return pd.concat(frames, ignore_index=True)[ITEM_COLUMNS]


def merge_maturities(customers: pd.DataFrame, items: pd.DataFrame, *, as_of: dt.date) -> MaturityMerge:
    """Fold notice items into the customers: maturity_date becomes the earliest of the export's and the items'
    maturities on or after ``as_of``; ``maturity_items`` counts each customer's items. Every item is kept."""
    start = np.datetime64(as_of, "D")
    ids = pd.Index(customers["customer_id"].astype("string"))
    first = ~ids.duplicated()
    known = ids[first]
    item_ids = items["customer_id"].astype("string")
    found = known.get_indexer(item_ids)
    matched = found >= 0
    flagged = items.copy()
    flagged["matched"] = matched

    item_days = items["maturity_date"].to_numpy(dtype="datetime64[D]")
    rows_of_known = np.flatnonzero(first)
    positions = np.where(matched, rows_of_known[np.maximum(found, 0)], -1) if len(known) else found
    upcoming = matched & ~np.isnat(item_days) & (item_days >= start)
    big = np.iinfo(np.int64).max
    best = np.full(len(customers), big, dtype=np.int64)
    np.minimum.at(best, positions[upcoming], item_days[upcoming].astype(np.int64))
    current = (
        customers["maturity_date"].to_numpy(dtype="datetime64[D]")
        if "maturity_date" in customers
        else np.full(len(customers), np.datetime64("NaT"), dtype="datetime64[D]")
    )
    current_ok = ~np.isnat(current) & (current >= start)
    best = np.where(current_ok, np.minimum(best, current.astype(np.int64)), best)
    merged = best.astype("datetime64[D]")
    merged[best == big] = np.datetime64("NaT")

    out = customers.copy()
    out["maturity_date"] = merged.astype("datetime64[us]")
    out["maturity_items"] = np.bincount(positions[matched], minlength=len(customers)).astype(np.int64)
    unmatched = flagged.loc[~matched].reset_index(drop=True)
    return MaturityMerge(customers=out, items=flagged, unmatched=unmatched)
