"""The branch head's journey in a real browser: Debian's Chromium driven by Playwright against `streamlit run`.

Log in, upload the demo export, change the mid-tier bound and see the counts change (timed), download the
workbook and open it, log out, and check that a page URL without a session shows only the login form.
A second outlet holds 100,000 customers: how soon the what-if figures follow a bound change is printed and
written to tests/artifacts/whatif_timing.json; bench/bench_browser.py judges it against its target (< 1 s), so a
busy machine never fails this test.
Screenshots of every page go to tests/artifacts/ (one is copied to docs/screenshots/ for the README).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import pathlib
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.request

import openpyxl
import pytest

from core import clock
from core.demo import OUTLET, demo_export, demo_roster, write_demo
from core.ingest import read_customers
from core.policy import Policy
from core.roster import read_roster
from core.services.accounts import add_user
from core.services.reads import audit_entries
from core.storage.engine import ensure_schema, make_engine
from tests.builders.stored import import_snapshot, save_staff

pytestmark = pytest.mark.browser

ROOT = pathlib.Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "artifacts"
SCREENSHOT = ROOT / "docs" / "screenshots" / "console.png"
CHROMIUM = pathlib.Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
HEAD = ("zhang", "Hq7-lotus-harbor")
BENCH = ("bench", "Tm4-cedar-river")
STAFF = ("limin", "Sv2-maple-field")
ADMIN = ("root", "Ad9-stone-bridge")
BENCH_OUTLET = "压测支局"
BENCH_CUSTOMERS = 100_000
AS_OF = clock.today()
MID_LABEL = "中端客户 下限（元）"
TARGET_SECONDS = 1.0


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """`streamlit run serve.py` (as `make run`) on a free port with a temporary database, two accounts and two outlets."""
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed (/usr/bin/chromium): `make test` installs it")
    from playwright.sync_api import sync_playwright  # noqa: F401  (skip cleanly if playwright is missing)

    tmp = tmp_path_factory.mktemp("browser")
    url = f"sqlite:///{tmp / 'console.db'}"
    engine = make_engine(url)
    ensure_schema(engine)
    policy = Policy.default()
    roster = read_roster(demo_roster(), policy=policy, file_name="员工名单.csv")
    add_user(engine, HEAD[0], HEAD[1], role="branch_head", outlet=OUTLET, display_name="张支局长")
    save_staff(engine, OUTLET, roster.staff, user="seed")
    last_month = AS_OF - dt.timedelta(
        days=31
    )  # so 历史对比 has two snapshots once the journey uploads today's
    earlier = demo_export(last_month, customers=5000, seed=20261031)
    import_snapshot(
        engine,
        read_customers(earlier, as_of=last_month, file_name="上月.csv"),
        outlet=OUTLET,
        as_of=last_month,
        user="seed",
    )
    big = read_customers(demo_export(AS_OF, customers=BENCH_CUSTOMERS), as_of=AS_OF, file_name="压测.csv")
    import_snapshot(engine, big, outlet=BENCH_OUTLET, as_of=AS_OF, user="seed")
    add_user(engine, BENCH[0], BENCH[1], role="branch_head", outlet=BENCH_OUTLET)
    add_user(engine, STAFF[0], STAFF[1], role="staff", outlet=OUTLET, staff_name=roster.staff["name"][1])
    add_user(engine, ADMIN[0], ADMIN[1], role="admin", display_name="市分行管理员")
    save_staff(engine, BENCH_OUTLET, roster.staff.assign(outlet=BENCH_OUTLET), user="seed")
    engine.dispose()
    demo = write_demo(tmp / "demo", AS_OF)

    port = _free_port()
    env = dict(os.environ, DATABASE_URL=url, CONSOLE_COOKIE_KEY="c" * 64, PYTHONUNBUFFERED="1")
    log = (tmp / "streamlit.log").open("w")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "serve.py",
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
            "--browser.gatherUsageStats",
            "false",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError):
            if urllib.request.urlopen(f"{base}/_stcore/health", timeout=2).status == 200:
                break
        time.sleep(0.3)
    else:
        proc.kill()
        pytest.fail(f"streamlit did not start; log: {(tmp / 'streamlit.log').read_text()[-2000:]}")
    yield {"base": base, "demo": demo, "log": tmp / "streamlit.log", "url": url}
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(tmp / "streamlit.log", ARTIFACTS / "streamlit.log")


@pytest.fixture(scope="module")
def browser(server):
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def _new_page(browser):
    context = browser.new_context(
        viewport={"width": 1440, "height": 2200}, locale="zh-CN", accept_downloads=True
    )
    page = context.new_page()
    page.set_default_timeout(60_000)
    return context, page


def _login(page, base: str, user: tuple[str, str], path: str = "") -> None:
    page.goto(f"{base}/{path}")  # the server's login form (ui/login_route.py), at the page's own URL
    page.locator("#username").fill(user[0])
    page.locator("#password").fill(user[1])
    page.locator('button[type="submit"]').click()
    page.locator('[data-testid="stSidebar"]').get_by_text("退出登录").wait_for()


def _goto(page, title: str) -> None:
    """Open a page from the sidebar menu and wait until its script has finished."""
    page.locator('[data-testid="stSidebar"]').get_by_role("link", name=title).first.click()
    _settle(page)


def _settle(page) -> None:
    page.wait_for_timeout(300)
    page.locator('[data-testid="stStatusWidget"]').wait_for(state="detached", timeout=120_000)


def _shot(page, name: str) -> pathlib.Path:
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def _metric_values(page) -> list[str]:
    return page.locator('[data-testid="stMetricValue"]').all_inner_texts()


def _change_bound(page, value: int) -> float:
    """Type a new mid-tier bound; seconds until the mid-tier count on screen changes."""
    box = page.get_by_label(MID_LABEL)
    before = _metric_values(page)
    box.fill(str(value))
    start = time.perf_counter()
    box.press("Enter")
    page.wait_for_function(
        """(before) => {
            const now = [...document.querySelectorAll('[data-testid="stMetricValue"]')].map(e => e.innerText);
            return now.length >= 4 && now[2] !== before[2];
        }""",
        arg=before,
        polling="raf",
        timeout=30_000,
    )
    return time.perf_counter() - start


def test_branch_head_journey_from_login_to_workbook_and_logout(server, browser, capsys):
    base = server["base"]
    context, page = _new_page(browser)
    refused = []  # the front end's own files (the icon font is under /static/media/) are never refused
    page.on("response", lambda r: r.status == 403 and "/static/" in r.url and refused.append(r.url))
    _login(page, base, HEAD)
    _settle(page)
    _shot(page, "01-overview-last-month")

    _goto(page, "数据导入")
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').first.set_input_files(
        str(server["demo"]["export"])
    )
    page.get_by_text("校验结果").wait_for()
    _settle(page)
    _shot(page, "02-upload")
    page.get_by_role("button", name="保存快照").click()
    page.get_by_text("已保存快照").wait_for()

    _goto(page, "概览")
    page.get_by_text("各层级客户").wait_for()
    page.wait_for_timeout(800)
    _shot(page, "03-overview")

    _goto(page, "分层策略")
    page.get_by_label(MID_LABEL).wait_for()
    before = _metric_values(page)[:4]
    seconds = _change_bound(page, 60000)
    after = _metric_values(page)[:4]
    assert after != before and after[0] == before[0] and after[3] == before[3]
    assert int(after[1].replace(",", "")) > int(before[1].replace(",", ""))
    with capsys.disabled():
        print(
            f"\nwhat-if, demo outlet ({before}): new numbers {seconds * 1000:.0f} ms after the bound change"
        )
    _settle(page)
    shot = _shot(page, "04-strategy")
    if not SCREENSHOT.exists() or os.environ.get("UPDATE_SCREENSHOT"):  # keep the committed one unless asked
        SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(shot, SCREENSHOT)

    _goto(page, "客户分布")
    page.get_by_text("客户明细").wait_for()
    page.wait_for_timeout(1000)  # charts draw after the script ends
    _shot(page, "05-distribution")

    _goto(page, "任务分配")
    page.get_by_role("button", name="发布联络计划").click()  # workbooks are written from the published plan
    page.get_by_text("已发布").first.wait_for()
    button = page.get_by_role("button", name="下载完整工作簿")
    button.wait_for()
    page.wait_for_timeout(800)
    _shot(page, "06-assignment")
    with page.expect_download(timeout=120_000) as download:
        button.click()
    path = ARTIFACTS / "workbook.xlsx"
    download.value.save_as(path)
    media = download.value.url
    assert "/media/" in media
    assert context.request.get(media).status == 200  # the logged-in browser gets the file again
    stranger = browser.new_context()  # no login cookie: serve.py's guard answers 403
    answer = stranger.request.get(media)
    assert answer.status == 403 and answer.text() == "需要登录"
    stranger.close()
    book = openpyxl.load_workbook(path, read_only=True)
    names = book.sheetnames
    assert names[0] == "总览"
    assert {"临界客户", "到期客户"} <= set(names)
    assert any(name.startswith("联络表-") for name in names)
    book.close()
    actions = [e["action"] for e in audit_entries(make_engine(server["url"]), outlet=OUTLET)]
    assert "export.workbook" in actions  # who exported what is in the audit log

    for title, name in (
        ("历史对比", "07-history"),
        ("联络合规", "08-compliance"),
        ("账户管理", "09-accounts"),
    ):
        link = page.locator('[data-testid="stSidebar"]').get_by_role("link", name=title)
        if link.count():
            _goto(page, title)
            page.wait_for_timeout(1500)  # charts draw after the script ends
            _shot(page, name)

    assert refused == []
    page.locator('[data-testid="stSidebar"]').get_by_role("button", name="退出登录").click()
    page.get_by_text("您已退出登录。").wait_for()
    context.close()

    fresh, anonymous = _new_page(browser)
    anonymous.goto(f"{base}/strategy")
    anonymous.locator("#username").wait_for()
    assert anonymous.locator('input[name="next"]').get_attribute("value") == "/strategy"
    _settle(anonymous)
    assert anonymous.get_by_label(MID_LABEL).count() == 0
    assert anonymous.locator('[data-testid="stMetricValue"]').count() == 0
    _shot(anonymous, "10-deep-link-without-session")
    fresh.close()


def test_staff_and_admin_see_their_own_pages(server, browser):
    """Staff land on their own customers (published by the journey above); admin manages accounts."""
    context, page = _new_page(browser)
    _login(page, server["base"], STAFF)
    page.get_by_text("我负责的客户").wait_for()
    nav = page.locator('[data-testid="stSidebar"]')
    assert nav.get_by_role("link", name="分层策略").count() == 0
    page.wait_for_timeout(800)
    _shot(page, "12-staff-my-customers")
    page.goto(f"{server['base']}/strategy")  # typing a head page's URL
    _settle(page)
    assert page.get_by_label(MID_LABEL).count() == 0
    context.close()

    context, page = _new_page(browser)
    _login(page, server["base"], ADMIN)
    _goto(page, "账户管理")
    page.get_by_text("新增账户").wait_for()
    _shot(page, "09-accounts")
    _goto(page, "客户分布")
    page.get_by_text("各网点层级对比").wait_for()
    page.wait_for_timeout(1500)
    _shot(page, "13-admin-distribution")
    context.close()


def test_whatif_on_100k_customers_shows_new_numbers_after_each_bound_change(server, browser, capsys):
    context, page = _new_page(browser)
    _login(page, server["base"], BENCH, path="strategy")
    _settle(page)  # the run the login started replaces the one it interrupted: wait, or both tab sets show
    page.get_by_label(MID_LABEL).wait_for()
    _settle(page)
    timings = [_change_bound(page, value) for value in (60000, 70000, 55000, 65000, 50000)]
    median = statistics.median(timings)
    figure = (
        f"what-if, {BENCH_CUSTOMERS:,} customers in the browser: new numbers after "
        + ", ".join(f"{t * 1000:.0f}" for t in timings)
        + f" ms (median {median * 1000:.0f} ms, target < {TARGET_SECONDS * 1000:.0f} ms)"
    )
    (ARTIFACTS / "whatif_timing.txt").write_text(figure + "\n", encoding="utf-8")
    timing = {"customers": BENCH_CUSTOMERS, "seconds": timings, "median": median, "target": TARGET_SECONDS}
    (ARTIFACTS / "whatif_timing.json").write_text(json.dumps(timing), encoding="utf-8")
    with capsys.disabled():
        print("\n" + figure)
    _shot(page, "11-strategy-100k")
    context.close()
    assert (
        len(timings) == 5
    )  # each change showed new numbers (a change that never showed would have timed out)


def test_no_page_raised_an_exception_on_the_server(server):
    """Runs last: every page the journeys above opened finished without a traceback in the server log."""
    text = server["log"].read_text(encoding="utf-8", errors="replace")
    assert "Traceback" not in text, text[text.find("Traceback") :][:3000]
