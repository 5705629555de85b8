"""The one policy object: every tunable rule of tiered customer management, validated, versioned, saved as TOML.

Defaults live in ``policy_default.toml`` beside this module; nothing here hard-codes a business figure.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import pathlib
import re
import tomllib
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from functools import cache
from typing import Any

import numpy as np
import tomli_w

from core.errors import PolicyError
from core.i18n import t

DEFAULT_PATH = pathlib.Path(__file__).with_name("policy_default.toml")
TIER_CODES = ("potential", "basic", "mid", "high")
CHANNELS = ("phone", "sms", "visit", "gift")
PERIODS = ("week", "month", "quarter")
ORDERS = ("assets_desc", "assets_asc", "familiarity_asc", "familiarity_desc")
OFFER_RULES = ("near", "maturing", "tier")


@dataclass(frozen=True)
class Cadence:
    """At least ``count`` contacts by ``channel`` every ``period``."""

    channel: str
    count: int
    period: str


@dataclass(frozen=True)
class Tier:
    code: str
    name: str
    lower: float
    key_action: str
    strategy: str
    aim: str
    owner_roles: tuple[str, ...]
    order_by: str
    card: str
    products: tuple[str, ...]
    activities: tuple[str, ...]
    cadence: tuple[Cadence, ...]


@dataclass(frozen=True)
class Band:
    """临界 band [lower, level) just below a reward level (达标档位)."""

    level: float
    lower: float
    gift: str
    gift_value: float
    points_multiplier: float


@dataclass(frozen=True)
class BranchHead:
    role: str
    top_n: int


@dataclass(frozen=True)
class Maturity:
    window_days: int
    reminder_offsets: tuple[int, ...]
    shift_weekends: bool
    activity: str


@dataclass(frozen=True)
class PlanRules:
    min_working_days_left: int


@dataclass(frozen=True)
class Calendar:
    holidays: tuple[dt.date, ...]
    # 调休: make-up working days (a Saturday or Sunday the State Council makes a working day)
    workdays: tuple[dt.date, ...]
    # the outlet's working weekdays, 1 = Monday ... 7 = Sunday (an outlet open at weekends lists 6 and 7)
    weekdays: tuple[int, ...]
    # fill a year the policy lists no holiday of from the maintained statutory calendar (core.calendar)
    statutory: bool


@dataclass(frozen=True)
class Campaign:
    name_gift: str
    name_points: str
    points_per_yuan: float
    point_value_yuan: float
    expected_share: float
    near_activities: tuple[str, ...]
    # 达标有礼 window ("" = not set, else YYYY-MM-DD, both ends inclusive), gift budget (元) and how a
    # handover is read from the 联络表: a reached contact by one of these channels whose note holds the keyword.
    start: str
    end: str
    budget: float
    handover_channels: tuple[str, ...]
    handover_keyword: str

    def window(self) -> tuple[dt.date | None, dt.date | None]:
        """The campaign's first and last day (None where not set)."""
        return (
            dt.date.fromisoformat(self.start) if self.start else None,
            dt.date.fromisoformat(self.end) if self.end else None,
        )


@dataclass(frozen=True)
class Reminders:
    birthday_tiers: tuple[str, ...]
    birthday_days_before: int


@dataclass(frozen=True)
class Workload:
    roles: tuple[str, ...]
    default_capacity_per_week: float
    weeks_per_month: float
    channel_effort: Mapping[str, float]
    capacity_by_role: Mapping[str, float] = field(default_factory=dict)

    def capacity_of(self, role: str) -> float:
        """Weekly capacity (effort units) of a person in ``role`` when the roster gives none."""
        return float(self.capacity_by_role.get(role, self.default_capacity_per_week))


@dataclass(frozen=True)
class Schedule:
    """How a month's contacts are fitted to capacity (``core.schedule``)."""

    working_days_per_week: int = 5
    rebalance: bool = True
    defer_order: tuple[str, ...] = ("high", "near", "mid", "basic", "potential")


