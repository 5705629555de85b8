"""AppTests of the console pages: every page opens for every role, refusals hold, figures match plain numpy."""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools

import numpy as np
import pytest

from core.demo import OUTLET, ROSTER
from core.errors import ConsoleError
from core.i18n import t
from core.ingest import read_customers
from core.policy import Policy
from core.services.accounts import check_password, get_user
from core.services.reads import active_policy, list_snapshots
from core.storage.engine import make_engine
from tests.builders.app import AS_OF, PREVIOUS, database_env, metric_number, page_test, seed_outlet
from tests.builders.app import ran as _run
from ui.nav import PAGES
from ui.text import plain

ROLES = ("admin", "branch_head", "staff")
STAFF_NAME = ROSTER[1][0]  # a 理财经理 of the demo roster
# compliance is the compliance helper's page, tested in its own files
MINE = {spec.key for spec in PAGES} - {"compliance"}


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    data = seed_outlet(tmp_path_factory.mktemp("console") / "console.db")
    with database_env(data.url):
        yield data


PAGE_KEYS = sorted(MINE | {"my_customers"})


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", PAGE_KEYS)
def test_every_page_opens_or_refuses_for_every_role(seeded, page, role):
    spec = {s.key: s for s in PAGES}.get(page)
    allowed = spec.roles if spec else {"staff"}
    at = _run(page_test(page, role, staff_name=STAFF_NAME if role == "staff" else None))
    refusal = t("ui.refused", "zh", role=t(f"ui.role.{role}", "zh"))
    errors = [e.value for e in at.error]
    if role in allowed:
        assert refusal not in errors
        assert at.title, "an allowed page shows its title"
    else:
        assert errors == [refusal]
        assert not at.dataframe and not at.metric and not at.title


def test_staff_page_lists_exactly_their_own_customers(seeded):
    at = _run(page_test("my_customers", "staff", staff_name=STAFF_NAME))
    mine = set(seeded.assignment.loc[seeded.assignment["staff"] == STAFF_NAME, "customer_id"])
    shown = at.dataframe[-1].value
    ids = set(shown[t("ingest.field.customer_id", "zh")].astype(str))
    assert ids == mine
    assert metric_number(at.metric[0].value) == len(mine)


def test_staff_home_is_their_own_list_not_the_outlet_overview(seeded):
    at = _run(page_test("home", "staff", staff_name=STAFF_NAME))
    assert at.title[0].value == t("ui.my.title", "zh", name=STAFF_NAME)


def test_staff_without_staff_name_sees_no_customers(seeded):
    at = _run(page_test("my_customers", "staff", staff_name=None))
    assert at.warning and not at.dataframe


def _tier_counts(assets: np.ndarray, lowers: list[float]) -> list[int]:
    edges = [*lowers, np.inf]
    return [int(((assets >= lo) & (assets < hi)).sum()) for lo, hi in itertools.pairwise(edges)]


def test_whatif_shows_saved_policy_counts_first(seeded):
    at = _run(page_test("strategy", "branch_head"))
    expected = _tier_counts(seeded.assets, [0, 10000, 50000, 200000])
    assert [metric_number(m.value) for m in at.metric[:4]] == expected


def test_whatif_raising_mid_bound_moves_exactly_the_customers_between_old_and_new_bound(seeded):
    at = _run(page_test("strategy", "branch_head"))
    at.number_input(key="wi.lower.mid").set_value(60000.0)
    _run(at)
    expected = _tier_counts(seeded.assets, [0, 10000, 60000, 200000])
    assert [metric_number(m.value) for m in at.metric[:4]] == expected
    moved = int(((seeded.assets >= 50000) & (seeded.assets < 60000)).sum())
    assert moved > 0
    assert at.metric[1].delta == f"{moved:+,}"
    assert at.metric[2].delta == f"{-moved:+,}"
    assert any(s.value == t("ui.strategy.moves", "zh", moved=f"{moved:,}") for s in at.subheader)


def test_whatif_lowering_high_bound_and_changing_bands_counts_near_threshold_exactly(seeded):
    at = _run(page_test("strategy", "branch_head"))
    at.number_input(key="wi.lower.high").set_value(150000.0)
    _run(at)
    expected = _tier_counts(seeded.assets, [0, 10000, 50000, 150000])
    assert [metric_number(m.value) for m in at.metric[:4]] == expected
    a = seeded.assets
    near = sum(
        int(((a >= lo) & (a < hi)).sum())
        for lo, hi in [(7000, 10000), (30000, 50000), (70000, 100000), (150000, 200000)]
    )
    near_label = t("ui.strategy.near_total", "zh")
    assert metric_number(next(m.value for m in at.metric if m.label == near_label)) == near


