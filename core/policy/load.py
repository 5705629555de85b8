"""A policy from TOML or a dict and back: the defaults in ``core/policy_default.toml``, the sections a policy
saved before they existed takes from them, and the deep merge of what-if edits. Every problem found is listed in
one ``PolicyError`` (the rules themselves: ``core.policy.validate``).
"""

from __future__ import annotations

import datetime as dt
import pathlib
import tomllib
from collections.abc import Mapping
from functools import cache
from typing import Any

from core.errors import Message, PolicyError
from core.policy.schema import (
    OFFER_RULES,
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

DEFAULT_PATH = pathlib.Path(__file__).parent.parent / "policy_default.toml"


def from_dict(data: Mapping[str, Any]) -> Policy:
    """Build and validate; every problem found is listed in one PolicyError."""
    problems: list[Message] = []
    try:
        policy = _build(data)
    except (KeyError, TypeError, ValueError) as exc:
        raise PolicyError([Message("policy.file.format", detail=_describe(exc))]) from exc
    problems.extend(policy.problems())
    if problems:
        raise PolicyError(problems)
    return policy


def from_toml(text: str) -> Policy:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PolicyError([Message("policy.file.toml", error=str(exc))]) from exc
    except RecursionError as exc:  # a hostile file of thousands of nested arrays or tables
        raise PolicyError([Message("policy.file.nested")]) from exc
    return from_dict(_merge(_default_dict(), data))


def load(path: str | pathlib.Path) -> Policy:
    path = pathlib.Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise PolicyError(
            [Message("policy.file.unreadable", path=str(path), error=exc.strerror or str(exc))]
        ) from exc
    except UnicodeDecodeError as exc:
        raise PolicyError([Message("policy.file.not_utf8", path=str(path))]) from exc
    return from_toml(text)


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


def _date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError as exc:
        raise ValueError(Message("policy.file.bad_holiday", value=value)) from exc


def _describe(exc: Exception) -> Message | str:
    if isinstance(exc, KeyError):
        return Message("policy.file.missing_item", item=exc.args[0])
    if exc.args and isinstance(exc.args[0], Message):
        return exc.args[0]
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