@dataclass(frozen=True)
class Value:
    """What a planned contact is worth (``core.value``), in 元 at stake per contact: moves and deferrals follow it."""

    assets_share: float  # of the customer's assets, per routine contact
    maturity_share: float  # of a maturing amount, per 731 reminder
    near_share: float  # of the reward level, per contact, times the part of the band crossed
    tier_priority: Mapping[str, float]
    move_cost: float  # a relationship moved to a colleague, in 元 of value
    move_cost_share: float  # plus this share of the customer's month value (what the move puts at risk)
    move_cost_managed: float  # plus this when the export names the owner as the customer's 管户人员
    reminder_min_amount: float  # below this maturing amount one SMS instead of the 731 calls
    flex_offset: int  # the reminder (days before maturity) that may move to flatten a peak
    flex_days: int  # by at most this many working days either way


@dataclass(frozen=True)
class Compliance:
    channel_map: Mapping[str, tuple[str, ...]]
    log_channels: tuple[str, ...]
    log_results: tuple[str, ...]
    counted_results: tuple[str, ...]
    reached_results: tuple[str, ...] = ()  # the customer was reached (a 空号 or 未接通 is not)
    sold_results: tuple[str, ...] = ()  # the funnel's last stage
    kept_results: tuple[str, ...] = ()  # a maturity kept (weekly summary)


@dataclass(frozen=True)
class Privacy:
    """What the sheets a staff member gets may show."""

    mask_phone: bool
    hide_assets: bool


@dataclass(frozen=True)
class Offers:
    """Per-customer suggestions (core.offers): at most ``max_items``, built by ``rules`` in order."""

    max_items: int
    rules: tuple[str, ...]
    by_tier: Mapping[str, tuple[str, ...]]


@dataclass(frozen=True)
class History:
    outflow_pct: float


@dataclass(frozen=True)
class Outcomes:
    """经营成效: the balances whose shares are reported, the results that mean a customer was reached, and how
    much of a maturing amount may leave while the maturity still counts as kept."""

    share_levels: tuple[float, ...]
    reached_results: tuple[str, ...]
    maturity_kept_share: float


