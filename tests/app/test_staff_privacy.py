"""我的客户 under the policy's [privacy]: a member of staff sees masked mobiles (and no balances when the policy hides
them) on screen as on paper, and reveals one customer's mobile with one click, which is audited."""

from __future__ import annotations

import re

import pytest

from core.demo import OUTLET, ROSTER
from core.i18n import t
from core.policy import Policy
from core.services.reads import audit_entries, load_customers
from core.storage.engine import make_engine
from tests.builders.app import database_env, page_test, ran, seed_outlet

STAFF_NAME = ROSTER[1][0]
MASKED = re.compile(r"^\d{3}\*{4}\d{4}$")


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    data = seed_outlet(tmp_path_factory.mktemp("privacy") / "console.db")
    with database_env(data.url):
        yield data


def customer_table(at):
    heading = t("ingest.field.phone", "zh")
    return next(d.value for d in at.dataframe if heading in d.value.columns)


def test_staff_see_every_mobile_masked_on_screen(seeded):
    at = ran(page_test("my_customers", "staff", staff_name=STAFF_NAME))
    table = customer_table(at)
    phones = [p for p in table[t("ingest.field.phone", "zh")].tolist() if p]
    mine = int((seeded.assignment["staff"] == STAFF_NAME).sum())
    assert len(table) == mine and len(phones) == mine
    assert all(MASKED.match(p) for p in phones), phones[:3]
    assert any(t("ui.my.privacy_note", "zh") in c.value for c in at.caption)


def test_one_click_reveals_one_customers_mobile_and_audits_it(seeded):
    at = ran(page_test("my_customers", "staff", staff_name=STAFF_NAME))
    picked = at.selectbox(key="my_reveal_pick").value
    at.button(key="my_reveal").click()
    ran(at)
    engine = make_engine(seeded.url)
    customers = load_customers(engine, 2)  # the seeded month's snapshot (the earlier month is #1)
    phone = customers.loc[customers["customer_id"] == picked, "phone"].iloc[0]
    assert any(phone in i.value for i in at.info)
    last = audit_entries(engine, outlet=OUTLET)[0]
    assert (last["action"], last["username"], last["detail"]["customer_id"]) == (
        "privacy.reveal",
        "staff_user",
        picked,
    )
    table = customer_table(at)
    shown = dict(
        zip(table[t("ingest.field.customer_id", "zh")], table[t("ingest.field.phone", "zh")], strict=True)
    )
    assert shown[picked] == phone
    assert sum(1 for p in shown.values() if p and not MASKED.match(p)) == 1


def test_with_balances_hidden_staff_see_no_assets(tmp_path):
    hidden = Policy.default().with_changes({"privacy": {"hide_assets": True}})
    data = seed_outlet(tmp_path / "console.db", policy=hidden)  # the plan published under it
    with database_env(data.url):
        at = ran(page_test("my_customers", "staff", staff_name=STAFF_NAME))
    assert at.metric[1].value == t("ui.my.hidden", "zh")
    assert any(t("ui.my.assets_hidden", "zh") in c.value for c in at.caption)
    assets = customer_table(at)[t("ui.col.assets", "zh")]
    assert len(assets) and not any(str(v).strip() for v in assets.tolist())
