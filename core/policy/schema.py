"""The policy's schema: every tunable rule of tiered customer management as frozen dataclasses, and the lookups
on them. Building one from TOML and saving it is ``core.policy.load``; the rules a policy must keep are
``core.policy.validate``; the methods of :class:`Policy` that build, save or check call into those (imported when
called, as they build this schema).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import pathlib
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import tomli_w

from core.errors import Message, PolicyError

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

    # --- construction (core.policy.load) --------------------------------------------------------------
    @classmethod
    def default(cls) -> Policy:
        return _default()

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Policy:
        """Build and validate; every problem found is listed in one PolicyError."""
        from core.policy.load import from_dict

        return from_dict(data)

    @classmethod
    def from_toml(cls, text: str) -> Policy:
        from core.policy.load import from_toml

        return from_toml(text)

    @classmethod
    def load(cls, path: str | pathlib.Path) -> Policy:
        from core.policy.load import load

        return load(path)

    # --- serialisation ------------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        from core.policy.load import _plain

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
        from core.policy.load import _merge

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
        raise PolicyError([Message("policy.no_tier", code=code)])

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
    def problems(self) -> list[Message]:
        """Every rule this policy breaks (messages; Chinese as text); empty when valid (``core.policy.validate``)."""
        from core.policy.validate import problems

        return problems(self)


def _default() -> Policy:
    """The default policy (``core.policy.load``), for the sections a policy saved before them takes."""
    from core.policy.load import _default as default

    return default()