@dataclass(frozen=True)
class Policy:
    name: str
    tiers: tuple[Tier, ...]
    bands: tuple[Band, ...]
    branch_head: BranchHead
    maturity: Maturity
    plan: PlanRules
    calendar: Calendar
    campaign: Campaign
    reminders: Reminders
    workload: Workload
    compliance: Compliance
    history: History
    outcomes: Outcomes
    schedule: Schedule = field(default_factory=Schedule)
    value: Value = field(default_factory=lambda: _default().value)
    privacy: Privacy = field(default_factory=lambda: _default().privacy)
    offers: Offers = field(default_factory=lambda: _default().offers)
    _lowers: np.ndarray = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_lowers", np.array([t.lower for t in self.tiers], dtype=np.float64))

    # --- construction -------------------------------------------------------------------------------
    @classmethod
    def default(cls) -> Policy:
        return _default()

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Policy:
        """Build and validate; every problem found is listed in one PolicyError."""
        problems: list[str] = []
        try:
            policy = _build(data)
        except (KeyError, TypeError, ValueError) as exc:
            raise PolicyError([f"策略文件格式有误：{_describe(exc)}"]) from exc
        problems.extend(policy.problems())
        if problems:
            raise PolicyError(problems)
        return policy

    @classmethod
    def from_toml(cls, text: str) -> Policy:
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise PolicyError([f"策略文件不是有效的 TOML：{exc}"]) from exc
        except RecursionError as exc:  # a hostile file of thousands of nested arrays or tables
            raise PolicyError(["策略文件嵌套层次过深，不是有效的策略文件"]) from exc
        return cls.from_dict(_merge(_default_dict(), data))

    @classmethod
    def load(cls, path: str | pathlib.Path) -> Policy:
        path = pathlib.Path(path)
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise PolicyError([f"无法读取策略文件 {path}：{exc.strerror or exc}"]) from exc
        except UnicodeDecodeError as exc:
            raise PolicyError([f"策略文件 {path} 不是 UTF-8 编码"]) from exc
        return cls.from_toml(text)

    # --- serialisation ------------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("_lowers", None)
        return _plain(data)

    def to_toml(self) -> str:
        return tomli_w.dumps(self.to_dict())

    def save(self, path: str | pathlib.Path) -> None:
        pathlib.Path(path).write_text(self.to_toml(), encoding="utf-8")

    def fingerprint(self) -> str:
        """Stable hash of every rule: the cache key of anything computed under this policy."""
        blob = json.dumps(self.to_dict(), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:16]

    def with_changes(self, changes: Mapping[str, Any]) -> Policy:
        """A validated copy with ``changes`` deep-merged into its dict (what-if edits)."""
        return Policy.from_dict(_merge(self.to_dict(), changes))

    def with_tier_lowers(self, lowers: Mapping[str, float]) -> Policy:
        """A validated copy with some tiers' lower bounds changed, e.g. ``{"mid": 60000}``."""
        tiers = [dict(t, lower=lowers.get(t["code"], t["lower"])) for t in self.to_dict()["tiers"]]
        return self.with_changes({"tiers": tiers})

    def with_bands(self, bands: list[Mapping[str, Any]]) -> Policy:
        """A validated copy with the near-threshold bands replaced whole."""
        return self.with_changes({"bands": [dict(b) for b in bands]})

    # --- lookups ------------------------------------------------------------------------------------
    @property
    def tier_codes(self) -> tuple[str, ...]:
        return tuple(t.code for t in self.tiers)

    @property
    def tier_lowers(self) -> np.ndarray:
        """Lower bounds (元) of the tiers, ascending; read-only view."""
        view = self._lowers.view()
        view.flags.writeable = False
        return view

    def tier(self, code: str) -> Tier:
        for tier in self.tiers:
            if tier.code == code:
                return tier
        raise PolicyError([f"策略中没有层级“{code}”"])

    def tier_above(self, code: str) -> Tier | None:
        codes = self.tier_codes
        index = codes.index(code)
        return self.tiers[index + 1] if index + 1 < len(codes) else None

    @property
    def holiday_days(self) -> np.ndarray:
        """Public holidays as datetime64[D], for numpy's business-day functions."""
        return np.array(self.calendar.holidays, dtype="datetime64[D]")

    @property
    def workday_days(self) -> np.ndarray:
        """调休 make-up working days as datetime64[D]."""
        return np.array(self.calendar.workdays, dtype="datetime64[D]")

    @property
    def weekmask(self) -> str:
        """The outlet's working weekdays as numpy's weekmask ('1111100': Monday to Friday)."""
        return "".join("1" if d in self.calendar.weekdays else "0" for d in range(1, 8))

    @property
    def reward_levels(self) -> tuple[float, ...]:
        return tuple(b.level for b in self.bands)

    # --- validation ---------------------------------------------------------------------------------
    def problems(self) -> list[str]:
        """Every rule this policy breaks, in Chinese; empty when valid."""
        out: list[str] = []
        codes = [t.code for t in self.tiers]
        if tuple(codes) != TIER_CODES:
            out.append(f"层级必须依次为 {'、'.join(TIER_CODES)}，现为 {'、'.join(codes)}")
        if self.tiers and self.tiers[0].lower != 0:
            out.append(f"最低层级“{self.tiers[0].name}”的下限必须为 0，现为 {self.tiers[0].lower:g}")
        for prev, nxt in zip(self.tiers, self.tiers[1:], strict=False):
            if not nxt.lower > prev.lower:
                out.append(
                    f"层级下限必须递增：“{nxt.name}”下限 {nxt.lower:g} 不高于“{prev.name}”的 {prev.lower:g}"
                )
        roles = set(self.workload.roles)
        for tier in self.tiers:
            if not tier.owner_roles:
                out.append(f"“{tier.name}”没有指定负责岗位")
            for role in tier.owner_roles:
                if role not in roles:
                    out.append(f"“{tier.name}”的负责岗位“{role}”不在岗位列表 {'、'.join(roles)} 中")
            if tier.order_by not in ORDERS:
                out.append(f"“{tier.name}”的排序方式“{tier.order_by}”无效，可选 {'、'.join(ORDERS)}")
            for c in tier.cadence:
                if c.channel not in CHANNELS:
                    out.append(f"“{tier.name}”的联络方式“{c.channel}”无效，可选 {'、'.join(CHANNELS)}")
                if c.period not in PERIODS:
                    out.append(f"“{tier.name}”的联络周期“{c.period}”无效，可选 {'、'.join(PERIODS)}")
                if c.count < 0:
                    out.append(f"“{tier.name}”的{c.channel}联络次数不能为负数")
        levels = [b.level for b in self.bands]
        if levels != sorted(set(levels)):
            out.append("达标档位必须递增且不重复")
        for prev, nxt in zip(self.bands, self.bands[1:], strict=False):
            if nxt.lower < prev.level:
                out.append(f"档位 {nxt.level:g} 的临界区间（{nxt.lower:g} 起）与档位 {prev.level:g} 重叠")
        for band in self.bands:
            if not 0 <= band.lower < band.level:
                out.append(f"档位 {band.level:g} 的临界区间下限 {band.lower:g} 必须不小于 0 且低于档位")
            if band.gift_value < 0:
                out.append(f"档位 {band.level:g} 的礼品价值不能为负数")
            if band.points_multiplier < 1:
                out.append(f"档位 {band.level:g} 的积分倍数必须不小于 1")
        if self.branch_head.top_n < 0:
            out.append("支局长负责的高端客户数（前 N 名）不能为负数")
        if self.branch_head.role not in roles:
            out.append(f"支局长岗位“{self.branch_head.role}”不在岗位列表中")
        if self.plan.min_working_days_left < 0:
            out.append("计划月份规则：剩余工作日数不能为负数")
        if self.maturity.window_days < 1:
            out.append("到期提醒窗口必须至少 1 天")
        offsets = list(self.maturity.reminder_offsets)
        if not offsets or any(o < 0 for o in offsets) or offsets != sorted(set(offsets), reverse=True):
            out.append("到期提醒天数必须为不重复的非负整数，由大到小排列（如 7、3、1）")
        if not 0 <= self.campaign.expected_share <= 1:
            out.append("预计达标比例必须在 0 到 1 之间")
        if self.campaign.points_per_yuan < 0 or self.campaign.point_value_yuan < 0:
            out.append("积分参数不能为负数")
        for code in self.reminders.birthday_tiers:
            if code not in TIER_CODES:
                out.append(f"生日提醒层级“{code}”无效")
        if self.reminders.birthday_days_before < 0:
            out.append("生日提前提醒天数不能为负数")
        if self.workload.default_capacity_per_week <= 0:
            out.append("默认每周联络能力必须大于 0")
        for role, value in self.workload.capacity_by_role.items():
            if role not in roles:
                out.append(f"岗位默认联络能力中的岗位“{role}”不在岗位列表中")
            if not value > 0:
                out.append(f"岗位“{role}”的默认每周联络能力必须大于 0")
        if self.schedule.working_days_per_week < 1 or self.schedule.working_days_per_week > 7:
            out.append("每周工作日数必须在 1 到 7 之间")
        order = list(self.schedule.defer_order)
        known = ["near", *TIER_CODES]
        if sorted(order) != sorted(known):
            out.append(f"延后顺序必须恰好包含 {'、'.join(known)} 各一次，现为 {'、'.join(order)}")
        if not self.calendar.weekdays or any(not 1 <= w <= 7 for w in self.calendar.weekdays):
            out.append("营业日必须是 1（周一）到 7（周日）之间的数字，至少一天")
        clash = sorted(set(self.calendar.holidays) & set(self.calendar.workdays))
        if clash:
            out.append(f"同一天不能既是节假日又是调休上班日：{'、'.join(d.isoformat() for d in clash)}")
        val = self.value
        for label, number in (
            ("资产价值系数", val.assets_share),
            ("到期金额价值系数", val.maturity_share),
            ("临界价值系数", val.near_share),
            ("调整负责人成本", val.move_cost),
            ("调整负责人成本比例", val.move_cost_share),
            ("调整管户客户的额外成本", val.move_cost_managed),
            ("到期提醒最低金额", val.reminder_min_amount),
        ):
            if not number >= 0:
                out.append(f"联络价值：{label}不能为负数")
        for code, weight in val.tier_priority.items():
            if code not in TIER_CODES:
                out.append(f"联络价值：层级权重中的层级“{code}”无效")
            elif not weight > 0:
                out.append(f"联络价值：层级“{code}”的权重必须大于 0")
        if val.flex_days < 0:
            out.append("联络价值：到期提醒可挪动的工作日数不能为负数")
        if self.workload.weeks_per_month <= 0:
            out.append("每月周数必须大于 0")
        for channel in CHANNELS:
            if self.workload.channel_effort.get(channel, -1) < 0:
                out.append(f"联络方式“{channel}”的工作量系数缺失或为负数")
            logged = self.compliance.channel_map.get(channel)
            if not logged:
                out.append(f"合规口径缺少联络方式“{channel}”对应的登记方式")
            else:
                for name in logged:
                    if name not in self.compliance.log_channels:
                        out.append(f"合规口径中的登记方式“{name}”不在登记方式列表中")
        for result in self.compliance.counted_results:
            if result not in self.compliance.log_results:
                out.append(f"计入合规的联络结果“{result}”不在结果列表中")
        for label, results in (
            ("算作联系上", self.compliance.reached_results),
            ("算作成交", self.compliance.sold_results),
            ("算作到期留存", self.compliance.kept_results),
        ):
            for result in results:
                if result not in self.compliance.log_results:
                    out.append(f"{label}的联络结果“{result}”不在结果列表中")
        if len(set(self.compliance.log_results)) != len(self.compliance.log_results):
            out.append("联络结果列表有重复项")
        if not 1 <= self.offers.max_items <= 5:
            out.append(f"每位客户的推荐条数必须在 1 到 5 之间，现为 {self.offers.max_items}")
        for rule in self.offers.rules:
            if rule not in OFFER_RULES:
                out.append(f"推荐规则“{rule}”无效，可选 {'、'.join(OFFER_RULES)}")
        for code, picks in self.offers.by_tier.items():
            if code not in TIER_CODES:
                out.append(f"推荐产品的层级“{code}”无效")
                continue
            tier = next((t for t in self.tiers if t.code == code), None)
            for pick in picks:
                if tier is not None and pick not in tier.products:
                    out.append(f"“{tier.name}”的推荐产品“{pick}”不在该层级的推介产品中")
        if not 0 <= self.history.outflow_pct <= 100:
            out.append("流失预警比例必须在 0 到 100 之间")
        out.extend(_campaign_problems(self.campaign, self.compliance))
        out.extend(_outcome_problems(self.outcomes, self.compliance))
        return out


