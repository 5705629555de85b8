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
    writer.writerow([f"查询机构：{OUTLET}", f"导出日期：{as_of:%Y-%m-%d}"])
    writer.writerow(header)
    writer.writerows(lines)
    writer.writerow(["合计", "", "", "", "", f"{total:,.2f}", "", "", "", ""])
    return buffer.getvalue().encode("gbk")


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
