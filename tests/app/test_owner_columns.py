"""Who looks after a customer: the stored assignment (负责员工) is shown and searched, not the export's manager."""

from __future__ import annotations

import pytest

from core.demo import ROSTER
from core.i18n import t
from tests.builders.app import (
    no_raw_cells,
    page_ran,
    seeded_with_heads,
    table_with,
)

STAFF_NAME = ROSTER[1][0]


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    with seeded_with_heads(tmp_path_factory.mktemp("fixes") / "console.db") as found:
        yield found


def test_my_customers_shows_the_assigned_staff_not_the_exports_manager(seeded):
    data, _ = seeded
    at = page_ran("my_customers", "staff", staff_name=STAFF_NAME)
    table = table_with(at, t("ui.col.owner"))
    mine = data.assignment.loc[data.assignment["staff"] == STAFF_NAME]
    assert len(table) == len(mine)
    assert set(table[t("ui.col.owner")]) == {STAFF_NAME}
    assert t("ui.col.export_manager") in table.columns and t("ingest.field.manager") not in table.columns
    no_raw_cells(table)
    for frame in (d.value for d in at.dataframe):
        no_raw_cells(frame)


def test_distribution_table_owner_is_the_stored_assignment(seeded):
    data, _ = seeded
    at = page_ran("distribution", "branch_head")
    table = table_with(at, t("ui.col.owner")).set_index(t("ingest.field.customer_id"))
    expected = data.assignment.set_index(data.assignment["customer_id"].astype(str))["staff"]
    assert len(table) == len(expected)
    assert table[t("ui.col.owner")].to_dict() == expected.astype(str).to_dict()
    differs = (table[t("ui.col.owner")] != table[t("ui.col.export_manager")]).sum()
    assert differs > 0  # the export's manager is not who looks after the customer now
    no_raw_cells(table)
    assets = table[t("ui.col.assets")]
    assert assets.str.fullmatch(r"-?\d{1,3}(,\d{3})*").all()
    dates = table[t("ingest.field.maturity_date")]
    assert dates.str.fullmatch(r"(\d{4}-\d{2}-\d{2})?").all() and (dates != "").any()


def test_distribution_search_finds_customers_by_their_assigned_staff(seeded):
    data, _ = seeded
    at = page_ran("distribution", "branch_head")
    at.text_input(key="dist_search").input(STAFF_NAME)
    at.run()
    table = table_with(at, t("ui.col.owner"))
    owned = data.assignment["staff"] == STAFF_NAME
    assert len(table) >= int(owned.sum()) > 0
    assert (table[t("ui.col.owner")] == STAFF_NAME).sum() == int(owned.sum())