def test_whatif_invalid_bounds_show_the_problem_not_a_traceback(seeded):
    at = _run(page_test("strategy", "branch_head"))
    at.number_input(key="wi.lower.mid").set_value(5000.0)  # below the basic bound
    _run(at)
    assert at.error[0].value == t("ui.strategy.invalid", "zh")
    assert any("递增" in m.value for m in at.markdown)


def test_whatif_save_makes_a_new_active_version_and_discard_restores(seeded):
    engine = make_engine(seeded.url)
    at = _run(page_test("strategy", "branch_head"))
    at.number_input(key="wi.lower.mid").set_value(60000.0)
    _run(at)
    at.button(key="wi_save_button").click()
    _run(at)
    saved = active_policy(engine, OUTLET)
    assert saved.tier("mid").lower == 60000
    assert at.number_input(key="wi.lower.mid").value == 60000.0
    # back to the default bound for the other tests of this module
    at.number_input(key="wi.lower.mid").set_value(50000.0)
    _run(at)
    at.button(key="wi_save_button").click()
    _run(at)
    assert active_policy(engine, OUTLET).fingerprint() == Policy.default().fingerprint()
    at.number_input(key="wi.lower.mid").set_value(70000.0)
    _run(at)
    at.button(key="wi_discard_button").click()
    _run(at)
    assert at.number_input(key="wi.lower.mid").value == 50000.0


def test_upload_reports_rows_and_rejections_then_saves_a_snapshot(seeded):
    engine = make_engine(seeded.url)
    text = seeded.export.decode("gbk")
    bad = text.replace("合计,", "BAD1,坏数据,,,活期,不是数字,,,,\r\n合计,", 1).encode("gbk")
    at = _run(page_test("upload", "branch_head"))
    at.file_uploader(key="up_file").set_value(("目标客户查询.csv", bad, "text/csv"))
    _run(at)
    assert at.date_input(key="up_as_of").value == AS_OF  # the export's own 导出日期
    at.date_input(key="up_as_of").set_value(AS_OF.replace(day=1))
    _run(at)
    assert at.warning[0].value == t("ui.upload.date_differs", "zh", day=AS_OF, as_of=AS_OF.replace(day=1))
    labels = {m.label: metric_number(m.value) for m in at.metric}
    assert labels[t("ui.upload.rows_rejected", "zh")] == 1
    before = len(list_snapshots(engine, OUTLET))
    at.button(key="up_save").click()
    _run(at)
    assert at.success, [e.value for e in at.error]
    assert len(list_snapshots(engine, OUTLET)) == before + 1


def test_upload_of_unusable_file_shows_the_chinese_error(seeded):
    at = _run(page_test("upload", "branch_head"))
    at.file_uploader(key="up_file").set_value(("名单.csv", "甲,乙\n1,2\n".encode(), "text/csv"))
    _run(at)
    with pytest.raises(ConsoleError) as raised:
        read_customers("甲,乙\n1,2\n".encode(), as_of=AS_OF, file_name="名单.csv")
    assert [e.value for e in at.error] == [plain(str(raised.value))]  # data is text: Markdown escaped


def test_history_counts_moves_between_the_two_snapshots_exactly(seeded):
    at = _run(page_test("history", "branch_head"))
    ids = {s["as_of"]: s["id"] for s in list_snapshots(make_engine(seeded.url), OUTLET)}  # ISO dates
    at.selectbox(key="hist_before").set_value(ids[PREVIOUS.isoformat()])
    at.selectbox(key="hist_after").set_value(ids[AS_OF.isoformat()])
    _run(at)
    before = seeded.earlier.set_index("customer_id")["assets"]
    after = seeded.latest.set_index("customer_id")["assets"]
    both = before.index.intersection(after.index)
    lowers = np.array([0, 10000, 50000, 200000])
    t0 = np.searchsorted(lowers, before[both].to_numpy(), side="right")
    t1 = np.searchsorted(lowers, after[both].to_numpy(), side="right")
    shown = {m.label: metric_number(m.value) for m in at.metric}
    assert shown[t("ui.history.up", "zh")] == int((t1 > t0).sum())
    assert shown[t("ui.history.down", "zh")] == int((t1 < t0).sum())
    assert shown[t("ui.history.new", "zh")] == len(after.index.difference(before.index))
    assert shown[t("ui.history.gone", "zh")] == len(before.index.difference(after.index))


