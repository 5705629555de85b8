"""The month's greeting SMS is one batch per person, confirmed once: compliance counts it from the confirmation."""

from __future__ import annotations

import datetime as dt

import pytest

from core.errors import ConsoleError
from core.policy import Policy
from core.roles import Actor
from core.services.contacts import period_compliance
from core.services.sms import confirm_sms_batch, sms_batch
from core.storage.engine import make_engine
from tests.builders.app import MONTH, OUTLET, seed_outlet

POLICY = Policy.default()
HEAD = Actor("zhiju", "branch_head", OUTLET)


@pytest.fixture()
def engine(tmp_path):
    data = seed_outlet(tmp_path / "console.db")
    engine = make_engine(data.url)
    yield engine
    engine.dispose()


def _sms(engine, staff: str) -> tuple[int, int]:
    """(required, met) of the 短信 requirements of ``staff`` in December, judged at the month's end."""
    figures = period_compliance(engine, HEAD, OUTLET, MONTH, policy=POLICY, as_of=dt.date(2026, 12, 31))
    req = figures.result.requirements
    mine = req.loc[(req["staff"] == staff) & (req["channel"] == "sms")]
    return int(mine["required"].sum()), int(mine["met"].sum())


def test_one_confirmation_counts_every_sms_of_the_persons_list(engine):
    listed = sms_batch(engine, HEAD, OUTLET, MONTH, "陈静", policy=POLICY)
    assert len(listed) == _sms(engine, "陈静")[0] == 327  # 陈静 (大堂经理): 328 潜力/基础 customers
    assert _sms(engine, "陈静")[1] == 0
    stored = confirm_sms_batch(engine, HEAD, OUTLET, MONTH, "陈静", day=dt.date(2026, 12, 2), policy=POLICY)
    assert stored == len(listed)
    assert _sms(engine, "陈静") == (len(listed), len(listed))
    # Confirming again stores nothing new; staff confirm only their own batch; a day outside the month is refused.
    assert (
        confirm_sms_batch(engine, HEAD, OUTLET, MONTH, "陈静", day=dt.date(2026, 12, 2), policy=POLICY) == 0
    )
    clerk = Actor("liuyang", "staff", OUTLET, staff_name="刘洋")
    with pytest.raises(ConsoleError, match="只能确认自己的群发短信"):
        confirm_sms_batch(engine, clerk, OUTLET, MONTH, "陈静", day=dt.date(2026, 12, 2), policy=POLICY)
    with pytest.raises(ConsoleError, match="不在 2026-12 月内"):
        confirm_sms_batch(engine, clerk, OUTLET, MONTH, "刘洋", day=dt.date(2027, 1, 4), policy=POLICY)
    assert (
        confirm_sms_batch(engine, clerk, OUTLET, MONTH, "刘洋", day=dt.date(2026, 12, 3), policy=POLICY) > 0
    )


def test_the_command_line_confirms_a_batch_once(tmp_path, capsys):
    import json

    from core.cli import main

    data = seed_outlet(tmp_path / "console.db")
    args = [
        "sms",
        "--db",
        data.url,
        "--outlet",
        OUTLET,
        "--month",
        MONTH,
        "--staff",
        "陈静",
        "--sent",
        "2026-12-02",
    ]
    assert main(args) == 0
    answer = json.loads(capsys.readouterr().out)
    assert (answer["customers"], answer["stored"], answer["sent"]) == (327, 327, "2026-12-02")
    assert main(args) == 0 and json.loads(capsys.readouterr().out)["stored"] == 0  # once is enough
    assert main([*args[:-2], "--sent", "2027-01-04"]) == 2
    assert capsys.readouterr().err.strip() == "发送日期 2027-01-04 不在 2026-12 月内"


def test_a_list_confirmed_on_the_handed_out_sheet_is_imported_as_the_batch_confirmation(engine):
    import io

    import openpyxl

    from core.handout import handout_bytes
    from core.services import import_logs, published_handout, read_logs, sms_batches

    handout = published_handout(engine, HEAD, OUTLET, MONTH)
    book = openpyxl.load_workbook(io.BytesIO(handout_bytes(handout, staff=["陈静"])))
    for row in book["短信-陈静"].iter_rows():
        if row[0].value in ("已发送", "发送日期"):
            row[1].value = "是" if row[0].value == "已发送" else "2026-12-02"
    buffer = io.BytesIO()
    book.save(buffer)
    got = read_logs(
        engine, HEAD, OUTLET, [("计划-陈静.xlsx", buffer.getvalue())], policy=POLICY, period=MONTH
    )
    assert (len(got.rows), got.rejections) == (327, [])
    stored = import_logs(engine, HEAD, OUTLET, got, "计划-陈静.xlsx")
    assert (stored.new, stored.updated) == (327, 0)
    assert _sms(engine, "陈静") == (327, 327)
    mine = sms_batches(engine, HEAD, OUTLET, MONTH, policy=POLICY).set_index("staff").loc["陈静"]
    assert (mine["customers"], mine["confirmed"], mine["sent"], mine["confirmed_by"]) == (
        327,
        327,
        dt.date(2026, 12, 2),
        "zhiju",
    )
    # the console's confirmation afterwards finds the batch stored: nothing new
    assert (
        confirm_sms_batch(engine, HEAD, OUTLET, MONTH, "陈静", day=dt.date(2026, 12, 2), policy=POLICY) == 0
    )
