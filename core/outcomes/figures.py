"""Outcomes between two snapshots of an outlet: did the contacts move money? Pure functions on frames.

Definitions (exact, tested; every figure under the policy in force):
- KPIs at a date: customers in that snapshot, 户均余额 = total assets / customers, and for each balance in
  ``outcomes.share_levels`` the share (a fraction) of customers whose assets are at or above it.
- Migration, promoted, demoted: customers present on both dates (matched by id), by tier before and after
  (``core.history.compare``); promoted = a higher tier after, demoted = a lower one.
- 达标 (level reached): present on both dates, in the 临界 band of a level at ``from`` and at or above that
  level at ``to``; counted per level. A customer is in at most one band, so reaches at most one level here.
- Maturities kept: the items maturing between the two dates (both included) from the maturity notices stored
  with the ``from`` snapshot (else the export's own maturity dates). A customer's items are kept when the
  customer is still listed at ``to`` and their assets there are at least their assets at ``from`` less
  (1 - ``outcomes.maturity_kept_share``) x the amount maturing in the window. An item without an amount counts
  the customer's whole balance at ``from`` as maturing; a customer missing at ``from`` counts the maturing
  amount as their balance. Each item is counted; a customer's items are all kept or all not.
- Contacted: present on both dates with at least one logged contact between the two dates (both included)
  whose result is in ``outcomes.reached_results``. The rest present on both dates are "not contacted".
  Customers new at ``to`` or gone by then are in neither group. Rates are over each group's own size, shown
  beside it: this is a natural comparison, not a controlled trial.
- Per staff member: the customers that member reached in the window (a customer reached by two members counts
  for each), with their promotions and levels reached.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from core.history import Comparison, compare
from core.policy import Policy
from core.segment import near_levels

GROUPS = ("contacted", "not_contacted")
GROUP_COLUMNS = [
    "customers",
    "promoted",
    "demoted",
    "near",
    "reached",
    "promoted_rate",
    "reached_rate",
    "change",
]


def level_key(level: float) -> str:
    """A balance as the JSON key of the contract: 10000.0 -> "10000"."""
    return str(int(level)) if float(level).is_integer() else f"{level:g}"


def kpis(assets: np.ndarray, policy: Policy) -> dict[str, object]:
    """customers, avg_assets (None without customers), total_assets and share_at_least {level: fraction}."""
    values = np.asarray(assets, dtype=np.float64)
    n = int(values.size)
    total = float(values.sum()) if n else 0.0
    shares = {
        level_key(level): (float(np.count_nonzero(values >= level)) / n if n else None)
        for level in policy.outcomes.share_levels
    }
    return {
        "customers": n,
        "total_assets": total,
        "avg_assets": total / n if n else None,
        "share_at_least": shares,
    }


@dataclass(frozen=True)
class Outcomes:
    """Everything between two dates; ``summary()`` is the CLI's JSON object."""

    date_from: dt.date
    date_to: dt.date
    kpi_from: dict[str, object]
    kpi_to: dict[str, object]
    comparison: Comparison
    customers: pd.DataFrame  # present on both dates, one row each (CUSTOMER_COLUMNS)
    maturities: pd.DataFrame  # items maturing in the window, with ``kept``
    groups: pd.DataFrame  # index GROUPS, columns GROUP_COLUMNS
    by_staff: pd.DataFrame  # staff + GROUP_COLUMNS
    levels: tuple[float, ...]

    @property
    def promoted(self) -> int:
        return int(self.customers["moved"].gt(0).sum())

    @property
    def demoted(self) -> int:
        return int(self.customers["moved"].lt(0).sum())

    def reached_level(self) -> dict[str, int]:
        reached = self.customers.loc[self.customers["reached"], "near_level"]
        counts = reached.value_counts()
        return {level_key(lv): int(counts.get(lv, 0)) for lv in self.levels}

    def near_count(self) -> dict[str, int]:
        counts = self.customers["near_level"].value_counts()
        return {level_key(lv): int(counts.get(lv, 0)) for lv in self.levels}

    def summary(self) -> dict[str, object]:
        kf, kt = self.kpi_from, self.kpi_to
        shares = {
            key: {"from": kf["share_at_least"][key], "to": kt["share_at_least"][key]}
            for key in kf["share_at_least"]
        }
        mat = self.maturities
        return {
            "from": self.date_from.isoformat(),
            "to": self.date_to.isoformat(),
            "customers": {"from": kf["customers"], "to": kt["customers"]},
            "avg_assets": {"from": _num(kf["avg_assets"]), "to": _num(kt["avg_assets"])},
            "share_at_least": shares,
            "migration": self.comparison.migration(),
            "promoted": self.promoted,
            "demoted": self.demoted,
            "near": self.near_count(),
            "reached_level": self.reached_level(),
            "maturities": {
                "items": len(mat),
                "kept": int(mat["kept"].sum()),
                "customers": int(mat["customer_id"].nunique()),
                "kept_customers": int(mat.loc[mat["kept"], "customer_id"].nunique()),
            },
            **{group: _group_dict(self.groups.loc[group]) for group in GROUPS},
            "by_staff": [{"staff": r["staff"], **_group_dict(r)} for _, r in self.by_staff.iterrows()],
        }


