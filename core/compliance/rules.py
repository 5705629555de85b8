"""Compliance engine: the plan's required contacts against the contact log, as pure functions on DataFrames.

Definitions (exact, tested):
- Periods: '2026-11' (calendar month), '2026-W48' (ISO week, Monday to Sunday), '2026-Q4' (calendar quarter).
  A requirement belongs to a reporting period when its due date falls inside it.
- Cadence requirements: plan rows of one customer, channel and window form one requirement whose required count
  is the number of rows (the plan writes one row per contact owed). The window is the ISO week, calendar month or
  calendar quarter (the cadence's period) around the due date; a weekly duty planned on the 30th therefore runs
  to that week's Sunday, even in the next month.
- A logged contact satisfies a requirement when it is of the same customer, its logged channel maps to the
  required channel (``policy.compliance.channel_map``), its result is counted (``counted_results``: reached or
  tried) and its date lies in the window. Any staff member's contact counts for the customer; the requirement
  stays with its planned owner. One contact may satisfy several requirements (a visit with the gift meets both).
- 731 reminders: the reminders of one maturity (offsets 7, 3, 1) each need their own contact by phone, SMS or
  visit (their mapped logged channels). The reminder of offset k is met by a counted contact on or before its due
  date and after the due date of the previous, larger offset's reminder; the first reminder accepts contacts from
  ``maturity.window_days`` before maturity (the day the maturity list goes out). Reminders whose dates coincide
  (weekend shifts) share their window. A call after the due date does not count.
- Birthday reminders: met by a counted contact of the mapped channel within ``reminders.birthday_days_before``
  days either side of the due date.
- Roll-ups per tier leave out requirements without a tier (731 reminders of customers missing from the export);
  they count overall and for their staff member.
- Met: contacts found >= required count. Contacts dated after ``as_of`` are ignored.
- Due (the one definition every figure uses, :func:`due_mask`): a requirement is due when its window has ended on
  or before ``as_of`` (``window_end <= as_of``; ``as_of`` is read as the end of that day, as its contacts count),
  or when it is already met (early work is credit). Otherwise it is pending (未到期): still open, and neither
  credit nor debit, even when some of its contacts are logged. The window is the cadence's week / month / quarter;
  a 731 reminder's window ends on its reminder date; a birthday reminder's ``birthday_days_before`` days after
  its due date (which the plan sets that many days before the birthday: on the birthday). With no ``as_of``
  everything is due (judged final).
- Status: met; overdue (due and not met: the window ended without enough contacts); pending otherwise.
- Rates (overall and every roll-up) are met contacts over due contacts, counting each due requirement's
  ``required`` contacts and its met contacts capped at that; ``pending`` carries the contacts of pending
  requirements beside, so required = due + pending. A group with nothing due has no rate (NaN, None overall);
  :meth:`ComplianceResult.summary` leaves such groups out and refuses to give an overall rate.
  A period whose every window has ended by ``as_of`` has everything due (the weekly window of a duty planned on
  the month's last days may run into the next month and is pending until its Sunday).
- Funnel per tier over the period's planned customers: ``core.compliance.funnel``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from core.calendar import Period, iso_week_label, parse_period, window_bounds
from core.compliance.funnel import funnel
from core.compliance.windows import _reminder_windows
from core.errors import ConsoleError
from core.policy import Policy

REMINDER_CHANNELS = ("phone", "sms", "visit")  # a maturity reminder may reach the customer any of these ways
REQUIREMENT_COLUMNS = [
    "staff",
    "customer_id",
    "name",
    "tier",
    "channel",
    "kind",
    "due_date",
    "offset",
    "maturity_date",
    "assets",
    "period_kind",
    "window_start",
    "window_end",
    "required",
]
ROLLUP_COLUMNS = ["required", "due", "met", "pending", "requirements", "met_requirements", "overdue", "rate"]
_REMINDER_KEY = "_reminder"


# ------------------------------------------------------------------------------------------ inputs


def requirements(plan: pd.DataFrame, policy: Policy, period: str | Period | None = None) -> pd.DataFrame:
    """The plan (``build_plan`` rows or stored ``plan_item`` rows) as requirements (REQUIREMENT_COLUMNS).

    With ``period``, only requirements due inside it. Cadence rows without ``period_kind`` take the period of
    their tier's cadence for that channel under ``policy``.
    """
    frame = plan.rename(columns={"staff_name": "staff", "reminder_offset": "offset"})
    missing = [c for c in ("staff", "customer_id", "channel", "kind", "due_date") if c not in frame.columns]
    if missing:
        raise ConsoleError("compliance.plan_columns", columns=list(missing))
    frame = frame.copy()
    for column in ("name", "tier", "offset", "maturity_date", "assets", "period_kind"):
        if column not in frame.columns:
            frame[column] = pd.NA
    frame["customer_id"] = frame["customer_id"].astype(str)
    frame["due_date"] = pd.to_datetime(frame["due_date"]).dt.normalize()
    frame["maturity_date"] = pd.to_datetime(frame["maturity_date"]).dt.normalize()
    frame["assets"] = pd.to_numeric(frame["assets"], errors="coerce").astype("float64")
    if frame["due_date"].isna().any():
        raise ConsoleError("compliance.plan_no_due", count=int(frame["due_date"].isna().sum()))
    if period is not None:
        p = parse_period(period)
        inside = (frame["due_date"] >= pd.Timestamp(p.start)) & (frame["due_date"] <= pd.Timestamp(p.end))
        frame = frame.loc[inside]
    cadence = frame.loc[frame["kind"] == "cadence"].copy()
    cadence["period_kind"] = cadence_periods(cadence, policy)
    start, end = window_bounds(cadence["due_date"], cadence["period_kind"])
    cadence["window_start"], cadence["window_end"] = pd.to_datetime(start), pd.to_datetime(end)
    keys = ["customer_id", "channel", "period_kind", "window_start"]
    grouped = cadence.sort_values("due_date", kind="stable").groupby(keys, sort=False, dropna=False)
    cad = grouped.agg(
        staff=("staff", "first"),
        name=("name", "first"),
        tier=("tier", "first"),
        kind=("kind", "first"),
        due_date=("due_date", "max"),
        offset=("offset", "first"),
        maturity_date=("maturity_date", "first"),
        assets=("assets", "first"),
        window_end=("window_end", "first"),
        required=("kind", "size"),
    ).reset_index()
    parts = [cad]
    reminders = frame.loc[frame["kind"] == "reminder_731"].copy()
    if len(reminders):
        start, end = _reminder_windows(reminders, policy)
        reminders["window_start"], reminders["window_end"] = pd.to_datetime(start), pd.to_datetime(end)
        reminders["period_kind"] = pd.NA
        reminders["required"] = 1
        parts.append(reminders)
    birthdays = frame.loc[frame["kind"] == "birthday"].copy()
    if len(birthdays):
        span = pd.Timedelta(days=policy.reminders.birthday_days_before)
        birthdays["window_start"] = birthdays["due_date"] - span
        birthdays["window_end"] = birthdays["due_date"] + span
        birthdays["period_kind"] = pd.NA
        birthdays["required"] = 1
        parts.append(birthdays)
    winback = frame.loc[frame["kind"] == "winback"].copy()
    if len(winback):  # a 挽回 call: any time in the month it was planned for
        month = pd.to_datetime(winback["due_date"]).dt.to_period("M")
        winback["window_start"] = month.dt.start_time
        winback["window_end"] = month.dt.end_time.dt.normalize()
        winback["period_kind"] = pd.NA
        winback["required"] = 1
        parts.append(winback)
    other = sorted(set(frame["kind"].astype(str)) - {"cadence", "reminder_731", "birthday", "winback"})
    if other:
        raise ConsoleError("compliance.plan_kind", kinds=list(other))
    filled = [p[REQUIREMENT_COLUMNS] for p in parts if len(p)]
    if filled:
        out = pd.concat(filled, ignore_index=True)
    else:
        out = pd.DataFrame({c: pd.Series(dtype=object) for c in REQUIREMENT_COLUMNS})
    for column in ("due_date", "maturity_date", "window_start", "window_end"):
        out[column] = pd.to_datetime(out[column]).astype("datetime64[us]")
    out["required"] = out["required"].astype("int64")
    out["assets"] = pd.to_numeric(out["assets"], errors="coerce").astype("float64")
    out["offset"] = pd.to_numeric(out["offset"], errors="coerce").astype("Int64")
    return out.sort_values(["due_date", "staff", "customer_id", "channel"], kind="stable").reset_index(
        drop=True
    )


def combine_plans(plans: list[pd.DataFrame]) -> pd.DataFrame:
    """The stored plans of consecutive months (oldest first) as one plan, each duty once.

    A plan made ahead carries the 731 and birthday reminders due before its month; one reminder (customer,
    maturity, offset; a birthday by its date) in two plans is owed once, as the older plan has it. A quarterly
    duty planned again in a later month of its quarter (not yet met when that plan was made) is owed once, as the
    latest plan has it.
    """
    filled = [p.assign(_plan=i) for i, p in enumerate(plans) if len(p)]
    if not filled:
        return plans[0] if plans else pd.DataFrame()
    frame = pd.concat(filled, ignore_index=True)
    offset = frame["reminder_offset"] if "reminder_offset" in frame.columns else frame.get("offset")
    kind = frame["kind"].astype(str)
    due = pd.to_datetime(frame["due_date"])
    maturity = pd.to_datetime(frame["maturity_date"]) if "maturity_date" in frame.columns else due
    fixed = kind.isin(["reminder_731", "birthday"])
    key = pd.DataFrame(
        {
            "customer_id": frame["customer_id"].astype(str),
            "kind": kind,
            "offset": pd.Series(offset, index=frame.index).astype("string").fillna(""),
            "day": np.where(
                kind == "birthday", due.dt.strftime("%Y-%m-%d"), maturity.dt.strftime("%Y-%m-%d")
            ),
        }
    )
    first_plan = frame["_plan"].groupby([key[c] for c in key.columns]).transform("min")
    repeated = fixed & (frame["_plan"] > first_plan)  # two items of one day in one plan stay two
    quarterly = (kind == "cadence") & (
        frame["period_kind"].astype(object).eq("quarter") if "period_kind" in frame.columns else False
    )
    quarter = due.dt.year.astype(str) + "Q" + due.dt.quarter.astype(str)
    latest = frame.loc[quarterly].groupby([frame["customer_id"].astype(str), frame["channel"], quarter])[
        "_plan"
    ]
    newest = latest.transform("max").reindex(frame.index)
    older = quarterly & (frame["_plan"] < newest)
    return frame.loc[~(repeated | older)].drop(columns="_plan").reset_index(drop=True)


def cadence_periods(cadence: pd.DataFrame, policy: Policy) -> pd.Series:
    """Each cadence row's period (week, month, quarter): its own ``period_kind``, else its tier's cadence."""
    given = (
        cadence["period_kind"] if "period_kind" in cadence.columns else pd.Series(pd.NA, index=cadence.index)
    ).astype(object)
    lookup = {(tier.code, c.channel): c.period for tier in policy.tiers for c in tier.cadence}
    derived = pd.Series(
        [lookup.get((tier, ch)) for tier, ch in zip(cadence["tier"], cadence["channel"], strict=True)],
        index=cadence.index,
        dtype=object,
    )
    periods = given.where(given.notna(), derived)
    unknown = periods.isna()
    if unknown.any():
        first = cadence.loc[unknown].iloc[0]
        raise ConsoleError(
            "compliance.no_cadence", count=int(unknown.sum()), tier=first["tier"], channel=first["channel"]
        )
    return periods


def normalize_contacts(contacts: pd.DataFrame) -> pd.DataFrame:
    """Contacts as staff, customer_id, channel, result, contact_date (a day), once per staff/customer/channel/day."""
    frame = contacts.rename(columns={"staff_name": "staff", "date": "contact_date"})
    missing = [
        c for c in ("staff", "customer_id", "channel", "result", "contact_date") if c not in frame.columns
    ]
    if missing:
        raise ConsoleError("compliance.contact_columns", columns=list(missing))
    out = frame[["staff", "customer_id", "channel", "result", "contact_date"]].copy()
    out["customer_id"] = out["customer_id"].astype(str)
    out["contact_date"] = pd.to_datetime(out["contact_date"]).dt.normalize().astype("datetime64[us]")
    return out.drop_duplicates(["staff", "customer_id", "channel", "contact_date"]).reset_index(drop=True)


# ------------------------------------------------------------------------------------------ result


@dataclass(frozen=True)
class ComplianceResult:
    """Per-requirement flags and the roll-ups the page and the CLI show."""

    period: Period
    requirements: pd.DataFrame
    by_tier: pd.DataFrame
    by_staff: pd.DataFrame
    by_week: pd.DataFrame
    by_staff_week: pd.DataFrame
    by_channel: pd.DataFrame
    overdue: pd.DataFrame
    funnel: pd.DataFrame
    as_of: dt.date | None = None
    tiers: tuple[str, ...] = field(default=())

    @property
    def required(self) -> int:
        """Contacts the period's requirements ask for, due or pending."""
        return int(self.requirements["required"].sum())

    @property
    def due(self) -> int:
        """Contacts of due requirements: the rate's denominator."""
        return int(self.requirements.loc[self.requirements["due"], "required"].sum())

    @property
    def pending(self) -> int:
        """Contacts of requirements not yet due (window still open and not met)."""
        return self.required - self.due

    @property
    def met_contacts(self) -> int:
        """Met contacts of due requirements (capped at each one's required count): the rate's numerator."""
        return int(self.requirements.loc[self.requirements["due"], "met_count"].sum())

    @property
    def overall(self) -> float | None:
        """Met contacts over due contacts; None when nothing is due."""
        return self.met_contacts / self.due if self.due else None

    def summary(self) -> dict:
        """The CLI shape: {"overall", "by_tier": {code: rate}, "by_staff": {name: rate}, "overdue"}, rates in [0, 1].

        Tiers and staff members with nothing due are left out. With nothing due at all there is no overall rate:
        a ConsoleError says so (nothing required, or nothing due yet as of ``as_of`` with N pending).
        """
        if self.overall is None:
            if not self.required:
                raise ConsoleError("compliance.nothing_required", period=self.period.label)
            raise ConsoleError(
                "compliance.nothing_due",
                period=self.period.label,
                as_of=self.as_of.isoformat() if self.as_of else "—",
                pending=f"{self.pending:,}",
            )
        by_tier = {
            str(r.tier): float(r.rate) for r in self.by_tier.itertuples() if r.due and r.tier in self.tiers
        }
        by_staff = {str(r.staff): float(r.rate) for r in self.by_staff.itertuples() if r.due}
        return {
            "overall": float(self.overall),
            "by_tier": by_tier,
            "by_staff": by_staff,
            "overdue": len(self.overdue),
        }


