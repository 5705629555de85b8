"""Ingest: real branch exports (CSV in UTF-8/GBK, XLSX, XLS) -> one canonical customer table.

``read_table`` finds the header row of any export (rosters and contact logs use it too); ``read_customers`` maps the
columns of an asset export, parses the values, rejects unusable rows with their row number and merges account rows.
"""

from core.ingest.customers import CANONICAL, SYNONYMS, IngestResult, customers_from_table, read_customers
from core.ingest.mapping import resolve_columns
from core.ingest.table import RawTable, Rejection, read_table
from core.ingest.values import (
    clean_ids,
    clean_text,
    header_key,
    parse_amounts,
    parse_dates,
    parse_familiarity,
    scientific_ids,
)

__all__ = [
    "CANONICAL",
    "SYNONYMS",
    "IngestResult",
    "RawTable",
    "Rejection",
    "clean_ids",
    "clean_text",
    "customers_from_table",
    "header_key",
    "parse_amounts",
    "parse_dates",
    "parse_familiarity",
    "read_customers",
    "read_table",
    "resolve_columns",
    "scientific_ids",
]