def test_history_gifts_are_the_campaign_rule_with_chinese_headings_and_no_float_noise(seeded):
    from core.outcomes.gifts import earned_gifts
    from core.policy import Policy

    at = _run(page_test("history", "branch_head"))
    ids = {s["as_of"]: s["id"] for s in list_snapshots(make_engine(seeded.url), OUTLET)}
    at.selectbox(key="hist_before").set_value(ids[PREVIOUS.isoformat()])
    at.selectbox(key="hist_after").set_value(ids[AS_OF.isoformat()])
    _run(at)
    earned = earned_gifts(seeded.earlier, seeded.latest, Policy.default())
    shown = {m.label: metric_number(m.value) for m in at.metric}
    assert shown[t("ui.history.fulfilment", "zh")] == len(earned) > 0
    # the figures say which two exports they compare (经营成效 names its pair the same way)
    assert f"以下各数是 {PREVIOUS} 与 {AS_OF} 两次导出之间的变化" in " ".join(c.value for c in at.caption)
    gifts = at.dataframe[3].value
    keys = [
        "ingest.field.customer_id",
        "ingest.field.name",
        "ui.history.assets_before",
        "ui.history.assets_after",
    ]
    keys += ["ui.col.level", "ui.col.gift", "ui.col.gift_value", "ui.history.raised", "ui.history.points"]
    keys += ["ui.col.points_cost"]
    assert gifts.columns.tolist() == [t(k, "zh") for k in keys]
    assert "." not in "".join(gifts[t("ui.history.raised", "zh")])  # whole yuan on screen


def _fill_add_form(at, username: str, password: str, again: str) -> None:
    form = {w.label: w for w in at.text_input}
    form[t("ui.login.username", "zh")].input(username)
    at.selectbox[0].set_value("staff")
    at.selectbox[1].set_value(OUTLET)
    form[t("ui.acc.staff_name", "zh")].input(STAFF_NAME)
    next(w for w in at.text_input if w.label == t("ui.login.password", "zh")).input(password)
    next(w for w in at.text_input if w.label == t("ui.acc.password_again", "zh")).input(again)
    next(b for b in at.button if b.label == t("ui.acc.add_submit", "zh")).click()


def test_admin_adds_a_staff_account_that_then_exists(seeded):
    at = _run(page_test("accounts", "admin"))
    _fill_add_form(at, "wangwu", "long-enough-1", "long-enough-1")
    _run(at)
    user = get_user(make_engine(seeded.url), "wangwu")
    assert (user["role"], user["outlet"], user["staff_name"]) == ("staff", OUTLET, STAFF_NAME)


def test_admin_short_password_is_refused_with_the_accounts_message(seeded):
    at = _run(page_test("accounts", "admin"))
    _fill_add_form(at, "zhaoliu", "short", "short")
    _run(at)
    with pytest.raises(ConsoleError) as raised:
        check_password("short")
    assert [e.value for e in at.error] == [plain(str(raised.value))]  # data is text: Markdown escaped
    with pytest.raises(ConsoleError):
        get_user(make_engine(seeded.url), "zhaoliu")


def test_the_import_date_is_read_from_the_export_and_a_refused_save_says_why_in_the_message(seeded):
    at = _run(page_test("upload", "branch_head", today=dt.date(2026, 12, 6)))
    assert at.date_input(key="up_as_of").value == dt.date(2026, 12, 6)  # no file yet: today
    at.file_uploader(key="up_file").set_value(("目标客户查询.csv", seeded.export, "text/csv"))
    _run(at)
    assert at.date_input(key="up_as_of").value == AS_OF
    title = next(line for line in seeded.export.decode("gbk").splitlines() if "导出日期" in line)
    where = t("ui.upload.date_in_title", "zh", text=title.replace(",", " ").strip())
    assert t("ui.upload.date_found", "zh", day=AS_OF, where=where) in [c.value for c in at.caption]
    at.button(key="up_save").click()
    _run(at)  # the seeded outlet already has this export
    (error,) = at.error
    assert error.value.startswith("保存未完成，数据库未改动：") and "已经导入过" in error.value


