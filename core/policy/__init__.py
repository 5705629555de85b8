"""The one policy object: every tunable rule of tiered customer management, validated, versioned, saved as TOML.

Defaults live in ``core/policy_default.toml``; nothing here hard-codes a business figure. The package:
``schema`` (the dataclasses and their lookups), ``load`` (TOML and dicts in and out, the defaults),
``validate`` (the rules a policy must keep), ``parse`` (what the head types for offsets and holidays) and
``diff`` (which rules differ between two policies).
"""

from core.errors import PolicyError
from core.policy.diff import policy_diff
from core.policy.load import DEFAULT_PATH
from core.policy.parse import parse_holidays, parse_reminder_offsets
from core.policy.schema import (
    CHANNELS,
    OFFER_RULES,
    ORDERS,
    PERIODS,
    TIER_CODES,
    Band,
    BranchHead,
    Cadence,
    Calendar,
    Campaign,
    Compliance,
    History,
    Maturity,
    Offers,
    Outcomes,
    PlanRules,
    Policy,
    Privacy,
    Reminders,
    Schedule,
    Tier,
    Value,
    Workload,
)

__all__ = [
    "CHANNELS",
    "DEFAULT_PATH",
    "OFFER_RULES",
    "ORDERS",
    "PERIODS",
    "TIER_CODES",
    "Band",
    "BranchHead",
    "Cadence",
    "Calendar",
    "Campaign",
    "Compliance",
    "History",
    "Maturity",
    "Offers",
    "Outcomes",
    "PlanRules",
    "Policy",
    "PolicyError",
    "Privacy",
    "Reminders",
    "Schedule",
    "Tier",
    "Value",
    "Workload",
    "parse_holidays",
    "parse_reminder_offsets",
    "policy_diff",
]