def due_mask(req: pd.DataFrame, as_of: dt.date | None) -> np.ndarray:
    """Which requirements are due (module docstring): window ended on or before ``as_of``, or already met."""
    met = req["met"].to_numpy(dtype=bool)
    if as_of is None:
        return np.ones(len(req), dtype=bool)
    ended = (pd.to_datetime(req["window_end"]) <= pd.Timestamp(as_of)).to_numpy(dtype=bool)
    return ended | met


def compliance(
    plan_requirements: pd.DataFrame,
    contacts: pd.DataFrame,
    policy: Policy,
    period: str | Period,
    *,
    as_of: dt.date | None = None,
) -> ComplianceResult:
    """Judge every requirement of ``period`` against ``contacts`` (see the module docstring for the rules).

    ``plan_requirements`` may be plan rows or the output of :func:`requirements`.
    """
    p = parse_period(period)
    req = plan_requirements
    if "window_start" not in req.columns or "required" not in req.columns:
        req = requirements(req, policy)
    due = pd.to_datetime(req["due_date"])
    req = req.loc[(due >= pd.Timestamp(p.start)) & (due <= pd.Timestamp(p.end))].reset_index(drop=True).copy()
    log = normalize_contacts(contacts)
    if as_of is not None:
        log = log.loc[log["contact_date"] <= pd.Timestamp(as_of)]
    counted = log.loc[log["result"].isin(policy.compliance.counted_results)]
    req["done"] = _count_matches(req, counted, policy)
    req["met"] = req["done"] >= req["required"]
    req["met_count"] = np.minimum(req["done"], req["required"]).astype("int64")
    req["due"] = due_mask(req, as_of)
    req["status"] = np.where(req["met"], "met", np.where(req["due"], "overdue", "pending"))
    req["week"] = iso_week_label(req["due_date"]) if len(req) else pd.Series(dtype=str)
    tier_rank = {code: i for i, code in enumerate(policy.tier_codes)}
    overdue = req.loc[req["status"] == "overdue"].copy()
    overdue["_tier"] = overdue["tier"].map(tier_rank).fillna(-1)
    overdue = overdue.sort_values(
        ["_tier", "assets", "due_date", "staff", "customer_id"],
        ascending=[False, False, True, True, True],
        na_position="last",
        kind="stable",
    ).drop(columns="_tier")
    in_period = log.loc[
        (log["contact_date"] >= pd.Timestamp(p.start)) & (log["contact_date"] <= pd.Timestamp(p.end))
    ]
    return ComplianceResult(
        period=p,
        requirements=req,
        by_tier=_rollup(req, ["tier"], order={"tier": list(policy.tier_codes)}),
        by_staff=_rollup(req, ["staff"]),
        by_week=_rollup(req, ["week"]),
        by_staff_week=_rollup(req, ["staff", "week"]),
        by_channel=_rollup(req, ["kind", "channel"]),
        overdue=overdue.reset_index(drop=True),
        funnel=funnel(req, in_period, policy),
        as_of=as_of,
        tiers=policy.tier_codes,
    )


