"""History: what changed between two snapshots of an outlet. Pure functions on customer frames.

Definitions (exact, tested):
- Tiers come from the policy (lower bound inclusive) on each date's assets. The migration matrix counts the
  customers present on both dates by (tier before, tier after), the diagonal included.
- Up / down: present on both dates, tier index higher / lower after.
- New / gone: in the later snapshot only / in the earlier one only (matched by customer id).
- Outflow alert: present on both dates, in ``mid`` or above before, and assets fell by more than
  ``policy.history.outflow_pct`` percent (exactly the percentage is not an alert). A gone customer is counted
  as gone, not as an alert: the export may simply not list them.
- 达标有礼 fulfilment: the gifts earned by the rule of ``core.outcomes.gifts.earned_gifts`` (the one rule 经营成效
  and the campaign use): in a 临界 band before and at or above that band's level after; one row per customer
  with that level's gift, and 欢乐加倍 points on the raised part: (after - before) x ``campaign.points_per_yuan``
  x that level's ``points_multiplier``. Money columns are rounded to the fen.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from core.policy import Policy
from core.segment import assign_tiers

OUTFLOW_FROM = "mid"  # the tiers a falling balance is watched for: mid and above (the domain's 防流失 aim)
FULFILMENT_COLUMNS = ["customer_id", "name", "assets_before", "assets_after", "level", "gift", "gift_value"]
FULFILMENT_COLUMNS += ["raised", "points", "points_cost"]
PCT_DECIMALS = 9  # compare percentages after rounding, so 100,000 -> 70,000 is exactly 30 %


@dataclass(frozen=True)
class Comparison:
    """Everything ``compare`` found; each frame lists customers (customer_id first)."""

    matrix: pd.DataFrame
    moves: pd.DataFrame
    up: pd.DataFrame
    down: pd.DataFrame
    new: pd.DataFrame
    gone: pd.DataFrame
    outflow: pd.DataFrame
    fulfilment: pd.DataFrame

    def migration(self) -> dict[str, int]:
        """``{"basic->mid": n, ...}`` for every pair that occurs, in tier order."""
        out: dict[str, int] = {}
        for before in self.matrix.index:
            for after in self.matrix.columns:
                count = int(self.matrix.loc[before, after])
                if count:
                    out[f"{before}->{after}"] = count
        return out

    def summary(self) -> dict[str, object]:
        """The ``db compare`` answer."""
        return {
            "migration": self.migration(),
            "up": len(self.up),
            "down": len(self.down),
            "new": len(self.new),
            "gone": len(self.gone),
            "outflow_alerts": len(self.outflow),
            "reward_fulfilment": len(self.fulfilment),
        }


def _frame(customers: pd.DataFrame) -> pd.DataFrame:
    out = pd.DataFrame(
        {
            "customer_id": customers["customer_id"].astype("string").to_numpy(),
            "name": customers["name"].astype("string").to_numpy()
            if "name" in customers.columns
            else pd.array([pd.NA] * len(customers), dtype="string"),
            "assets": customers["assets"].to_numpy(dtype=np.float64),
        }
    )
    return out


def _tier_codes(assets: np.ndarray, policy: Policy) -> pd.Categorical:
    return pd.Categorical.from_codes(assign_tiers(assets, policy), categories=list(policy.tier_codes))


def compare(before: pd.DataFrame, after: pd.DataFrame, policy: Policy) -> Comparison:
    """Compare two snapshots' customers (``customer_id``, ``assets``, optional ``name``) under ``policy``."""
    old, new = _frame(before), _frame(after)
    both = old.merge(new, on="customer_id", how="inner", suffixes=("_before", "_after"), sort=False)
    both["name"] = both["name_after"].fillna(both["name_before"])
    a0 = both["assets_before"].to_numpy(dtype=np.float64)
    a1 = both["assets_after"].to_numpy(dtype=np.float64)
    t0, t1 = _tier_codes(a0, policy), _tier_codes(a1, policy)
    moves = pd.DataFrame(
        {
            "customer_id": both["customer_id"],
            "name": both["name"],
            "tier_before": t0,
            "tier_after": t1,
            "assets_before": a0,
            "assets_after": a1,
            "change": np.round(a1 - a0, 2),  # to the fen: 30464.6, not 30464.600000000006
            "change_pct": np.round(
                np.divide(a1 - a0, a0, out=np.full(a0.shape, np.nan), where=a0 != 0) * 100, PCT_DECIMALS
            ),
        }
    )
    codes = list(policy.tier_codes)
    matrix = (
        pd.crosstab(moves["tier_before"], moves["tier_after"], dropna=False)
        .reindex(index=codes, columns=codes, fill_value=0)
        .astype(np.int64)
    )
    matrix.index.name, matrix.columns.name = "before", "after"
    i0, i1 = t0.codes, t1.codes
    up = moves.loc[i1 > i0].reset_index(drop=True)
    down = moves.loc[i1 < i0].reset_index(drop=True)

    watched = i0 >= codes.index(OUTFLOW_FROM)
    fell = -moves["change_pct"].to_numpy(dtype=np.float64) > policy.history.outflow_pct
    outflow = moves.loc[watched & fell].assign(drop_pct=lambda f: -f["change_pct"])
    outflow = outflow.sort_values(["change", "customer_id"], kind="stable").reset_index(drop=True)

    known_new = pd.Index(new["customer_id"])
    known_old = pd.Index(old["customer_id"])
    added = new.loc[~new["customer_id"].isin(known_old)].reset_index(drop=True)
    added.insert(2, "tier", _tier_codes(added["assets"].to_numpy(dtype=np.float64), policy))
    lost = old.loc[~old["customer_id"].isin(known_new)].reset_index(drop=True)
    lost.insert(2, "tier", _tier_codes(lost["assets"].to_numpy(dtype=np.float64), policy))

    return Comparison(
        matrix=matrix,
        moves=moves,
        up=up,
        down=down,
        new=added,
        gone=lost,
        outflow=outflow,
        fulfilment=_fulfilment(moves, policy),
    )


def _fulfilment(moves: pd.DataFrame, policy: Policy) -> pd.DataFrame:
    from core.outcomes.gifts import earned_gifts  # core.outcomes reads this module

    before = pd.DataFrame({"customer_id": moves["customer_id"], "assets": moves["assets_before"]})
    after = pd.DataFrame(
        {"customer_id": moves["customer_id"], "name": moves["name"], "assets": moves["assets_after"]}
    )
    out = earned_gifts(before, after, policy)
    multiplier = {b.level: b.points_multiplier for b in policy.bands}
    raised = out["assets_after"].to_numpy(dtype=np.float64) - out["assets_before"].to_numpy(dtype=np.float64)
    points = (
        raised * policy.campaign.points_per_yuan * out["level"].map(multiplier).to_numpy(dtype=np.float64)
    )
    out["raised"] = np.round(raised, 2)
    out["points"] = np.round(points, 2)
    out["points_cost"] = np.round(points * policy.campaign.point_value_yuan, 2)
    out["name"] = out["name"].astype("string")
    return out[FULFILMENT_COLUMNS]