def test_the_head_re_dates_an_imported_export_on_the_upload_page(seeded, tmp_path, monkeypatch):
    from core.ingest import read_customers
    from core.storage.engine import ensure_schema
    from tests.builders.stored import import_snapshot  # storage takes a connection: one transaction around it

    url = f"sqlite:///{tmp_path / 'slip.db'}"
    engine = make_engine(url)
    ensure_schema(engine)
    wrong = dt.date(2026, 12, 6)
    read = read_customers(seeded.export, as_of=AS_OF, file_name="目标客户查询.csv")
    import_snapshot(engine, read, outlet=OUTLET, as_of=wrong, user="head_user")
    monkeypatch.setenv("DATABASE_URL", url)
    at = _run(page_test("upload", "branch_head", today=wrong))
    (sid,) = [s["id"] for s in list_snapshots(engine, OUTLET)]
    at.date_input(key=f"up_snap_date_{sid}").set_value(AS_OF)
    at.button(key="up_snap_redate").click()
    _run(at)
    assert [s["as_of"] for s in list_snapshots(engine, OUTLET)] == [AS_OF.isoformat()]
    assert t("ui.snap.redated", "zh", before=wrong, after=AS_OF, file="目标客户查询.csv") in [
        s.value for s in at.success
    ]
    at.checkbox(key=f"up_snap_confirm_{sid}").check()
    at.button(key="up_snap_delete").click()
    _run(at)
    assert list_snapshots(engine, OUTLET) == []


def test_unknown_headers_are_mapped_by_hand_and_remembered_for_the_outlet(seeded):
    first = "编号,户名,存款\nA001,甲,12000\nA002,乙,60000\n".encode()
    second = "编号,户名,存款\nB001,丙,300\n".encode()
    at = _run(page_test("upload", "branch_head"))
    at.date_input(key="up_as_of").set_value(dt.date(2026, 9, 30))
    at.file_uploader(key="up_file").set_value(("新系统导出.csv", first, "text/csv"))
    _run(at)
    assert at.error, "without a customer-id column the file cannot be read"
    digest = hashlib.sha256(first).hexdigest()[:12]
    at.selectbox(key=f"up_map_{digest}_customer_id").set_value("编号")
    at.selectbox(key=f"up_map_{digest}_assets").set_value("存款")
    _run(at)
    assert not at.error
    at.button(key="up_save").click()
    _run(at)
    assert at.success
    at = _run(page_test("upload", "branch_head"))
    at.file_uploader(key="up_file").set_value(("新系统导出-10月.csv", second, "text/csv"))
    _run(at)
    assert not at.error
    shown = {m.label: metric_number(m.value) for m in at.metric}
    assert shown[t("ui.upload.customers", "zh")] == 1


def test_every_label_the_console_asks_for_exists_in_both_languages():
    """Every literal t("ui.…")/ctx.t("…") key in app.py, ui/ and views/ is in the catalog with zh and en."""
    import pathlib
    import re

    from core.i18n import catalog

    root = pathlib.Path(__file__).resolve().parents[2]
    sources = [root / "app.py", *(root / "ui").glob("*.py"), *(root / "views").glob("*.py")]
    keys = set()
    for path in sources:
        keys |= set(
            re.findall(r"""\bt\(\s*["']([a-z_]+\.[a-z0-9_.]+)["']""", path.read_text(encoding="utf-8"))
        )
    texts = catalog()
    missing = sorted(k for k in keys if k not in texts)
    assert not missing
    for key in [k for k in texts if k.startswith("ui.")]:
        assert texts[key].get("zh") and texts[key].get("en"), key


def test_downloading_the_customer_list_is_bound_to_its_account_and_audited_when_fetched(seeded):
    from core.services.reads import audit_entries
    from ui.media_guard import OWNERS, _audit_fetch, _downloadable, media_id

    at = page_test("distribution", "branch_head")
    at.session_state["console_login_sid"] = "office-login-0123"  # set by ui.auth from the login cookie
    at = _run(at)
    file_id = media_id(at.download_button(key="dist_download").proto.url)
    assert _downloadable(file_id)  # a download, not page media: only the login that made it may fetch it
    grant = OWNERS.allowed(file_id, "branch_head_user", "office-login-0123")
    assert grant is not None and OWNERS.allowed(file_id, "staff_user", "office-login-0123") is None
    assert (
        OWNERS.allowed(file_id, "branch_head_user", "home-login-456789") is None
    )  # the same account elsewhere
    assert grant.audit == {
        "kind": "customer_list",
        "outlet": OUTLET,
        "masked": False,
        "rows": 1500,
        "file_name": "客户列表.csv",
        "detail": None,
    }
    _audit_fetch(
        make_engine(seeded.url), "branch_head_user", grant, "10.0.0.5"
    )  # what serve.py does on GET /media
    entry = audit_entries(make_engine(seeded.url), outlet=OUTLET)[0]
    assert entry["action"] == "export.customer_list" and entry["username"] == "branch_head_user"
    assert entry["detail"] == {
        "masked": False,
        "rows": 1500,
        "file_name": "客户列表.csv",
        "client": "10.0.0.5",
        "via": "console",
    }