@cache
def _default_dict() -> dict[str, Any]:
    return tomllib.loads(DEFAULT_PATH.read_text(encoding="utf-8"))


@cache
def _default() -> Policy:
    return Policy.from_dict(_default_dict())


def _build(d: Mapping[str, Any]) -> Policy:
    tiers = tuple(
        Tier(
            code=str(t["code"]),
            name=str(t["name"]),
            lower=float(t["lower"]),
            key_action=str(t.get("key_action", "")),
            strategy=str(t.get("strategy", "")),
            aim=str(t.get("aim", "")),
            owner_roles=tuple(str(r) for r in t["owner_roles"]),
            order_by=str(t.get("order_by", "assets_desc")),
            card=str(t.get("card", "")),
            products=tuple(str(p) for p in t.get("products", ())),
            activities=tuple(str(a) for a in t.get("activities", ())),
            cadence=tuple(
                Cadence(channel=str(c["channel"]), count=int(c["count"]), period=str(c["period"]))
                for c in t.get("cadence", ())
            ),
        )
        for t in d["tiers"]
    )
    bands = tuple(
        Band(
            level=float(b["level"]),
            lower=float(b["lower"]),
            gift=str(b.get("gift", "")),
            gift_value=float(b.get("gift_value", 0)),
            points_multiplier=float(b.get("points_multiplier", 1)),
        )
        for b in d["bands"]
    )
    defaults = _default_dict()
    privacy = d.get("privacy", defaults["privacy"])  # policies saved before these sections take the defaults
    offers = d.get("offers", defaults["offers"])
    bh, mat, camp, rem, wl, comp = (
        d["branch_head"],
        d["maturity"],
        d["campaign"],
        d["reminders"],
        d["workload"],
        d["compliance"],
    )
    return Policy(
        name=str(d.get("name", "")),
        tiers=tiers,
        bands=bands,
        branch_head=BranchHead(role=str(bh["role"]), top_n=int(bh["top_n"])),
        maturity=Maturity(
            window_days=int(mat["window_days"]),
            reminder_offsets=tuple(int(o) for o in mat["reminder_offsets"]),
            shift_weekends=bool(mat["shift_weekends"]),
            activity=str(mat.get("activity", "")),
        ),
        plan=PlanRules(min_working_days_left=int(d.get("plan", {}).get("min_working_days_left", 0))),
        calendar=_calendar(d.get("calendar", {})),
        campaign=Campaign(
            name_gift=str(camp["name_gift"]),
            name_points=str(camp["name_points"]),
            points_per_yuan=float(camp["points_per_yuan"]),
            point_value_yuan=float(camp["point_value_yuan"]),
            expected_share=float(camp["expected_share"]),
            near_activities=tuple(str(a) for a in camp.get("near_activities", ())),
            start=str(_new(camp, "campaign", "start") or "").strip(),
            end=str(_new(camp, "campaign", "end") or "").strip(),
            budget=float(_new(camp, "campaign", "budget")),
            handover_channels=tuple(str(c) for c in _new(camp, "campaign", "handover_channels")),
            handover_keyword=str(_new(camp, "campaign", "handover_keyword")).strip(),
        ),
        reminders=Reminders(
            birthday_tiers=tuple(str(c) for c in rem["birthday_tiers"]),
            birthday_days_before=int(rem["birthday_days_before"]),
        ),
        workload=Workload(
            roles=tuple(str(r) for r in wl["roles"]),
            default_capacity_per_week=float(wl["default_capacity_per_week"]),
            weeks_per_month=float(wl["weeks_per_month"]),
            channel_effort={str(k): float(v) for k, v in wl["channel_effort"].items()},
            capacity_by_role={str(k): float(v) for k, v in wl.get("capacity_by_role", {}).items()},
        ),
        schedule=Schedule(
            working_days_per_week=int(d.get("schedule", {}).get("working_days_per_week", 5)),
            rebalance=bool(d.get("schedule", {}).get("rebalance", True)),
            defer_order=tuple(str(x) for x in d.get("schedule", {}).get("defer_order", Schedule.defer_order)),
        ),
        value=_value(d.get("value") or defaults["value"]),
        compliance=Compliance(
            channel_map={str(k): tuple(str(x) for x in v) for k, v in comp["channel_map"].items()},
            log_channels=tuple(str(x) for x in comp["log_channels"]),
            log_results=tuple(str(x) for x in comp["log_results"]),
            counted_results=tuple(str(x) for x in comp["counted_results"]),
            reached_results=_results(comp, "reached_results", defaults),
            sold_results=_results(comp, "sold_results", defaults),
            kept_results=_results(comp, "kept_results", defaults),
        ),
        history=History(outflow_pct=float(d["history"]["outflow_pct"])),
        outcomes=_outcomes(d.get("outcomes") or _default_dict()["outcomes"]),
        privacy=Privacy(
            mask_phone=bool(privacy.get("mask_phone", False)),
            hide_assets=bool(privacy.get("hide_assets", False)),
        ),
        offers=Offers(
            max_items=int(offers.get("max_items", 3)),
            rules=tuple(str(r) for r in offers.get("rules", OFFER_RULES)),
            by_tier=_picks(offers, tiers, saved="offers" in d),
        ),
    )


