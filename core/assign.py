"""Who looks after whom: every customer to exactly one staff member, deterministically.

Rules, in order (issue 3, policy-driven):
1. The top N high-end customers (``seg.branch_head``) go to the 支局长 (several heads: balanced among them).
2. A customer whose export manager (管户人员) is on the roster in one of the tier's owner roles stays with them.
3. The rest go to the tier's owner roles, balanced by contacts a month owed.
4. A tier whose owner roles nobody holds goes to the 支局长 with a warning; with no 支局长 either, everyone
   on the roster shares it. Without a 支局长, the top N are treated like other high-end customers.
Balancing is greedy: customers by contacts owed (largest first, then assets, then customer id) each go to
the eligible person least loaded relative to capacity, ties by name; loads start from rules 1 and 2.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from core.i18n import t
from core.policy import Policy
from core.roster import Roster, as_roster

REASONS = ("top_n", "manager", "balanced", "no_role", "shared", "rebalanced")  # the last: core.schedule
PERIOD_PER_MONTH = {"month": 1.0, "quarter": 1.0 / 3.0}
REMINDER_CHANNEL = "phone"  # 731 and birthday reminders are calls: a renewal needs a conversation
REMINDER_SMS = "sms"  # ... unless the maturing amount is below policy.value.reminder_min_amount: one SMS


@dataclass(frozen=True)
class Assignment:
    """One row per customer (same index and order as the segmented frame): customer_id, staff, role, reason.

    ``staff`` lists the roster's names in roster order and ``heads`` those in the branch-head role.
    """

    table: pd.DataFrame
    warnings: list[str] = field(default_factory=list)
    staff: tuple[str, ...] = ()
    heads: tuple[str, ...] = ()

    def staff_of(self, seg: pd.DataFrame) -> np.ndarray:
        """The staff member of each row of ``seg`` (positionally aligned, by customer id if reordered)."""
        ids = seg["customer_id"].astype(str).to_numpy()
        mine = self.table["customer_id"].astype(str).to_numpy()
        if len(ids) == len(mine) and (ids == mine).all():
            return self.table["staff"].to_numpy(dtype=object)
        owner = dict(zip(mine.tolist(), self.table["staff"].tolist(), strict=True))
        return np.array([owner.get(c) for c in ids.tolist()], dtype=object)

    def reason_labels(self, policy: Policy, lang: str = "zh") -> pd.Series:
        labels = {r: t(f"assign.reason.{r}", lang, top_n=policy.branch_head.top_n) for r in REASONS}
        return self.table["reason"].map(labels)


def tier_monthly_effort(policy: Policy) -> np.ndarray:
    """Effort-weighted contacts a month each tier's cadence asks for (weekly duties x weeks_per_month)."""
    wl = policy.workload
    per_month = dict(PERIOD_PER_MONTH, week=wl.weeks_per_month)
    return np.array(
        [
            sum(c.count * per_month[c.period] * wl.channel_effort.get(c.channel, 0.0) for c in tier.cadence)
            for tier in policy.tiers
        ],
        dtype=np.float64,
    )


def monthly_effort(seg: pd.DataFrame, policy: Policy) -> np.ndarray:
    """Contacts a month each customer costs: the tier's cadence plus the 731 calls when maturing."""
    effort = tier_monthly_effort(policy)[seg["tier_index"].to_numpy(dtype=np.int64)]
    if "maturing" in seg.columns:
        reminder = len(policy.maturity.reminder_offsets) * policy.workload.channel_effort.get(
            REMINDER_CHANNEL, 0.0
        )
        effort = effort + seg["maturing"].to_numpy(dtype=bool) * reminder
    return effort