def test_staff_can_download_their_own_workbook_of_the_published_month(seeded):
    at = _run(page_test("my_customers", "staff", staff_name=STAFF_NAME))
    buttons = [b for b in at.get("download_button") if b.proto.label.startswith("下载我的工作簿")]
    assert len(buttons) == 1
    assert "联络表" in buttons[0].proto.label


def test_staff_keep_the_published_plan_and_workbook_when_the_rules_change_after_publishing(tmp_path):
    """The stored plan is the handout: a new policy changes nothing staff were given until the head publishes."""
    from tests.builders.stored import save_policy

    data = seed_outlet(tmp_path / "console.db")
    save_policy(
        make_engine(data.url),
        Policy.default().with_changes({"branch_head": {"top_n": 0}}),
        user="t",
        outlet=OUTLET,
    )
    with database_env(data.url):
        at = _run(page_test("my_customers", "staff", staff_name=STAFF_NAME))
    assert [b for b in at.get("download_button") if b.proto.label.startswith("下载我的工作簿")]
    mine = int((data.assignment["staff"] == STAFF_NAME).sum())
    assert at.metric[0].value == f"{mine:,}"


def test_assignment_page_says_the_published_plan_is_current(tmp_path):
    # its own outlet: a snapshot saved by another test (the upload test's 11-01 export) changes the 挽回 calls of
    # the page's plan, which the page then rightly calls different from the published one
    data = seed_outlet(tmp_path / "console.db")
    with database_env(data.url):
        at = _run(page_test("assignment", "branch_head"))
    assert at.radio(key="as_month").value == "2026-12"  # data date 11-30: the plan is for the month ahead
    assert [s.value for s in at.success] == [t("ui.assign.published_current", "zh", month="2026-12")]
    assert not at.warning or t("ui.assign.published_stale", "zh", month="2026-12") not in [
        w.value for w in at.warning
    ]


def test_assignment_page_says_an_unpublished_month_is_not_yet_seen_by_staff(seeded):
    at = _run(page_test("assignment", "branch_head"))
    at.radio(key="as_month").set_value("2026-11")
    at = _run(at)
    assert t("ui.assign.not_published", "zh", month="2026-11") in [i.value for i in at.info]


def test_assignment_page_warns_when_the_published_plan_predates_a_policy_change(tmp_path):
    from tests.builders.stored import save_policy

    data = seed_outlet(tmp_path / "console.db")
    save_policy(
        make_engine(data.url),
        Policy.default().with_changes({"branch_head": {"top_n": 0}}),
        user="t",
        outlet=OUTLET,
    )
    with database_env(data.url):
        at = _run(page_test("assignment", "branch_head"))
    assert t("ui.assign.published_stale", "zh", month="2026-12") in [w.value for w in at.warning]


def test_staff_see_the_count_of_contacts_owed_that_the_assignment_page_shows_for_them(tmp_path):
    """One count of "contacts this month" (the rows of the person's 联络表): 我的客户's caption and 任务分配's
    本月应联络 agree; the greeting SMS batch is counted apart."""
    data = seed_outlet(tmp_path / "console.db")
    with database_env(data.url):
        mine = _run(page_test("my_customers", "staff", staff_name=STAFF_NAME))
        head = _run(page_test("assignment", "branch_head"))
    people = next(
        d.value for d in head.dataframe if "姓名" in d.value.columns and "本月应联络(次)" in d.value.columns
    )
    owed = int(people.set_index("姓名").loc[STAFF_NAME, "本月应联络(次)"])
    caption = next(c.value for c in mine.caption if "本月应联络" in c.value)
    assert caption.startswith(
        f"2026-12：本月应联络 {owed:,} 次（联络表的行数，与任务分配一致），另有群发短信 "
    )