def _calendar(c: Mapping[str, Any]) -> Calendar:
    """[calendar]; a policy saved before workdays, weekdays or statutory existed takes the defaults."""
    base = _default_dict()["calendar"]
    return Calendar(
        holidays=tuple(sorted({_date(h) for h in c.get("holidays", ())})),
        workdays=tuple(sorted({_date(h) for h in c.get("workdays", ())})),
        weekdays=tuple(sorted({int(w) for w in c.get("weekdays", base["weekdays"])})),
        statutory=bool(c.get("statutory", base["statutory"])),
    )


def _value(v: Mapping[str, Any]) -> Value:
    """[value]; a policy saved before a key existed takes its default."""
    base = _default_dict()["value"]
    get = lambda key: v.get(key, base[key])  # noqa: E731
    return Value(
        assets_share=float(get("assets_share")),
        maturity_share=float(get("maturity_share")),
        near_share=float(get("near_share")),
        tier_priority={str(k): float(x) for k, x in get("tier_priority").items()},
        move_cost=float(get("move_cost")),
        move_cost_share=float(get("move_cost_share")),
        move_cost_managed=float(get("move_cost_managed")),
        reminder_min_amount=float(get("reminder_min_amount")),
        flex_offset=int(get("flex_offset")),
        flex_days=int(get("flex_days")),
    )