def _count_matches(req: pd.DataFrame, counted: pd.DataFrame, policy: Policy) -> np.ndarray:
    if not len(req) or not len(counted):
        return np.zeros(len(req), dtype=np.int64)
    channel_map = policy.compliance.channel_map
    pairs = [(key, logged) for key, names in channel_map.items() for logged in names]
    reminder_names = {n for c in REMINDER_CHANNELS for n in channel_map.get(c, ())}
    pairs += [(_REMINDER_KEY, logged) for logged in sorted(reminder_names)]
    mapping = pd.DataFrame(pairs, columns=["key", "channel"])
    hits = counted.merge(mapping, on="channel")[["customer_id", "key", "contact_date"]]
    keys = pd.DataFrame(
        {
            "rid": np.arange(len(req)),
            "customer_id": req["customer_id"].to_numpy(),
            "key": np.where(
                req["kind"].to_numpy() == "reminder_731", _REMINDER_KEY, req["channel"].to_numpy()
            ),
            "start": req["window_start"].to_numpy(),
            "end": req["window_end"].to_numpy(),
        }
    )
    joined = keys.merge(hits, on=["customer_id", "key"])
    inside = (joined["contact_date"] >= joined["start"]) & (joined["contact_date"] <= joined["end"])
    # a contact logged as 电话 and 微信 on the same day is two contacts; the same row is never counted twice
    done = joined.loc[inside].groupby("rid").size()
    return done.reindex(np.arange(len(req)), fill_value=0).to_numpy(dtype=np.int64)


