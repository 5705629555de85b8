"""Fast inserts of many rows inside the caller's transaction.

SQLite: the compiled core ``Insert`` runs through the DBAPI ``executemany`` with plain tuples (no per-row
SQLAlchemy processing). PostgreSQL: ``COPY ... FROM STDIN`` through psycopg 3, the CSV written by Arrow in C++
(a Python ``write_row`` per row took four times longer). Columns arrive as Python lists built column-wise from
the DataFrame, with None for missing values and dates as ISO text. Reads come back through ``typed``, which
gives a frame the dtypes of its row schema (``core.schema``).
"""

from __future__ import annotations

import io
from collections.abc import Sequence

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv
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
    """ISO dates (``YYYY-MM-DD``): what SQLAlchemy stores in SQLite and what COPY parses for PostgreSQL.

    Formatted once per distinct date (a few hundred in an export), not once per row.
    """
    days = pd.to_datetime(values).to_numpy(dtype="datetime64[D]")
    codes, uniques = pd.factorize(days.view(np.int64))
    unique_days = uniques.astype("datetime64[D]")
    labels = unique_days.astype(str).astype(object)
    labels[np.isnat(unique_days)] = None
    return labels[codes].tolist() if len(codes) else []


def insert_columns(conn: Connection, table: Table, columns: dict[str, Sequence]) -> int:
    """Insert the rows given column-wise (all lists of one length); returns the row count."""
    names = list(columns)
    n = len(columns[names[0]]) if names else 0
    for start in range(0, n, CHUNK_ROWS):
        whole = start == 0 and n <= CHUNK_ROWS
        chunk = {c: columns[c] if whole else columns[c][start : start + CHUNK_ROWS] for c in names}
        _insert_chunk(conn, table, names, chunk)
    return n


def _insert_chunk(conn: Connection, table: Table, names: list[str], chunk: dict[str, Sequence]) -> None:
    name = conn.dialect.name
    if name == "sqlite":
        _sqlite_executemany(conn, table, names, chunk)
    elif name == "postgresql" and conn.dialect.driver == "psycopg":
        _pg_copy(conn, table, names, chunk)
    else:
        rows = zip(*(chunk[c] for c in names), strict=True)
        conn.execute(insert(table), [dict(zip(names, row, strict=True)) for row in rows])


def _sqlite_executemany(conn: Connection, table: Table, names: list[str], chunk: dict[str, Sequence]) -> None:
    compiled = insert(table).compile(dialect=conn.dialect, column_keys=names)
    rows = zip(*(chunk[key] for key in compiled.positiontup), strict=True)
    cursor = conn.connection.dbapi_connection.cursor()
    try:
        cursor.executemany(compiled.string, rows)
    finally:
        cursor.close()


def _pg_copy(conn: Connection, table: Table, names: list[str], chunk: dict[str, Sequence]) -> None:
    """COPY in CSV form written by Arrow: every value quoted, NULL unquoted, so '' stays '' and None is NULL."""
    frame = pa.table({c: pa.array(chunk[c]) for c in names})
    buffer = io.BytesIO()
    pacsv.write_csv(frame, buffer, pacsv.WriteOptions(include_header=False, quoting_style="all_valid"))
    preparer = conn.dialect.identifier_preparer
    target = preparer.format_table(table)
    cols = ", ".join(preparer.quote(c) for c in names)
    cursor = conn.connection.dbapi_connection.cursor()
    try:
        with cursor.copy(f"COPY {target} ({cols}) FROM STDIN WITH (FORMAT csv)") as copy:
            copy.write(buffer.getbuffer())
    finally:
        cursor.close()


def read_dates(values: pd.Series) -> pd.Series:
    """SQLite hands dates back as ISO text, PostgreSQL as ``datetime.date``: both to ``datetime64[us]``.

    Parsed once per distinct value: an export has a few hundred distinct dates, not a million.
    """
    codes, uniques = pd.factorize(values.to_numpy(dtype=object), use_na_sentinel=True)
    parsed = pd.to_datetime(pd.Series(uniques, dtype=object), format="ISO8601").to_numpy(
        dtype="datetime64[us]"
    )
    out = np.full(len(values), np.datetime64("NaT"), dtype="datetime64[us]")
    found = codes >= 0
    out[found] = parsed[codes[found]]
    return pd.Series(out, index=values.index)


def typed(frame: pd.DataFrame, schema: dict[str, str]) -> pd.DataFrame:
    """``frame`` (rows as read from the database) with each column of ``schema`` it has cast to its dtype."""
    for column, dtype in schema.items():
        if column not in frame.columns:
            continue
        if dtype.startswith("datetime64"):
            frame[column] = read_dates(frame[column])
        elif dtype == "float64":
            frame[column] = pd.to_numeric(frame[column]).astype("float64")
        elif dtype == "int64":
            values = frame[column].astype("Int64")
            frame[column] = values.astype("int64") if not values.isna().any() else values
        else:
            frame[column] = frame[column].astype(dtype)
    return frame