def _picks(offers: Mapping[str, Any], tiers: tuple[Tier, ...], *, saved: bool) -> dict[str, tuple[str, ...]]:
    """Per tier the products offered per customer; a policy saved before [offers] existed takes the default
    picks its own catalogue still has."""
    catalogue = {tier.code: set(tier.products) for tier in tiers}
    out = {}
    for code, picks in offers.get("by_tier", {}).items():
        names = tuple(str(p) for p in picks)
        out[str(code)] = names if saved else tuple(p for p in names if p in catalogue.get(str(code), ()))
    return out


def _results(comp: Mapping[str, Any], key: str, defaults: Mapping[str, Any]) -> tuple[str, ...]:
    """A result list of [compliance]; a policy saved before it existed takes the default's entries that its
    own result list has (so an older five-result policy still loads)."""
    if key in comp:
        return tuple(str(x) for x in comp[key])
    own = {str(x) for x in comp["log_results"]}
    return tuple(str(x) for x in defaults["compliance"][key] if str(x) in own)


def _new(section: Mapping[str, Any], name: str, key: str) -> Any:
    """A key added after policies were first stored: a saved policy without it gets the default."""
    return section[key] if key in section else _default_dict()[name][key]


def _outcomes(d: Mapping[str, Any]) -> Outcomes:
    return Outcomes(
        share_levels=tuple(float(x) for x in _new(d, "outcomes", "share_levels")),
        reached_results=tuple(str(x) for x in _new(d, "outcomes", "reached_results")),
        maturity_kept_share=float(_new(d, "outcomes", "maturity_kept_share")),
    )