def _num(value: object) -> float | None:
    return None if value is None or (isinstance(value, float) and np.isnan(value)) else round(float(value), 2)


def _rate(value: object) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def _group_dict(row: pd.Series) -> dict[str, object]:
    return {
        "customers": int(row["customers"]),
        "promoted": int(row["promoted"]),
        "demoted": int(row["demoted"]),
        "near": int(row["near"]),
        "reached": int(row["reached"]),
        "promoted_rate": _rate(row["promoted_rate"]),
        "reached_rate": _rate(row["reached_rate"]),
    }


def outcomes(
    before: pd.DataFrame,
    after: pd.DataFrame,
    policy: Policy,
    *,
    date_from: dt.date,
    date_to: dt.date,
    contacts: pd.DataFrame | None = None,
    items: pd.DataFrame | None = None,
) -> Outcomes:
    """Outcomes from ``before`` (customers at ``date_from``) to ``after`` (at ``date_to``); see the module doc.

    ``contacts``: logged contacts (contact_date, staff_name, customer_id, result); ``items``: maturity notice
    items of the ``from`` snapshot (customer_id, amount, maturity_date), None to use ``before``'s maturity_date.
    """
    cmp_ = compare(before, after, policy)
    moves = cmp_.moves
    a0 = moves["assets_before"].to_numpy(dtype=np.float64)
    a1 = moves["assets_after"].to_numpy(dtype=np.float64)
    near = near_levels(a0, policy)
    ids = moves["customer_id"].astype("string")
    reached_ids = _reached_contacts(contacts, policy, date_from, date_to)
    contacted = ids.isin(reached_ids["customer_id"].unique()).to_numpy(dtype=bool, na_value=False)
    customers = pd.DataFrame(
        {
            "customer_id": ids.to_numpy(),
            "name": moves["name"].to_numpy(),
            "tier_before": moves["tier_before"],
            "tier_after": moves["tier_after"],
            "assets_before": a0,
            "assets_after": a1,
            "change": a1 - a0,
            "moved": np.sign(
                moves["tier_after"].cat.codes.to_numpy() - moves["tier_before"].cat.codes.to_numpy()
            ),
            "near_level": near,
            "reached": ~np.isnan(near) & (a1 >= np.nan_to_num(near, nan=np.inf)),
            "contacted": contacted,
        }
    )
    customers["customer_id"] = customers["customer_id"].astype("string")
    group = np.where(contacted, GROUPS[0], GROUPS[1])
    groups = _rollup(customers, pd.Series(group, index=customers.index)).reindex(list(GROUPS))
    groups = _fill_empty(groups)
    staff = _by_staff(customers, reached_ids)
    return Outcomes(
        date_from=date_from,
        date_to=date_to,
        kpi_from=kpis(_assets(before), policy),
        kpi_to=kpis(_assets(after), policy),
        comparison=cmp_,
        customers=customers,
        maturities=_maturities(before, after, items, policy, date_from, date_to),
        groups=groups,
        by_staff=staff,
        levels=policy.reward_levels,
    )


def _assets(frame: pd.DataFrame) -> np.ndarray:
    return frame["assets"].to_numpy(dtype=np.float64)


def _reached_contacts(
    contacts: pd.DataFrame | None, policy: Policy, start: dt.date, end: dt.date
) -> pd.DataFrame:
    """(customer_id, staff_name) pairs reached between ``start`` and ``end``, both included, once each."""
    if contacts is None or contacts.empty:
        return pd.DataFrame(
            {"customer_id": pd.array([], dtype="string"), "staff_name": pd.array([], dtype="string")}
        )
    days = pd.to_datetime(contacts["contact_date"]).dt.normalize()
    keep = (
        (days >= pd.Timestamp(start))
        & (days <= pd.Timestamp(end))
        & contacts["result"].astype("string").isin(policy.outcomes.reached_results).fillna(False)
    ).to_numpy(dtype=bool)
    out = pd.DataFrame(
        {
            "customer_id": contacts["customer_id"].astype("string").to_numpy()[keep],
            "staff_name": contacts["staff_name"].astype("string").to_numpy()[keep],
        }
    )
    return out.drop_duplicates(ignore_index=True)


