"""A snapshot stored with maturity notices reads back with the notices merged, as the CLI merges them."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from core.demo import demo_export, demo_maturities
from core.ingest import read_customers
from core.maturity import merge_maturities, read_maturities
from core.services.reads import load_customers, load_customers_with_maturities
from tests.builders.stored import import_snapshot

AS_OF = dt.date(2026, 11, 30)


def test_stored_notices_are_merged_on_load_exactly_as_at_import(db_engine):
    result = read_customers(demo_export(AS_OF, customers=300, seed=3), as_of=AS_OF, file_name="export.csv")
    notice = read_maturities(demo_maturities(AS_OF, customers=300, items=80, seed=4), file_name="notice.csv")
    merged = merge_maturities(result.customers, notice.items, as_of=AS_OF)
    snapshot = import_snapshot(
        db_engine, result, outlet="城关支局", as_of=AS_OF, user="t", maturities=merged.items
    )

    plain = load_customers(db_engine, snapshot)
    loaded = load_customers_with_maturities(db_engine, snapshot).set_index("customer_id")
    expected = merged.customers.set_index("customer_id")
    assert loaded["maturity_date"].equals(expected.loc[loaded.index, "maturity_date"])
    changed = (plain.set_index("customer_id")["maturity_date"] != loaded["maturity_date"]).sum()
    assert changed > 0  # the notices really add maturities the export did not have
    window = (loaded["maturity_date"] >= pd.Timestamp(AS_OF)) & (
        loaded["maturity_date"] <= pd.Timestamp(AS_OF + dt.timedelta(days=30))
    )
    assert (
        window.sum()
        == (
            (expected["maturity_date"] >= pd.Timestamp(AS_OF))
            & (expected["maturity_date"] <= pd.Timestamp(AS_OF + dt.timedelta(days=30)))
        ).sum()
    )


def test_a_snapshot_without_notices_loads_as_stored(db_engine):
    result = read_customers(demo_export(AS_OF, customers=50, seed=5), as_of=AS_OF, file_name="export.csv")
    snapshot = import_snapshot(db_engine, result, outlet="城关支局", as_of=AS_OF, user="t")
    assert load_customers_with_maturities(db_engine, snapshot).equals(load_customers(db_engine, snapshot))
