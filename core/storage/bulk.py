"""Fast inserts of many rows inside the caller's transaction.

SQLite: the compiled core ``Insert`` runs through the DBAPI ``executemany`` with plain tuples (no per-row
SQLAlchemy processing). PostgreSQL: ``COPY ... FROM STDIN`` through psycopg 3. Columns arrive as Python lists
built column-wise from the DataFrame, with None for missing values and dates as ISO text.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd
from sqlalchemy import Connection, Table, insert

CHUNK_ROWS = 50_000  # bounds memory: a million rows never exist as one list of tuples


def text_values(values: pd.Series) -> list:
    return values.astype("string").to_numpy(dtype=object, na_value=None).tolist()


def float_values(values: pd.Series) -> list:
    array = pd.to_numeric(values).to_numpy(dtype=np.float64, na_value=np.nan)
    out = array.astype(object)
    out[np.isnan(array)] = None
    return out.tolist()


def int_values(values: pd.Series) -> list:
    return pd.Series(values).astype("Int64").to_numpy(dtype=object, na_value=None).tolist()


def bool_values(values: pd.Series) -> list:
    return pd.Series(values).astype("boolean").to_numpy(dtype=object, na_value=None).tolist()


def date_values(values: pd.Series) -> list:
    """ISO dates (``YYYY-MM-DD``): what SQLAlchemy stores in SQLite and what COPY parses for PostgreSQL."""
    days = pd.to_datetime(values).to_numpy(dtype="datetime64[D]")
    out = days.astype(str).astype(object)
    out[np.isnat(days)] = None
    return out.tolist()


def insert_columns(conn: Connection, table: Table, columns: dict[str, Sequence]) -> int:
    """Insert the rows given column-wise (all lists of one length); returns the row count."""
    names = list(columns)
    n = len(columns[names[0]]) if names else 0
    if n == 0:
        return 0
    for start in range(0, n, CHUNK_ROWS):
        stop = min(start + CHUNK_ROWS, n)
        rows = list(zip(*(columns[c][start:stop] for c in names), strict=True))
        _insert_chunk(conn, table, names, rows)
    return n


def _insert_chunk(conn: Connection, table: Table, names: list[str], rows: list[tuple]) -> None:
    name = conn.dialect.name
    if name == "sqlite":
        _sqlite_executemany(conn, table, names, rows)
    elif name == "postgresql" and conn.dialect.driver == "psycopg":
        _pg_copy(conn, table, names, rows)
    else:
        conn.execute(insert(table), [dict(zip(names, row, strict=True)) for row in rows])


def _sqlite_executemany(conn: Connection, table: Table, names: list[str], rows: Iterable[tuple]) -> None:
    compiled = insert(table).compile(dialect=conn.dialect, column_keys=names)
    order = [names.index(key) for key in compiled.positiontup]
    if order != list(range(len(names))):
        rows = [tuple(row[i] for i in order) for row in rows]
    cursor = conn.connection.dbapi_connection.cursor()
    try:
        cursor.executemany(compiled.string, rows)
    finally:
        cursor.close()


def _pg_copy(conn: Connection, table: Table, names: list[str], rows: Iterable[tuple]) -> None:
    preparer = conn.dialect.identifier_preparer
    target = preparer.format_table(table)
    cols = ", ".join(preparer.quote(c) for c in names)
    cursor = conn.connection.dbapi_connection.cursor()
    try:
        with cursor.copy(f"COPY {target} ({cols}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
    finally:
        cursor.close()
