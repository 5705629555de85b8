"""Roster: roles from the policy, default capacity, clear errors naming rows, a warning without a 支局长."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from core.errors import RosterError
from core.policy import Policy
from core.roster import read_roster, roster_from_frame

POLICY = Policy.default()


def frame(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["name", "role", "outlet", "capacity_per_week"])


def test_blank_capacity_takes_the_roles_policy_default_and_numbers_are_kept():
    roster = roster_from_frame(
        frame([("周", "支局长", "城关", ""), ("赵", "高柜", "城关", "120"), ("钱", "高柜", "城关", "")]),
        policy=POLICY,
    )
    assert roster.staff["capacity_per_week"].tolist() == [40.0, 120.0, 60.0]
    assert roster.staff["capacity_source"].tolist() == ["default", "roster", "default"]
    assert roster.warnings == []


def test_unknown_role_names_the_row_and_the_choices():
    with pytest.raises(RosterError, match=r"第 3 行“赵”的岗位“柜员”无法识别.*支局长"):
        roster_from_frame(
            frame([("周", "支局长", "", ""), ("赵", "柜员", "", "")]), policy=POLICY, row_numbers=[2, 3]
        )


def test_duplicate_names_are_an_error_naming_both_rows():
    with pytest.raises(RosterError, match=r"第 4 行姓名“李敏”与第 2 行重复"):
        roster_from_frame(
            frame([("李敏", "理财经理", "", ""), ("周", "支局长", "", ""), ("李敏", "高柜", "", "")]),
            policy=POLICY,
        )


def test_every_problem_is_listed_at_once():
    with pytest.raises(RosterError) as info:
        roster_from_frame(
            frame([("", "高柜", "", ""), ("王", "经理", "", "x"), ("周", "", "", "")]), policy=POLICY
        )
    message = str(info.value)
    assert "第 2 行没有姓名" in message and "“经理”无法识别" in message
    assert "容量“x”不是正数" in message and "第 4 行“周”没有岗位" in message


def test_zero_capacity_is_refused_not_turned_into_the_default():
    with pytest.raises(RosterError, match="容量“0”不是正数"):
        roster_from_frame(frame([("周", "支局长", "", "0")]), policy=POLICY)


def test_blank_rows_are_not_people_and_an_empty_roster_is_an_error():
    roster = roster_from_frame(frame([("周", "支局长", "", ""), ("", "", "", "")]), policy=POLICY)
    assert roster.names == ["周"]
    with pytest.raises(RosterError, match="没有人员"):
        roster_from_frame(frame([("", "", "", "")]), policy=POLICY)


def test_a_roster_without_a_branch_head_is_allowed_with_a_warning():
    roster = roster_from_frame(frame([("李", "理财经理", "", "")]), policy=POLICY)
    assert len(roster.warnings) == 1 and "没有支局长" in roster.warnings[0]
    assert "前 50 名" in roster.warnings[0]


def test_roles_come_from_the_policy():
    custom = POLICY.with_changes({"workload": {"roles": [*POLICY.workload.roles, "综合柜员"]}})
    roster = roster_from_frame(frame([("周", "支局长", "", ""), ("钱", "综合柜员", "", "")]), policy=custom)
    assert roster.staff["role"].tolist() == ["支局长", "综合柜员"]


def test_read_roster_csv_with_a_title_row_and_row_numbers_from_the_file():
    pytest.importorskip("core.ingest")
    text = "城关支局员工名单\n姓名,岗位,网点,容量\n周建国,支局长,城关支局,\n赵丽,高柜,城关支局,120\n"
    roster = read_roster(io.BytesIO(text.encode("gbk")), policy=POLICY, file_name="员工.csv")
    assert roster.staff.to_dict("records") == [
        {
            "name": "周建国",
            "role": "支局长",
            "outlet": "城关支局",
            "capacity_per_week": 40.0,
            "capacity_source": "default",
        },
        {
            "name": "赵丽",
            "role": "高柜",
            "outlet": "城关支局",
            "capacity_per_week": 120.0,
            "capacity_source": "roster",
        },
    ]
    bad = "姓名,岗位\n周建国,支局长\n赵丽,柜台\n"
    with pytest.raises(RosterError, match=r"员工\.csv：第 3 行“赵丽”的岗位“柜台”"):
        read_roster(io.BytesIO(bad.encode("utf-8")), policy=POLICY, file_name="员工.csv")


def test_read_roster_xlsx_with_a_unit_in_the_capacity_header(tmp_path):
    pytest.importorskip("core.ingest")
    path = tmp_path / "roster.xlsx"
    pd.DataFrame(
        {"姓名": ["周建国", "李敏"], "岗位": ["支局长", "理财经理"], "容量（次/周）": [None, 90]}
    ).to_excel(path, index=False)
    roster = read_roster(path, policy=POLICY)
    assert roster.staff["capacity_per_week"].tolist() == [40.0, 90.0]


def test_read_roster_without_a_role_column_says_which_columns_are_needed():
    pytest.importorskip("core.ingest")
    with pytest.raises(RosterError, match="缺少列：岗位"):
        read_roster(io.BytesIO("姓名,网点\n周,城关\n".encode()), policy=POLICY, file_name="r.csv")
