"""Contact logs: reading filled-in 联络表 sheets and CSV, storing them idempotently, console entry with roles."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pandas as pd
import pytest
import xlsxwriter
from sqlalchemy import func, select

from core.compliance.logs import read_contact_logs
from core.errors import AuthError, IngestError, StorageError
from core.policy import Policy
from core.roles import Actor
from core.services import correct_contact as update_contact
from core.services import log_contact as add_contact
from core.services import remove_contact as delete_contact
from core.services.reads import (
    audit_entries,
    customer_directory,
    load_contacts,
    load_period_plan,
    outlet_customers,
    outlet_staff,
)
from core.storage.engine import write_connection
from core.storage.models import TABLES
from tests.builders.contacts import CUSTOMERS, LOG_HEADER, OUTLET, STAFF, seed_outlet
from tests.builders.stored import store_contacts

POLICY = Policy.default()
TODAY = dt.date(2026, 11, 30)


@pytest.fixture
def engine(db_engine):
    """The seeded outlet in SQLite and (with TEST_DATABASE_URL) in a private PostgreSQL schema."""
    seed_outlet(db_engine)
    return db_engine


def workbook(sheets: dict[str, list[list]]) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"strings_to_formulas": False, "strings_to_numbers": False})
    for name, rows in sheets.items():
        sheet = book.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is not None:
                    sheet.write_string(r, c, str(value))
    book.close()
    return buffer.getvalue()


def read(sources, **kw):
    kw.setdefault("staff", {n for n, _ in STAFF})
    kw.setdefault("customers", {c for c, *_ in CUSTOMERS})
    return read_contact_logs(sources, policy=POLICY, **kw)


# ------------------------------------------------------------------ reading


def test_only_the_log_sheets_of_a_workbook_are_read_and_empty_results_are_planned_not_done():
    data = workbook(
        {
            "总览": [["姓名", "客户数"], ["李娜", "1"]],
            "李娜": [["客户号", "姓名"], ["C003", "孙三"]],
            "联络表-李娜": [
                LOG_HEADER,
                ["2026-11-02", "李娜", "C003", "孙三", "电话", "已联络", ""],
                ["2026-11-09", "李娜", "C003", "孙三", "电话", "", ""],
            ],
            "联络表-王强": [
                LOG_HEADER,
                ["2026-11-03", "王强", "C001", "赵一", "短信", "未接通", "关机"],
                ["2026-11-04", "王强", "C002", "钱二", "电话", None, None],
            ],
        }
    )
    got = read([("计划.xlsx", data)], period="2026-11")
    assert got.counts() == {
        "rows_read": 4,
        "contacts": 2,
        "rejected": 0,
        "planned_unfilled": 2,
        "earlier_attempts": 0,
        "warned": 0,
    }
    assert got.rows[["staff_name", "customer_id", "channel", "result"]].values.tolist() == [
        ["李娜", "C003", "电话", "已联络"],
        ["王强", "C001", "短信", "未接通"],
    ]
    assert got.rows["sheet"].tolist() == ["联络表-李娜", "联络表-王强"]
    assert got.rows["row"].tolist() == [2, 2]
    assert got.rows["note"].tolist()[1] == "关机"


def test_bad_rows_are_refused_with_their_row_number_and_every_reason():
    csv = "\n".join(
        [
            ",".join(LOG_HEADER),
            "2026-11-02,李娜,C003,孙三,电话,已联络,",
            "2026-12-01,李娜,C003,孙三,电话,已联络,",
            "2026-11-03,赵六,C003,孙三,电话,已联络,",
            "2026-11-03,李娜,C999,某人,电话,已联络,",
            "2026-11-03,李娜,C003,孙三,飞鸽,已联络,",
            "2026-11-03,李娜,C003,孙三,电话,很好,",
            "11月某日,李娜,C003,孙三,电话,已联络,",
            ",李娜,C003,孙三,电话,已联络,",
            "2026-11-31,王强,C001,赵一,短信,已联络,",
        ]
    ).encode("gbk")
    got = read([("log.csv", csv)], period="2026-11")
    assert len(got.rows) == 1
    assert [(r["row"], r["reason"]) for r in got.rejections] == [
        (3, "日期 2026-12-01 不在计划期间 2026-11 内"),
        (4, "员工“赵六”不在本网点员工名单中"),
        (5, "客户号“C999”不在本网点客户名单中"),
        (6, "方式“飞鸽”不在可选项（电话、短信、上门、厅堂、微信）中"),
        (7, "结果“很好”不在可选项（已联络、未接通、已邀约、已到访、已成交、空号、拒绝、已转存、他行转入）中"),
        (8, "日期“11月某日”无法识别"),
        (9, "日期为空"),
        (10, "日期“2026-11-31”无法识别"),
    ]
    assert {r["file"] for r in got.rejections} == {"log.csv"}


def test_attempts_on_one_day_keep_the_last_result_and_their_number():
    csv = "\n".join(
        [
            ",".join(LOG_HEADER),
            "2026-11-02,李娜,C003,孙三,电话,未接通,",
            "2026-11-02,李娜,C003,孙三,电话,已联络,再打",
            "2026-11-02,李娜,C003,孙三,微信,已联络,",
        ]
    ).encode("utf-8")
    got = read([("a.csv", csv)])
    assert got.rows[["channel", "result", "attempts", "row"]].values.tolist() == [
        ["电话", "已联络", 2, 3],
        ["微信", "已联络", 1, 4],
    ]
    assert got.rows["note"].iloc[0] == "再打"
    assert got.attempts == [{"file": "a.csv", "sheet": None, "row": 2, "final": "a.csv 第 3 行"}]
    assert got.counts()["earlier_attempts"] == 1


def test_a_row_with_staff_blank_on_a_persons_own_sheet_is_hers():
    data = workbook(
        {
            "联络表-李娜": [
                LOG_HEADER,
                ["2026-11-02", "李娜", "C003", "孙三", "电话", "已联络", ""],
                ["2026-11-05", "", "C003", "孙三", "上门", "已邀约", "空白行补记"],
            ],
        }
    )
    got = read([("计划.xlsx", data)], period="2026-11")
    assert got.rejections == []
    assert got.rows[["staff_name", "channel", "row"]].values.tolist() == [
        ["李娜", "电话", 2],
        ["李娜", "上门", 3],
    ]


def test_a_blank_staff_on_a_csv_is_still_refused():
    csv = (",".join(LOG_HEADER) + "\n2026-11-02,,C003,孙三,电话,已联络,\n").encode()
    got = read([("a.csv", csv)], period="2026-11")
    assert [(r["row"], r["reason"]) for r in got.rejections] == [(2, "员工为空")]


def test_a_bad_familiarity_costs_only_the_familiarity_and_a_warning_names_the_row():
    header = [*LOG_HEADER, "熟识程度"]
    csv = "\n".join(
        [
            ",".join(header),
            "2026-11-02,李娜,C003,孙三,电话,已联络,,7",
            "2026-11-03,王强,C001,赵一,短信,已联络,,4",
        ]
    ).encode()
    got = read([("a.csv", csv)], period="2026-11")
    assert got.rejections == []
    assert got.rows["familiarity"].isna().tolist() == [True, False] and got.rows["familiarity"].iloc[1] == 4
    assert got.warnings == [
        {
            "file": "a.csv",
            "sheet": None,
            "row": 2,
            "reason": "熟识程度“7”无法识别（应为 1–5，1 最陌生）：联络已记入，熟识程度未记入",
        }
    ]
    assert got.counts()["warned"] == 1


def test_a_customer_id_whose_name_is_another_customers_is_refused_with_both_names():
    csv = "\n".join(
        [
            ",".join(LOG_HEADER),
            "2026-11-02,李娜,C001,孙三,电话,已联络,",
            "2026-11-03,李娜,C003,孙 三,电话,已联络,",
            "2026-11-04,王强,C001,,短信,已联络,",
        ]
    ).encode()
    names = {c: n for c, n, *_ in CUSTOMERS}
    got = read([("a.csv", csv)], period="2026-11", customers=names)
    assert [(r["row"], r["reason"]) for r in got.rejections] == [
        (2, f"客户号 C001 的姓名写的是“孙三”，但客户数据中该客户号是“{names['C001']}”：请核对客户号")
    ]
    assert got.rows["row"].tolist() == [3, 4]


def test_the_period_defaults_to_the_month_most_dates_fall_in():
    csv = (
        ",".join(LOG_HEADER)
        + "\n2026-11-02,李娜,C003,孙三,电话,已联络,\n2026-11-03,李娜,C003,孙三,电话,已联络,\n"
        "2026-10-30,李娜,C003,孙三,电话,已联络,\n"
    ).encode()
    got = read([("a.csv", csv)])
    assert got.period.label == "2026-11"
    assert [r["row"] for r in got.rejections] == [4]


def test_a_sheet_without_the_log_columns_is_refused_naming_them():
    data = workbook(
        {"联络表-李娜": [["日期", "员工", "客户号", "姓名"], ["2026-11-02", "李娜", "C003", "孙三"]]}
    )
    with pytest.raises(IngestError, match=r"计划\.xlsx\[联络表-李娜\].*方式、结果"):
        read([("计划.xlsx", data)])


# ------------------------------------------------------------------ storing


LOG_CSV = "\n".join(
    [
        ",".join(LOG_HEADER),
        "2026-11-02,李娜,C003,孙三,电话,已联络,",
        "2026-11-11,李娜,C003,孙三,上门,已邀约,",
        "2026-11-03,王强,C001,赵一,短信,已联络,",
    ]
).encode()


def store(engine, rows, source="log.csv"):
    return store_contacts(engine, OUTLET, rows, "zhangwei", source)


def test_an_import_stores_every_contact_and_a_second_import_changes_nothing(engine):
    got = read([("log.csv", LOG_CSV)], period="2026-11")
    first, again = store(engine, got.rows), store(engine, got.rows)
    assert (first.new, first.updated, first.kept) == (3, 0, 0)
    assert (again.new, again.updated, again.kept) == (0, 0, 3)
    stored = load_contacts(engine, OUTLET)
    assert len(stored) == 3
    assert stored["source"].tolist() == ["log.csv", "log.csv", "log.csv"]
    entries = [e for e in audit_entries(engine, outlet=OUTLET) if e["action"] == "contacts.import"]
    assert [(e["detail"]["new"], e["detail"]["kept"]) for e in entries] == [(0, 3), (3, 0)]


def test_a_corrected_file_uploaded_again_updates_the_result_and_the_audit_keeps_the_earlier_one(engine):
    store(engine, read([("log.csv", LOG_CSV)], period="2026-11").rows)
    corrected = LOG_CSV.replace(
        "王强,C001,赵一,短信,已联络,".encode(), "王强,C001,赵一,短信,未接通,关机".encode()
    )
    got = store(engine, read([("log2.csv", corrected)], period="2026-11").rows, "log2.csv")
    assert (got.new, got.updated, got.kept) == (0, 1, 2)
    stored = load_contacts(engine, OUTLET)
    row = stored.loc[stored["customer_id"] == "C001"].iloc[0]
    assert (row["result"], row["note"], row["source"], row["updated_by"]) == (
        "未接通",
        "关机",
        "log2.csv",
        "zhangwei",
    )
    entry = next(e for e in audit_entries(engine, outlet=OUTLET) if e["action"] == "contacts.import")
    assert entry["detail"]["changes"] == [
        {
            "id": int(row["id"]),
            "staff_name": "王强",
            "customer_id": "C001",
            "channel": "短信",
            "contact_date": "2026-11-03",
            "changes": {
                "result": {"before": "已联络", "after": "未接通"},
                "note": {"before": None, "after": "关机"},
            },
        }
    ]


def test_a_second_attempt_on_the_same_day_in_a_later_file_wins_and_the_attempts_are_stored(engine):
    first = (",".join(LOG_HEADER) + "\n2026-11-02,李娜,C003,孙三,电话,未接通,\n").encode()
    later = first + "2026-11-02,李娜,C003,孙三,电话,已联络,回拨\n".encode()
    store(engine, read([("a.csv", first)], period="2026-11").rows)
    got = store(engine, read([("b.csv", later)], period="2026-11").rows, "b.csv")
    assert (got.new, got.updated, got.kept) == (0, 1, 0)
    stored = load_contacts(engine, OUTLET)
    assert stored[["result", "attempts", "note"]].values.tolist() == [["已联络", 2, "回拨"]]


def test_an_import_that_fails_midway_stores_nothing(engine, monkeypatch):
    got = read([("log.csv", LOG_CSV)], period="2026-11")

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("core.storage.contacts.audit", broken)
    with pytest.raises(RuntimeError):
        store(engine, got.rows)
    assert len(load_contacts(engine, OUTLET)) == 0


def test_an_import_into_an_unknown_outlet_is_refused(engine):
    got = read([("log.csv", LOG_CSV)], period="2026-11")
    with pytest.raises(StorageError, match="城西"):
        store_contacts(engine, "城西支局", got.rows, "zhangwei", "log.csv")


def test_stored_plan_staff_and_customers_are_read_back_for_checking(engine):
    plan = load_period_plan(engine, OUTLET, "2026-11")
    assert len(plan) == 9
    assert plan.loc[plan["customer_id"] == "C003", "assets"].unique().tolist() == [80000.0]
    assert outlet_staff(engine, OUTLET) == {"张伟", "李娜", "王强"}
    assert outlet_customers(engine, OUTLET, ["2026-11"]) == {"C001", "C002", "C003", "C004"}
    assert customer_directory(engine, OUTLET, staff="王强")["customer_id"].tolist() == ["C001", "C002"]


# ------------------------------------------------------------------ console entry

HEAD = Actor("zhangwei", "branch_head", OUTLET, "张伟")
LINA = Actor("lina", "staff", OUTLET, "李娜")


def entry(**kw) -> dict:
    values = {
        "contact_date": dt.date(2026, 11, 20),
        "staff_name": "李娜",
        "customer_id": "C003",
        "channel": "电话",
        "result": "已联络",
        "note": "约下周来网点",
        "policy": POLICY,
        "today": TODAY,
    }
    values.update(kw)
    return values


def test_staff_log_a_contact_with_their_own_customer_and_it_is_audited(engine):
    new_id = add_contact(engine, LINA, OUTLET, **entry())
    stored = load_contacts(engine, OUTLET)
    assert stored[
        ["id", "staff_name", "customer_id", "channel", "result", "note", "source", "created_by"]
    ].values.tolist() == [[new_id, "李娜", "C003", "电话", "已联络", "约下周来网点", "console", "lina"]]
    assert audit_entries(engine, outlet=OUTLET)[0]["action"] == "contact.add"


@pytest.mark.parametrize(
    ("actor", "changes", "message"),
    [
        (LINA, {"customer_id": "C001"}, "不是分配给您的客户"),
        (LINA, {"staff_name": "王强", "customer_id": "C001"}, "只能登记"),
        (Actor("other", "branch_head", "城西支局", None), {}, "不属于网点"),
        (Actor("x", "guest", OUTLET, None), {}, "无权"),
    ],
)
def test_entry_is_refused_outside_the_users_role(engine, actor, changes, message):
    with pytest.raises(AuthError, match=message):
        add_contact(engine, actor, OUTLET, **entry(**changes))


def test_the_branch_head_may_log_for_anyone_in_the_outlet_and_an_admin_anywhere(engine):
    add_contact(engine, HEAD, OUTLET, **entry(staff_name="王强", customer_id="C001", channel="短信"))
    add_contact(engine, Actor("root", "admin"), OUTLET, **entry(customer_id="C004", staff_name="张伟"))
    assert len(load_contacts(engine, OUTLET)) == 2


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"contact_date": dt.date(2026, 12, 1)}, "晚于今天"),
        ({"channel": "飞鸽"}, "方式“飞鸽”"),
        ({"result": "很好"}, "结果“很好”"),
        ({"customer_id": "C999"}, "C999"),
    ],
)
def test_entry_with_bad_values_is_refused(engine, changes, message):
    with pytest.raises(StorageError, match=message):
        add_contact(engine, HEAD, OUTLET, **entry(**changes))


def test_a_second_attempt_on_the_same_day_typed_in_the_console_is_one_contact_with_the_last_result(engine):
    first = add_contact(engine, LINA, OUTLET, **entry(result="未接通", note=None))
    again = add_contact(engine, LINA, OUTLET, **entry(result="已联络", note="回拨接通"))
    assert again == first
    stored = load_contacts(engine, OUTLET)
    assert stored[["id", "result", "attempts", "note", "updated_by"]].values.tolist() == [
        [first, "已联络", 2, "回拨接通", "lina"]
    ]
    last = audit_entries(engine, outlet=OUTLET)[0]
    assert (last["action"], last["detail"]["attempts"]) == ("contact.attempt", 2)
    assert last["detail"]["before"] == {"result": "未接通", "note": None}
    # a third attempt without a note keeps the day's note; another channel or day is another contact
    add_contact(engine, HEAD, OUTLET, **entry(result="已邀约", note=None))
    add_contact(engine, LINA, OUTLET, **entry(channel="短信"))
    add_contact(engine, LINA, OUTLET, **entry(contact_date=dt.date(2026, 11, 21)))
    stored = load_contacts(engine, OUTLET)
    assert stored[["contact_date", "channel", "result", "attempts", "note"]].astype(str).values.tolist() == [
        ["2026-11-20", "电话", "已邀约", "3", "回拨接通"],
        ["2026-11-20", "短信", "已联络", "1", "约下周来网点"],
        ["2026-11-21", "电话", "已联络", "1", "约下周来网点"],
    ]


def test_the_branch_head_corrects_an_entry_and_the_audit_log_keeps_before_and_after(engine):
    new_id = add_contact(engine, LINA, OUTLET, **entry())
    update_contact(engine, HEAD, new_id, policy=POLICY, today=TODAY, result="已到访", note=None)
    row = load_contacts(engine, OUTLET).iloc[0]
    assert (row["result"], row["note"], row["updated_by"]) == ("已到访", None, "zhangwei")
    last = audit_entries(engine, outlet=OUTLET)[0]
    assert last["action"] == "contact.update"
    assert last["detail"]["changes"] == {
        "result": {"before": "已联络", "after": "已到访"},
        "note": {"before": "约下周来网点", "after": None},
    }


def test_a_correction_that_collides_with_another_entry_is_refused_and_changes_nothing(engine):
    first = add_contact(engine, LINA, OUTLET, **entry())
    second = add_contact(engine, LINA, OUTLET, **entry(contact_date=dt.date(2026, 11, 21)))
    with pytest.raises(StorageError, match="已登记过"):
        update_contact(engine, HEAD, second, policy=POLICY, today=TODAY, contact_date=dt.date(2026, 11, 20))
    assert load_contacts(engine, OUTLET)["id"].tolist() == [first, second]


def test_staff_cannot_correct_someone_elses_entry(engine):
    new_id = add_contact(engine, HEAD, OUTLET, **entry(staff_name="王强", customer_id="C001", channel="短信"))
    with pytest.raises(AuthError):
        update_contact(engine, LINA, new_id, policy=POLICY, today=TODAY, result="未接通")
    with pytest.raises(AuthError):
        delete_contact(engine, LINA, new_id)


def test_deleting_an_entry_keeps_it_in_the_audit_log(engine):
    new_id = add_contact(engine, LINA, OUTLET, **entry())
    delete_contact(engine, HEAD, new_id)
    assert len(load_contacts(engine, OUTLET)) == 0
    last = audit_entries(engine, outlet=OUTLET)[0]
    assert (last["action"], last["detail"]["customer_id"], last["detail"]["created_by"]) == (
        "contact.delete",
        "C003",
        "lina",
    )
    with pytest.raises(StorageError, match="不存在"):
        delete_contact(engine, HEAD, new_id)


def test_contacts_are_filtered_by_date_and_staff(engine):
    with write_connection(engine) as conn:
        assert conn.scalar(select(func.count()).select_from(TABLES["contact"])) == 0
    add_contact(engine, LINA, OUTLET, **entry())
    add_contact(engine, HEAD, OUTLET, **entry(staff_name="王强", customer_id="C001", channel="短信"))
    assert len(load_contacts(engine, OUTLET, staff="王强")) == 1
    assert len(load_contacts(engine, OUTLET, start=dt.date(2026, 11, 21))) == 0
    assert load_contacts(engine, OUTLET)["contact_date"].tolist() == [pd.Timestamp("2026-11-20")] * 2


def test_a_filled_workbook_read_with_openpyxl_keeps_real_date_cells(engine):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "联络表-李娜"
    sheet.append(LOG_HEADER)
    sheet.append([dt.datetime(2026, 11, 2), "李娜", "C003", "孙三", "电话", "已联络", None])
    buffer = io.BytesIO()
    book.save(buffer)
    got = read([("filled.xlsx", buffer.getvalue())], period="2026-11")
    assert got.rows["contact_date"].tolist() == [pd.Timestamp("2026-11-02")]