def _rollup(req: pd.DataFrame, keys: list[str], order: dict[str, list[str]] | None = None) -> pd.DataFrame:
    """Per group, in contacts: required = due + pending, met (of due requirements, capped), rate = met / due
    (NaN when nothing is due); in requirements: requirements, met_requirements, overdue."""
    columns = [*keys, *ROLLUP_COLUMNS]
    if not len(req):
        return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
    due = req["due"].to_numpy(dtype=bool)
    frame = req.assign(
        _due=np.where(due, req["required"], 0),
        _met_due=np.where(due, req["met_count"], 0),
        _overdue=(req["status"] == "overdue"),
        _met=req["met"].astype("int64"),
    )
    out = (
        frame.groupby(keys, dropna=False, sort=True)
        .agg(
            required=("required", "sum"),
            due=("_due", "sum"),
            met=("_met_due", "sum"),
            requirements=("required", "size"),
            met_requirements=("_met", "sum"),
            overdue=("_overdue", "sum"),
        )
        .reset_index()
    )
    out["pending"] = out["required"] - out["due"]
    out["rate"] = np.where(out["due"] > 0, out["met"] / out["due"].where(out["due"] > 0, 1), np.nan)
    for key, values in (order or {}).items():
        rank = {v: i for i, v in enumerate(values)}
        out = (
            out.assign(_o=out[key].map(rank).fillna(len(rank)))
            .sort_values("_o", kind="stable")
            .drop(columns="_o")
        )
    return out[columns].reset_index(drop=True)


def trend(
    plan: pd.DataFrame,
    contacts: pd.DataFrame,
    policy: Policy,
    periods: list[str],
    *,
    as_of: dt.date | None = None,
) -> pd.DataFrame:
    """One row per period: required, due, met, pending, rate (met / due, NaN with nothing due) and overdue."""
    req = plan if "window_start" in plan.columns else requirements(plan, policy)
    columns = ["period", "required", "due", "met", "pending", "rate", "overdue"]
    rows = []
    for label in periods:
        result = compliance(req, contacts, policy, label, as_of=as_of)
        rows.append(
            {
                "period": result.period.label,
                "required": result.required,
                "due": result.due,
                "met": result.met_contacts,
                "pending": result.pending,
                "rate": result.overall if result.overall is not None else np.nan,
                "overdue": len(result.overdue),
            }
        )
    return pd.DataFrame(rows, columns=columns)