def _campaign_problems(camp: Campaign, comp: Compliance) -> list[str]:
    out: list[str] = []
    days = {}
    for key, label in (("start", "开始"), ("end", "结束")):
        text = getattr(camp, key)
        if text:
            try:
                days[key] = dt.date.fromisoformat(text)
            except ValueError:
                out.append(f"达标有礼活动{label}日期“{text}”不是 YYYY-MM-DD 格式")
    if "start" in days and "end" in days and days["end"] < days["start"]:
        out.append(f"达标有礼活动结束日期 {camp.end} 早于开始日期 {camp.start}")
    if camp.budget < 0:
        out.append("达标有礼预算不能为负数")
    for name in camp.handover_channels:
        if name not in comp.log_channels:
            out.append(f"礼品交付登记方式“{name}”不在登记方式列表中")
    return out


def _outcome_problems(oc: Outcomes, comp: Compliance) -> list[str]:
    out: list[str] = []
    levels = list(oc.share_levels)
    if not levels or levels != sorted(set(levels)) or any(x <= 0 for x in levels):
        out.append("经营成效的余额占比档位必须为递增、不重复的正数（如 10000、50000）")
    if not oc.reached_results:
        out.append("经营成效至少需要一个表示“已触达客户”的联络结果")
    for result in oc.reached_results:
        if result not in comp.log_results:
            out.append(f"表示已触达的联络结果“{result}”不在结果列表中")
    if not 0 <= oc.maturity_kept_share <= 1:
        out.append("到期留存比例必须在 0 到 1 之间")
    return out