def assign(seg: pd.DataFrame, roster: Roster | pd.DataFrame, policy: Policy) -> Assignment:
    """Assign every customer of ``seg`` (output of ``core.segment.segment``) to one person of ``roster``."""
    roster = as_roster(roster, policy)
    staff = roster.staff
    names = staff["name"].tolist()
    roles = staff["role"].tolist()
    capacity = staff["capacity_per_week"].to_numpy(dtype=np.float64)
    head_role = policy.branch_head.role
    heads = tuple(i for i, r in enumerate(roles) if r == head_role)
    everyone = tuple(range(len(names)))
    n = len(seg)
    tier_index = seg["tier_index"].to_numpy(dtype=np.int64)
    top = seg["branch_head"].to_numpy(dtype=bool) if "branch_head" in seg.columns else np.zeros(n, bool)
    position = {name: i for i, name in enumerate(names)}
    managers = seg["manager"].astype(object).tolist() if "manager" in seg.columns else [None] * n
    manager_idx = np.array(
        [position.get(m.strip(), -1) if isinstance(m, str) else -1 for m in managers], dtype=np.int64
    )

    # Each customer gets a pool (eligible staff) and the reason that pool applies.
    pools: list[tuple[int, ...]] = []
    pool_reason: list[str] = []
    warnings: list[str] = list(roster.warnings)
    pool_of = np.full(n, -1, dtype=np.int64)
    for k, tier in enumerate(policy.tiers):
        in_tier = tier_index == k
        eligible = tuple(i for i, r in enumerate(roles) if r in tier.owner_roles)
        if eligible:
            pool, reason = eligible, "balanced"
        elif heads:
            pool, reason = heads, "no_role"
        else:
            pool, reason = everyone, "shared"
        pools.append(pool)
        pool_reason.append(reason)
        pool_of[in_tier] = k
        count = int((in_tier & ~(top & bool(heads))).sum())
        if reason != "balanced" and count:
            key = "assign.no_role" if heads else "assign.no_role_nobody"
            warnings.append(
                t(
                    key,
                    "zh",
                    tier=tier.name,
                    roles="、".join(tier.owner_roles),
                    count=count,
                    role=head_role,
                    names="、".join(names[i] for i in heads),
                )
            )
    if heads:
        pools.append(heads)
        pool_reason.append("top_n")
        pool_of[top] = len(pools) - 1

    owner = np.full(n, -1, dtype=np.int64)
    reason = np.array([pool_reason[p] for p in pool_of], dtype=object) if n else np.empty(0, dtype=object)
    # One spare column so that manager_idx == -1 (not on the roster) indexes a False cell.
    member = np.zeros((len(pools), len(names) + 1), dtype=bool)
    for p, pool in enumerate(pools):
        member[p, list(pool)] = True
    sticky = (manager_idx >= 0) & member[pool_of, manager_idx]
    owner[sticky] = manager_idx[sticky]
    reason[sticky & (reason != "top_n")] = "manager"

    effort = monthly_effort(seg, policy)
    load = np.bincount(owner[sticky], weights=effort[sticky], minlength=len(names)).astype(np.float64)
    rest = np.flatnonzero(owner < 0)
    if rest.size:
        ids = seg["customer_id"].astype(str).to_numpy()[rest]
        assets = seg["assets"].to_numpy(dtype=np.float64)[rest]
        order = rest[np.lexsort((ids, -assets, -effort[rest]))]
        owner[order] = _greedy(order, pool_of, pools, effort, load, capacity, names)

    used_roles = {r for tier in policy.tiers for r in tier.owner_roles} | {head_role}
    idle = [name for name, role in zip(names, roles, strict=True) if role not in used_roles]
    if idle:
        warnings.append(t("assign.idle_role", "zh", names="、".join(idle)))
    gone = sorted(
        {m.strip() for m in managers if isinstance(m, str) and m.strip() and m.strip() not in position}
    )
    if gone:
        lost = sum(1 for m in managers if isinstance(m, str) and m.strip() in gone)
        shown = "、".join(gone[:10]) + ("等" if len(gone) > 10 else "")
        warnings.append(t("assign.manager_gone", "zh", names=shown, count=lost))
    table = pd.DataFrame(
        {
            "customer_id": seg["customer_id"].to_numpy(),
            "staff": np.array(names, dtype=object)[owner] if n else np.empty(0, dtype=object),
            "role": np.array(roles, dtype=object)[owner] if n else np.empty(0, dtype=object),
            "reason": reason,
        },
        index=seg.index,
    )
    return Assignment(
        table=table, warnings=warnings, staff=tuple(names), heads=tuple(names[i] for i in heads)
    )


def _greedy(
    order: np.ndarray,
    pool_of: np.ndarray,
    pools: list[tuple[int, ...]],
    effort: np.ndarray,
    load: np.ndarray,
    capacity: np.ndarray,
    names: list[str],
) -> np.ndarray:
    """Largest-first onto the least loaded relative to capacity (ties by name); ``load`` is updated."""
    version = [0] * len(names)
    heaps: list[list] = []
    pools_with: list[list[int]] = [[] for _ in names]
    for p, pool in enumerate(pools):
        heap = [(load[i] / capacity[i], names[i], i, 0) for i in pool]
        heapq.heapify(heap)
        heaps.append(heap)
        for i in pool:
            pools_with[i].append(p)
    chosen = np.empty(order.size, dtype=np.int64)
    load_list = load.tolist()
    cap = capacity.tolist()
    efforts = effort[order].tolist()
    pool_list = pool_of[order].tolist()
    for j, (p, e) in enumerate(zip(pool_list, efforts, strict=True)):
        heap = heaps[p]
        while heap[0][3] != version[heap[0][2]]:
            heapq.heappop(heap)
        i = heap[0][2]
        chosen[j] = i
        load_list[i] += e
        version[i] += 1
        entry = (load_list[i] / cap[i], names[i], i, version[i])
        for q in pools_with[i]:
            heapq.heappush(heaps[q], entry)
    load[:] = load_list
    return chosen
