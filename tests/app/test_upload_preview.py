"""The upload preview: Chinese headings, formatted cells, and a file of another outlet needs a confirmation."""

from __future__ import annotations

import pytest

from core.demo import OUTLET
from core.i18n import t
from tests.builders.app import (
    AS_OF,
    no_raw_cells,
    page_ran,
    seeded_with_heads,
    table_with,
)


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    with seeded_with_heads(tmp_path_factory.mktemp("fixes") / "console.db") as found:
        yield found


def test_upload_preview_is_in_chinese_with_formatted_cells(seeded):
    data, _ = seeded
    at = page_ran("upload", "branch_head")
    at.date_input(key="up_as_of").set_value(AS_OF)
    at.file_uploader(key="up_file").set_value(("目标客户查询.csv", data.export, "text/csv"))
    at.run()
    assert not at.exception
    table = table_with(at, t("ingest.field.customer_id"))
    assert list(table.columns) == [
        t("ui.col.row"),
        t("ingest.field.customer_id"),
        t("ingest.field.name"),
        t("ingest.field.phone"),
        t("ingest.field.outlet"),
        t("export.col.assets"),
        t("ui.col.accounts"),
        t("ingest.field.maturity_date"),
        t("ingest.field.birthday"),
        t("ingest.field.manager"),
        t("ingest.field.familiarity"),
    ]
    no_raw_cells(table)
    assert table[t("ingest.field.birthday")].str.fullmatch(r"(\d{4}-\d{2}-\d{2})?").all()
    assert table[t("export.col.assets")].str.fullmatch(r"\d{1,3}(,\d{3})*").all()
    assert not at.warning and not at.button(key="up_save").disabled


def test_upload_for_another_outlet_warns_and_needs_a_confirmation(seeded):
    data, _ = seeded
    at = page_ran("upload", "branch_head", outlet="南山支局")
    at.date_input(key="up_as_of").set_value(AS_OF)
    at.file_uploader(key="up_file").set_value(("目标客户查询.csv", data.export, "text/csv"))
    at.run()
    customers = len(data.latest)
    expected = t(
        "ui.upload.other_outlet",
        found=t("ui.upload.outlet_count", outlet=OUTLET, n=f"{customers:,}"),
        outlet="南山支局",
    )
    assert [w.value for w in at.warning] == [expected]
    assert at.button(key="up_save").disabled
    at.checkbox(key="up_other_outlet_ok").check()
    at.run()
    assert not at.button(key="up_save").disabled


def test_outlets_in_counts_customers_per_outlet():
    import pandas as pd

    from views.upload import outlets_in

    customers = pd.DataFrame(
        {"outlet": pd.array(["甲支局", "乙支局", "甲支局", None, " 甲支局"], dtype="string")}
    )
    assert outlets_in(customers).to_dict() == {"甲支局": 3, "乙支局": 1}
