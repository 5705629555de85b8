"""延后 N (issue 19 item 8 shown): one service counts the contacts the published plans of a period deferred, in
total and per person; the weekly report and ``python -m core compliance`` carry it."""

from __future__ import annotations

import datetime as dt
import io
import json

import openpyxl
import pytest

from core import services
from core.cli import main
from core.compliance.weekly import weekly_summary
from core.demo import OUTLET
from core.policy import Policy
from core.roles import Actor
from core.storage.engine import make_engine
from tests.builders.deferred import seed_published_months

HEAD = Actor("zhiju", "branch_head", OUTLET, "周建国")
LIUYANG = Actor("liuyang", "staff", OUTLET, "刘洋")
DECEMBER = {"刘洋": 238, "周建国": 2, "赵丽": 424, "陈静": 119}


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    data = seed_published_months(tmp_path_factory.mktemp("deferred") / "console.db")
    engine = make_engine(data.url)
    yield data, engine
    engine.dispose()


@pytest.mark.parametrize(
    ("period", "total", "by_staff", "published"),
    [
        ("2026-11", 738, {"刘洋": 257, "赵丽": 481}, ("2026-11",)),
        ("2026-12", 783, DECEMBER, ("2026-12",)),
        # a week counts the contacts planned for its days: W49 is 11-30 to 12-06
        ("2026-W49", 170, {"刘洋": 52, "周建国": 1, "赵丽": 97, "陈静": 20}, ("2026-11", "2026-12")),
        ("2026-W45", 171, {"刘洋": 57, "赵丽": 114}, ("2026-11",)),
        ("2026-Q4", 1521, {"刘洋": 495, "周建国": 2, "赵丽": 905, "陈静": 119}, ("2026-11", "2026-12")),
        ("2026-10", 0, {}, ()),  # nothing published: no N to show (the pages say —)
    ],
)
def test_the_deferred_contacts_of_a_periods_published_plans(seeded, period, total, by_staff, published):
    _, engine = seeded
    got = services.deferred_count(engine, HEAD, OUTLET, period)
    assert (got.total, got.by_staff, got.published) == (total, by_staff, published)
    assert sum(got.by_staff.values()) == got.total


def test_staff_get_their_own_n_and_one_person_can_be_asked_for(seeded):
    _, engine = seeded
    own = services.deferred_count(engine, LIUYANG, OUTLET, "2026-12", staff="赵丽")
    assert (own.total, own.by_staff) == (238, {"刘洋": 238})
    asked = services.deferred_count(engine, HEAD, OUTLET, "2026-12", staff="陈静")
    assert (asked.total, asked.of("陈静"), asked.of("刘洋")) == (119, 119, 0)


def test_between_two_exports_counts_the_plans_in_effect(seeded):
    _, engine = seeded
    got = services.deferred_between(engine, HEAD, OUTLET, dt.date(2026, 10, 31), dt.date(2026, 11, 30))
    assert (got.period, got.total, got.published) == ("2026-11-01 至 2026-11-30", 738, ("2026-11",))


def test_the_weekly_report_has_a_deferred_column_per_person_and_in_total(seeded):
    _, engine = seeded
    policy = Policy.default()
    result = services.period_compliance(
        engine, HEAD, OUTLET, "2026-W49", policy=policy, as_of=dt.date(2026, 12, 6)
    ).result
    buffer = io.BytesIO()
    summary = services.weekly_report(engine, HEAD, OUTLET, result, policy, buffer).set_index("staff")
    assert summary["deferred"].to_dict() == {
        "刘洋": 52,
        "周建国": 1,
        "李敏": 0,
        "王海燕": 0,
        "赵丽": 97,
        "陈静": 20,
        "合计": 170,
    }
    sheet = openpyxl.load_workbook(io.BytesIO(buffer.getvalue())).active
    header = [c.value for c in sheet[2]]
    at = header.index("延后(次)")
    total = next(r for r in sheet.iter_rows(min_row=3, values_only=True) if r[0] == "合计")
    assert total[at] == 170


def test_the_compliance_command_prints_the_deferred_field(seeded, capsys):
    data, _ = seeded
    argv = [
        "compliance",
        "--period",
        "2026-12",
        "--db",
        data.url,
        "--outlet",
        OUTLET,
        "--as-of",
        "2026-12-31",
    ]
    assert main(argv) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["deferred"] == {"total": 783, "by_staff": DECEMBER, "published": ["2026-12"]}
    assert main([*argv, "--staff", "陈静"]) == 0
    assert json.loads(capsys.readouterr().out)["deferred"] == {
        "total": 119,
        "by_staff": {"陈静": 119},
        "published": ["2026-12"],
    }


def test_someone_whose_every_contact_of_the_week_was_deferred_still_has_a_row(seeded):
    _, engine = seeded
    policy = Policy.default()
    result = services.period_compliance(
        engine, HEAD, OUTLET, "2026-W49", policy=policy, as_of=dt.date(2026, 12, 6)
    ).result
    table = weekly_summary(result, result.requirements.iloc[:0], policy, deferred={"刘洋": 52, "新人": 5})
    rows = table.set_index("staff")
    assert (rows.loc["新人", "due"], rows.loc["新人", "deferred"]) == (0, 5)
    assert (rows.loc["刘洋", "deferred"], rows.loc["周建国", "deferred"], rows.loc["合计", "deferred"]) == (
        52,
        0,
        57,
    )