def _date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError as exc:
        raise ValueError(f"节假日“{value}”不是 YYYY-MM-DD 格式的日期") from exc


def parse_reminder_offsets(text: str, lang: str = "zh") -> tuple[list[int], list[str]]:
    """'7,3,1' (or 7，3、1 / spaces) -> ([7, 3, 1] largest first, problems); each part that is not a whole number
    is one problem."""
    offsets, problems = [], []
    for part in (p for p in re.split(r"[,，、;；\s]+", text) if p):
        try:
            offsets.append(int(part))
        except ValueError:
            problems.append(t("ui.strategy.bad_offset", lang, value=part))
    return sorted(offsets, reverse=True), problems


def parse_holidays(text: str, lang: str = "zh") -> tuple[list[str], list[str]]:
    """One YYYY-MM-DD a line (blank lines skipped) -> (the dates in order, once each, as ISO text; problems
    naming the line of each date that does not parse)."""
    holidays, problems = set(), []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            holidays.add(dt.date.fromisoformat(line.strip()).isoformat())
        except ValueError:
            problems.append(t("ui.strategy.bad_holiday", lang, line=number, value=line.strip()))
    return sorted(holidays), problems


def _describe(exc: Exception) -> str:
    if isinstance(exc, KeyError):
        return f"缺少设置项 {exc.args[0]}"
    return str(exc)


def _merge(base: Mapping[str, Any], changes: Mapping[str, Any]) -> dict[str, Any]:
    """Deep-merge ``changes`` into a copy of ``base``; lists are replaced whole."""
    out = dict(base)
    for key, value in changes.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), Mapping):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def _plain(value: Any) -> Any:
    """Tuples to lists, mappings to dicts, dates to ISO text: a TOML- and JSON-ready tree."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def policy_diff(a: Policy | Mapping[str, Any], b: Policy | Mapping[str, Any]) -> list[tuple[str, Any, Any]]:
    """Rules that differ between two policies as ``(dotted key, value in a, value in b)``, in a's order.

    Tiers are keyed by code and bands by level (``tiers.mid.lower``, ``bands.50000.gift``), so an added or
    removed band is one row rather than a shift of every later one; other lists compare whole. A rule missing
    on one side is None there.
    """
    left = _flatten(a.to_dict() if isinstance(a, Policy) else _plain(a))
    right = _flatten(b.to_dict() if isinstance(b, Policy) else _plain(b))
    keys = list(left) + [k for k in right if k not in left]
    return [(k, left.get(k), right.get(k)) for k in keys if left.get(k) != right.get(k)]


def _flatten(value: Any, prefix: str = "") -> dict[str, Any]:
    if isinstance(value, Mapping):
        out: dict[str, Any] = {}
        for key, item in value.items():
            out.update(_flatten(item, f"{prefix}{key}."))
        return out
    label = _list_labels(value)
    if label is not None:
        out = {}
        for name, item in zip(label, value, strict=True):
            out.update(_flatten(item, f"{prefix}{name}."))
        return out
    return {prefix.rstrip("."): value}


def _list_labels(value: Any) -> list[str] | None:
    """Names for the items of a list of tables that carry a unique ``code`` or ``level``; None otherwise."""
    if not isinstance(value, list) or not value or not all(isinstance(v, Mapping) for v in value):
        return None
    for field_name in ("code", "level"):
        if all(field_name in v for v in value):
            names = [_key_text(v[field_name]) for v in value]
            if len(set(names)) == len(names):
                return names
    return None


def _key_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
