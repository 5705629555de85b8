"""The month's steps on 概览: done / next follow what is stored for the outlet."""

from __future__ import annotations

import datetime as dt

from core import demo
from core.services import month_guide, operator


def test_a_new_outlet_starts_with_the_import(db_engine):
    guide = month_guide(db_engine, operator("t"), "新开支局", dt.date(2026, 11, 30))
    assert guide.month is None
    assert [(s.key, s.done) for s in guide.steps] == [
        ("import", False),
        ("strategy", False),
        ("roster", False),
        ("publish", False),
        ("contact", False),
        ("review", False),
    ]
    assert guide.next.key == "import" and guide.next.page == "upload"


def test_an_old_export_sends_the_head_back_to_the_import(db_engine):
    outlet, roster = demo.SECOND_OUTLET, demo.SECOND_ROSTER
    demo.build_outlet(db_engine, outlet, roster, customers=200, seed=3, as_of=dt.date(2026, 11, 30))
    fresh = month_guide(db_engine, operator("t"), outlet, dt.date(2026, 12, 2))
    assert fresh.next.key == "publish" and fresh.next.fields == {"month": "2026-12"}
    stale = month_guide(db_engine, operator("t"), outlet, dt.date(2027, 1, 20))
    assert stale.next.key == "import"
    assert stale.next.detail == "guide.detail.snapshot_old" and stale.next.fields["days"] == 51
