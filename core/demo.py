"""A deterministic demo outlet: the asset export and maturity notice a branch head would pull, and a roster.

The files imitate the core system's exports (GBK CSV, title rows above the header, a 合计 row below the data,
one row per account, amounts with thousands separators) so that the demo exercises the real ingest path.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import pathlib

import numpy as np
import pandas as pd
from sqlalchemy.engine import Engine

from core import services
from core.calendar import default_plan_month
from core.ingest import read_customers
from core.maturity import read_maturities
from core.policy import Policy
from core.roster import read_roster
from core.segment import segment
from core.services import reads

OUTLET = "城关支局"
SURNAMES = list(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
)
GIVEN = list(
    "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志红玉兰春梅海燕文斌宇浩凯欣怡子涵雨轩梓萱"
)
ROSTER = [
    ("周建国", "支局长", None),
    ("李敏", "理财经理", None),
    ("王海燕", "理财经理", None),
    ("陈静", "大堂经理", None),
    ("刘洋", "高柜", None),
    ("赵丽", "高柜", 120),
]
FAMILIARITY = ["陌生", "较低", "一般", "较高", "熟悉"]
PRODUCTS = ["定期", "一本通", "保险", "理财", "储蓄式国债", "凭证式国债"]


def demo_export(as_of: dt.date, *, customers: int = 5000, seed: int = 20261130) -> bytes:
    """The outlet's 目标客户查询 export as GBK CSV bytes: about ``customers`` customers, 1–3 accounts each."""
    rng = np.random.default_rng(seed)
    totals = np.round(rng.lognormal(mean=np.log(6000), sigma=1.6, size=customers), 2)
    accounts = rng.choice([1, 2, 3], size=customers, p=[0.7, 0.22, 0.08])
    staff_names = [name for name, _, _ in ROSTER[1:]] + ["孙丽华"]  # 孙丽华 has left: not on the roster
    lines: list[list[str]] = []
    for i in range(customers):
        cid = f"0010{i + 1:08d}"
        name = SURNAMES[rng.integers(len(SURNAMES))] + "".join(
            GIVEN[j] for j in rng.integers(len(GIVEN), size=rng.integers(1, 3))
        )
        phone = f"1{rng.integers(3, 10)}{rng.integers(0, 10**9):09d}"
        birthday = dt.date(1940, 1, 1) + dt.timedelta(days=int(rng.integers(0, 365 * 62)))
        manager = staff_names[rng.integers(len(staff_names))] if rng.random() < 0.35 else ""
        familiarity = FAMILIARITY[rng.integers(len(FAMILIARITY))] if totals[i] >= 50000 else ""
        parts = rng.dirichlet(np.ones(accounts[i])) * totals[i]
        parts = np.round(parts, 2)
        parts[-1] = round(totals[i] - parts[:-1].sum(), 2)
        for k, amount in enumerate(parts):
            kind = "活期" if k == 0 else "定期"
            maturity = ""
            if kind == "定期":
                maturity = (as_of + dt.timedelta(days=int(rng.integers(-20, 400)))).strftime("%Y/%m/%d")
            lines.append(
                [
                    cid,
                    name,
                    phone,
                    OUTLET,
                    kind,
                    f"{max(amount, 0):,.2f}",
                    maturity,
                    birthday.strftime("%Y%m%d"),
                    manager,
                    familiarity,
                ]
            )
    return _export_bytes(OUTLET, as_of, lines)


def demo_maturities(
    as_of: dt.date, *, customers: int = 5000, items: int = 600, seed: int = 20261201
) -> bytes:
    """The points system's 到期业务提醒 notice as GBK CSV bytes: maturing items over the next ~40 days.

    A few items belong to customers who are not in the asset export (ids past ``customers``): people to call all the same.
    """
    rng = np.random.default_rng(seed)
    rows = []
    for _ in range(items):
        index = int(rng.integers(1, customers + 40))
        amount = float(np.round(rng.lognormal(np.log(30000), 0.9), -2))
        when = as_of + dt.timedelta(days=int(rng.integers(0, 40)))
        rows.append(
            [
                f"0010{index:08d}",
                "",
                PRODUCTS[rng.integers(len(PRODUCTS))],
                f"{amount:,.2f}",
                when.strftime("%Y-%m-%d"),
                OUTLET,
            ]
        )
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([f"到期业务提醒（{as_of:%Y年%m月%d日}起）"])
    writer.writerow(["客户号", "客户姓名", "业务种类", "到期金额", "到期日期", "网点"])
    writer.writerows(rows)
    return buffer.getvalue().encode("gbk")