def _rollup(customers: pd.DataFrame, key: pd.Series) -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "key": key.to_numpy(),
            "customers": 1,
            "promoted": customers["moved"].to_numpy() > 0,
            "demoted": customers["moved"].to_numpy() < 0,
            "near": ~np.isnan(customers["near_level"].to_numpy(dtype=np.float64)),
            "reached": customers["reached"].to_numpy(dtype=bool),
            "change": customers["change"].to_numpy(dtype=np.float64),
        }
    )
    out = frame.groupby("key", sort=True).agg(
        customers=("customers", "sum"),
        promoted=("promoted", "sum"),
        demoted=("demoted", "sum"),
        near=("near", "sum"),
        reached=("reached", "sum"),
        change=("change", "mean"),
    )
    for column in ("customers", "promoted", "demoted", "near", "reached"):
        out[column] = out[column].astype(np.int64)
    out["promoted_rate"] = out["promoted"] / out["customers"]
    out["reached_rate"] = (out["reached"] / out["near"]).where(out["near"] > 0)
    out.index.name = None
    return out[GROUP_COLUMNS]


def _fill_empty(groups: pd.DataFrame) -> pd.DataFrame:
    counts = ["customers", "promoted", "demoted", "near", "reached"]
    groups[counts] = groups[counts].fillna(0).astype(np.int64)
    return groups


def _by_staff(customers: pd.DataFrame, reached: pd.DataFrame) -> pd.DataFrame:
    pairs = reached.merge(
        customers.reset_index(names="row")[["customer_id", "row"]], on="customer_id", how="inner"
    )
    if pairs.empty:
        return pd.DataFrame({"staff": pd.array([], dtype="string"), **{c: [] for c in GROUP_COLUMNS}})
    rows = customers.iloc[pairs["row"].to_numpy()].reset_index(drop=True)
    out = _rollup(rows, pairs["staff_name"].reset_index(drop=True))
    return out.reset_index(names="staff")


def _maturities(
    before: pd.DataFrame,
    after: pd.DataFrame,
    items: pd.DataFrame | None,
    policy: Policy,
    start: dt.date,
    end: dt.date,
) -> pd.DataFrame:
    if items is None or items.empty:
        if "maturity_date" not in before.columns:
            items = pd.DataFrame({"customer_id": [], "amount": [], "maturity_date": []})
        else:
            items = pd.DataFrame(
                {
                    "customer_id": before["customer_id"].astype("string"),
                    "product": pd.NA,
                    "amount": np.nan,
                    "maturity_date": before["maturity_date"],
                }
            )
    days = pd.to_datetime(items["maturity_date"])
    inside = ((days >= pd.Timestamp(start)) & (days <= pd.Timestamp(end))).to_numpy(
        dtype=bool, na_value=False
    )
    out = pd.DataFrame(
        {
            "customer_id": items["customer_id"].astype("string").to_numpy()[inside],
            "product": (
                items["product"].astype("string")
                if "product" in items.columns
                else pd.Series(pd.NA, index=items.index, dtype="string")
            ).to_numpy()[inside],
            "amount": pd.to_numeric(items["amount"]).to_numpy(dtype=np.float64)[inside],
            "maturity_date": days.to_numpy()[inside],
        }
    )
    out["customer_id"] = out["customer_id"].astype("string")
    was = pd.Series(_assets(before), index=pd.Index(before["customer_id"].astype("string")))
    now = pd.Series(_assets(after), index=pd.Index(after["customer_id"].astype("string")))
    out["assets_before"] = out["customer_id"].map(was).astype("float64").to_numpy()
    out["assets_after"] = out["customer_id"].map(now).astype("float64").to_numpy()
    # An item without an amount counts the whole balance at `from` as maturing.
    counted = out["amount"].fillna(out["assets_before"])
    total = counted.groupby(out["customer_id"]).transform("sum")
    base = out["assets_before"].fillna(total)
    floor = base - (1.0 - policy.outcomes.maturity_kept_share) * total
    present = out["assets_after"].notna()
    out["kept"] = (present & (out["assets_after"].round(2) >= floor.round(2))).to_numpy(dtype=bool)
    return out.sort_values(["maturity_date", "customer_id"], kind="stable").reset_index(drop=True)