def demo_roster() -> bytes:
    """The outlet's staff roster as UTF-8 CSV bytes (姓名, 岗位, 网点, 容量)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["姓名", "岗位", "网点", "容量"])
    for name, role, capacity in ROSTER:
        writer.writerow([name, role, OUTLET, "" if capacity is None else capacity])
    return buffer.getvalue().encode("utf-8-sig")


def write_demo(
    directory: str | pathlib.Path, as_of: dt.date, *, customers: int = 5000
) -> dict[str, pathlib.Path]:
    """Write the three demo files into ``directory``; returns their paths by kind."""
    directory = pathlib.Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    files = {
        "export": (directory / "目标客户查询.csv", demo_export(as_of, customers=customers)),
        "maturities": (directory / "到期业务提醒.csv", demo_maturities(as_of, customers=customers)),
        "roster": (directory / "员工名单.csv", demo_roster()),
    }
    for path, payload in files.values():
        tmp = path.with_suffix(".tmp")
        tmp.write_bytes(payload)
        tmp.replace(path)
    return {kind: path for kind, (path, _) in files.items()}


# ------------------------------------------------------------------------------------------ an outlet that has lived

SECOND_OUTLET = "东街支局"
DEMO_SETTING = (
    "demo.built"  # outlet setting written once the demo outlet is built: setup never builds it again
)
SECOND_ROSTER = [
    ("吴志红", "支局长", 30),
    ("郑晓梅", "理财经理", 150),
    ("孙磊", "高柜", 160),
    ("何春燕", "高柜", 160),
]
# Weekly contact capacities a head would write on the roster: a 高柜 calls between counter customers, a 理财经理
# or 大堂经理 has most of the day for it, the 支局长 manages the outlet. Routine SMS go out in bulk and count too.
LIVED_ROSTER = [
    ("周建国", "支局长", 40),
    ("李敏", "理财经理", 180),
    ("王海燕", "理财经理", 180),
    ("陈静", "大堂经理", 200),
    ("刘洋", "高柜", 160),
    ("赵丽", "高柜", 160),
    ("黄志强", "高柜", 160),
]
# Login names of the demo accounts (ASCII, as the console requires): (username, role, outlet, staff name).
DEMO_ACCOUNTS = [
    ("admin", "admin", None, None),
    ("limin", "staff", OUTLET, "李敏"),
    ("wanghaiyan", "staff", OUTLET, "王海燕"),
    ("chenjing", "staff", OUTLET, "陈静"),
    ("liuyang", "staff", OUTLET, "刘洋"),
    ("zhaoli", "staff", OUTLET, "赵丽"),
    ("huangzhiqiang", "staff", OUTLET, "黄志强"),
    ("dongjie", "branch_head", SECOND_OUTLET, None),
]
# Example 达标有礼 gifts per reward level (the source leaves them blank): the head replaces them with their own.
EXAMPLE_GIFTS = {
    10000: ("示例：精美雨伞", 30),
    50000: ("示例：食用油礼盒", 80),
    100000: ("示例：电饭煲", 150),
    200000: ("示例：高端茶礼", 300),
}
# The routine SMS goes out in bulk from the SMS platform: a tenth of a call each in the demo policy.
EXAMPLE_SMS_EFFORT = 0.1
LOG_CHANNEL = {"phone": "电话", "sms": "短信", "visit": "上门", "gift": "厅堂"}
# Share of planned contacts each role actually logs (a busy counter misses more) and what the calls bring.
DONE_BY_ROLE = {"支局长": 0.78, "理财经理": 0.9, "大堂经理": 0.85, "高柜": 0.72, "客户经理": 0.8}
SMS_DONE = 0.96
RESULTS = ["已联络", "未接通", "已邀约", "已到访", "已成交"]
RESULT_P = [0.66, 0.16, 0.1, 0.04, 0.04]


def month_ends(as_of: dt.date, months: int) -> list[dt.date]:
    """The last ``months`` month-end dates up to ``as_of`` (as_of itself when it is a month's last day), oldest first."""
    end = as_of if (as_of + dt.timedelta(days=1)).day == 1 else as_of.replace(day=1) - dt.timedelta(days=1)
    dates = [end]
    while len(dates) < months:
        dates.append(dates[-1].replace(day=1) - dt.timedelta(days=1))
    return dates[::-1]


class Population:
    """Customers of a demo outlet whose accounts evolve month by month: a 活期 balance and perhaps one 定期."""

    def __init__(self, outlet: str, customers: int, seed: int, staff: list[str], start: dt.date) -> None:
        self.outlet = outlet
        self.rng = np.random.default_rng(seed)
        self.staff = staff
        self.next_id = 0
        self.prefix = f"{abs(hash_text(outlet)) % 90 + 10:02d}"
        self.ids: list[str] = []
        self.columns: dict[str, list] = {
            k: [] for k in ("name", "phone", "birthday", "manager", "familiarity")
        }
        self.current = np.zeros(0)
        self.term = np.zeros(0)
        self.maturity = np.zeros(0, dtype="datetime64[D]")
        self.active = np.zeros(0, dtype=bool)
        self._join(customers, start)

    def _join(self, n: int, today: dt.date) -> None:
        rng = self.rng
        totals = rng.lognormal(mean=np.log(5200), sigma=1.5, size=n)
        has_term = rng.random(n) < np.clip(0.25 + totals / 200000, 0, 0.85)
        share = rng.uniform(0.4, 0.9, size=n)
        term = np.where(has_term, totals * share, 0.0)
        days = rng.integers(1, 365, size=n)
        maturity = np.where(has_term, np.datetime64(today, "D") + days, np.datetime64("NaT"))
        for i in range(n):
            self.next_id += 1
            self.ids.append(f"{self.prefix}10{self.next_id:08d}")
            self.columns["name"].append(
                SURNAMES[rng.integers(len(SURNAMES))]
                + "".join(GIVEN[j] for j in rng.integers(len(GIVEN), size=rng.integers(1, 3)))
            )
            self.columns["phone"].append(f"1{rng.integers(3, 10)}{rng.integers(0, 10**9):09d}")
            birthday = dt.date(1940, 1, 1) + dt.timedelta(days=int(rng.integers(0, 365 * 62)))
            self.columns["birthday"].append(birthday.strftime("%Y%m%d"))
            self.columns["manager"].append(
                self.staff[rng.integers(len(self.staff))] if rng.random() < 0.3 else ""
            )
            self.columns["familiarity"].append(
                FAMILIARITY[rng.integers(len(FAMILIARITY))] if totals[i] >= 50000 else ""
            )
        self.current = np.concatenate([self.current, np.round(totals - term, 2)])
        self.term = np.concatenate([self.term, np.round(term, 2)])
        self.maturity = np.concatenate([self.maturity, maturity.astype("datetime64[D]")])
        self.active = np.concatenate([self.active, np.ones(n, dtype=bool)])

    def advance(self, before: dt.date, after: dt.date, policy_levels: np.ndarray) -> None:
        """One month of life: balances drift, near-threshold customers reach levels, maturities renew or leave,
        a few customers go and a few new ones come."""
        rng = self.rng
        n = len(self.ids)
        self.current = np.round(self.current * np.exp(rng.normal(0.004, 0.06, n)), 2)
        totals = self.current + self.term
        # 达标有礼 works on some: a customer just below a level brings money in to reach it
        idx = np.searchsorted(policy_levels, totals, side="right")
        level = policy_levels[np.minimum(idx, len(policy_levels) - 1)]
        near = (idx < len(policy_levels)) & (totals >= level * 0.7) & self.active
        reach = near & (rng.random(n) < 0.07)
        self.current = np.where(
            reach, self.current + (level - totals) * rng.uniform(1.0, 1.25, n), self.current
        )
        # a few mid/high customers move money elsewhere
        out = self.active & (totals >= 50000) & (rng.random(n) < 0.025)
        self.current = np.where(out, self.current * rng.uniform(0.05, 0.4, n), self.current)
        # maturities: renewed for a year, moved to 活期, or gone
        due = (
            (~np.isnat(self.maturity))
            & (self.maturity > np.datetime64(before))
            & (self.maturity <= np.datetime64(after))
        )
        fate = rng.random(n)
        renew = due & (fate < 0.68)
        to_current = due & (fate >= 0.68) & (fate < 0.84)
        gone = due & (fate >= 0.84)
        self.maturity = np.where(renew, self.maturity + np.timedelta64(365, "D"), self.maturity)
        self.current = np.where(to_current, self.current + self.term, self.current)
        self.term = np.where(to_current | gone, 0.0, self.term)
        self.maturity = np.where(to_current | gone, np.datetime64("NaT"), self.maturity)
        # some customers close their accounts; new ones open
        self.active &= rng.random(n) >= 0.006
        self._join(int(rng.integers(n // 150, n // 80 + 2)), after)
        self.current = np.round(np.maximum(self.current, 0.0), 2)

    def export(self, as_of: dt.date) -> bytes:
        """This month's 目标客户查询 export (GBK CSV, title rows, one row per account, a 合计 row)."""
        lines: list[list[str]] = []
        c = self.columns
        for i in np.flatnonzero(self.active):
            base = [self.ids[i], c["name"][i], c["phone"][i], self.outlet]
            tail = [c["birthday"][i], c["manager"][i], c["familiarity"][i]]
            lines.append([*base, "活期", f"{self.current[i]:,.2f}", "", *tail])
            if self.term[i] > 0:
                when = str(self.maturity[i]).replace("-", "/")
                lines.append([*base, "定期", f"{self.term[i]:,.2f}", when, *tail])
        return _export_bytes(self.outlet, as_of, lines)

    def notice(self, as_of: dt.date, days: int = 40) -> bytes:
        """The 到期业务提醒 notice: 定期 items maturing within ``days`` of ``as_of``."""
        start = np.datetime64(as_of, "D")
        due = self.active & (self.term > 0) & (self.maturity >= start) & (self.maturity <= start + days)
        rows = [
            [
                self.ids[i],
                self.columns["name"][i],
                PRODUCTS[i % len(PRODUCTS)],
                f"{self.term[i]:,.2f}",
                str(self.maturity[i]),
                self.outlet,
            ]
            for i in np.flatnonzero(due)
        ]
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow([f"到期业务提醒（{as_of:%Y年%m月%d日}起）"])
        writer.writerow(["客户号", "客户姓名", "业务种类", "到期金额", "到期日期", "网点"])
        writer.writerows(rows)
        return buffer.getvalue().encode("gbk")


def hash_text(text: str) -> int:
    """A stable small hash (Python's own is salted per process)."""
    value = 0
    for ch in text:
        value = (value * 131 + ord(ch)) % 1_000_003
    return value


def _export_bytes(outlet: str, as_of: dt.date, lines: list[list[str]]) -> bytes:
    header = [
        "客户号",
        "客户姓名",
        "联系电话",
        "所属网点",
        "账户类型",
        "账户余额(元)",
        "到期日",
        "出生日期",
        "管户人员",
        "熟识程度",
    ]
    total = sum(float(row[5].replace(",", "")) for row in lines)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["中国邮政储蓄银行 客户营销管理—目标客户查询"])
    writer.writerow([f"查询机构：{outlet}", f"导出日期：{as_of:%Y-%m-%d}"])
    writer.writerow(header)
    writer.writerows(lines)
    writer.writerow(["合计", "", "", "", "", f"{total:,.2f}", "", "", "", ""])
    return buffer.getvalue().encode("gbk")


def roster_bytes(outlet: str, roster: list[tuple[str, str, int | None]]) -> bytes:
    """A staff roster as UTF-8 CSV bytes (姓名, 岗位, 网点, 容量)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["姓名", "岗位", "网点", "容量"])
    for name, role, capacity in roster:
        writer.writerow([name, role, outlet, "" if capacity is None else capacity])
    return buffer.getvalue().encode("utf-8-sig")


def example_policy(policy: Policy) -> Policy:
    """The demo's policy: the defaults with example 达标有礼 gifts and values filled in (marked 示例)."""
    bands = [
        dict(b, gift=EXAMPLE_GIFTS[int(b["level"])][0], gift_value=EXAMPLE_GIFTS[int(b["level"])][1])
        if int(b["level"]) in EXAMPLE_GIFTS
        else b
        for b in policy.to_dict()["bands"]
    ]
    effort = dict(policy.to_dict()["workload"]["channel_effort"], sms=EXAMPLE_SMS_EFFORT)
    return policy.with_changes({"bands": bands, "workload": {"channel_effort": effort}})


def simulated_contacts(plan: pd.DataFrame, as_of: dt.date, roles: dict[str, str], seed: int) -> pd.DataFrame:
    """Contacts staff would log for a published plan: most done on the due day, some missed, a few sold.

    Only days up to ``as_of`` are logged. Rows: contact_date, staff_name, customer_id, channel, result, note.
    """
    rng = np.random.default_rng(seed)
    due = pd.to_datetime(plan["due_date"]).dt.date
    rows = plan.loc[(due <= as_of).to_numpy() & plan["staff"].notna().to_numpy()].reset_index(drop=True)
    n = len(rows)
    p_done = rows["staff"].map(roles).map(DONE_BY_ROLE).fillna(0.8).to_numpy(dtype=np.float64)
    p_done = np.where(rows["channel"].to_numpy() == "sms", SMS_DONE, p_done)
    done = rng.random(n) < p_done
    result = np.array(RESULTS)[rng.choice(len(RESULTS), size=n, p=RESULT_P)]
    result = np.where(rows["channel"].isin(["sms"]).to_numpy(), "已联络", result)
    result = np.where(
        rows["channel"].isin(["visit", "gift"]).to_numpy() & (result == "未接通"), "已联络", result
    )
    out = pd.DataFrame(
        {
            "contact_date": pd.to_datetime(rows["due_date"]).to_numpy(),
            "staff_name": rows["staff"].astype(str).to_numpy(),
            "customer_id": rows["customer_id"].astype(str).to_numpy(),
            "channel": rows["channel"].map(LOG_CHANNEL).to_numpy(),
            "result": result,
            "note": None,
        }
    )[done]
    return out.drop_duplicates(["staff_name", "customer_id", "channel", "contact_date"]).reset_index(
        drop=True
    )


def build_outlet(
    engine: Engine,
    outlet: str,
    roster: list[tuple[str, str, int | None]],
    *,
    customers: int,
    seed: int,
    as_of: dt.date,
    months: int = 4,
    directory: pathlib.Path | None = None,
) -> dict | None:
    """Build a demo outlet that has lived ``months`` months, unless it already has a snapshot (then None).

    Every month's export goes through the real ingest path; each finished month gets its assignment and plan
    published and its contacts logged as staff would; the newest snapshot is imported but its plan is left
    for the head to publish. Returns what was built (snapshot ids, periods, contacts stored).
    """
    if (
        reads.list_snapshots(engine, outlet=outlet)
        or reads.load_setting(engine, outlet, DEMO_SETTING) is not None
    ):
        return None  # built before (and perhaps changed or emptied by the user since): leave it as it is
    actor = services.operator("setup")
    policy, version = reads.active_policy_version(engine, outlet)
    if version is None:
        policy = example_policy(Policy.default())
        services.save_policy(
            engine, actor, outlet, policy, note="演示策略：达标有礼礼品与价值为示例，请按本网点实际修改"
        )
    staff_csv = roster_bytes(outlet, roster)
    team = read_roster(io.BytesIO(staff_csv), policy=policy, file_name="员工名单.csv")
    if reads.load_staff(engine, outlet).empty:
        services.save_roster(engine, actor, outlet, team.staff)
    roles = {name: role for name, role, _ in roster}
    dates = month_ends(as_of, months)
    levels = np.array([b.level for b in policy.bands], dtype=np.float64)
    pop = Population(
        outlet, customers, seed, [name for name, _, _ in roster[1:]], dates[0] - dt.timedelta(days=30)
    )
    built: dict = {"outlet": outlet, "snapshots": [], "periods": [], "contacts": 0}
    for k, day in enumerate(dates):
        if k:
            pop.advance(dates[k - 1], day, levels)
        export, notice_bytes = pop.export(day), pop.notice(day)
        names = (f"目标客户查询-{day:%Y%m%d}.csv", f"到期业务提醒-{day:%Y%m%d}.csv")
        result = read_customers(export, as_of=day, file_name=names[0])
        notice = read_maturities(notice_bytes, file_name=names[1])
        read = services.read_export(result, [notice], day)
        if k == len(dates) - 1:  # this month: imported, planned on 任务分配 by the head, not published
            built["snapshots"].append(services.import_export(engine, actor, outlet, read))
            if directory is not None:
                directory.mkdir(parents=True, exist_ok=True)
                for name, payload in (
                    *zip(names, (export, notice_bytes), strict=True),
                    ("员工名单.csv", staff_csv),
                ):
                    (directory / f"{outlet}-{name}").write_bytes(payload)
            break
        seg = segment(read.customers, policy, day)
        bundle = services.plan_bundle(
            seg, team, policy, default_plan_month(day, policy), day, read.items, engine=engine, outlet=outlet
        )
        stored = services.publish_plan(engine, actor, outlet, bundle, policy=policy, as_of=day, export=read)
        built["snapshots"].append(stored["snapshot_id"])
        built["periods"].append(bundle.month)
        contacts = simulated_contacts(bundle.plan, as_of, roles, seed + k)
        built["contacts"] += services.store_contact_rows(engine, actor, outlet, contacts, "演示联络表").new
    services.remember_setting(
        engine,
        actor,
        outlet,
        DEMO_SETTING,
        {"as_of": as_of.isoformat(), "months": months, "customers": customers, "seed": seed},
    )
    return built
