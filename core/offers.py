"""What to offer, per customer: a short, ordered suggestion built from ``policy.offers``, not the catalogue.

Rules, applied in the order of ``policy.offers.rules`` until ``policy.offers.max_items`` suggestions are made:
- ``near``: a customer in a 临界 band gets the campaign gift (``campaign.name_gift``) of that level, with the
  level's gift when the branch head has named one.
- ``maturing``: a customer with an item maturing in the window gets ``maturity.activity`` (转存/转化有礼)
  with the item (product and date; the amount too unless ``privacy.hide_assets``).
- ``tier``: the picks of ``offers.by_tier`` for the customer's tier; a near-threshold customer gets the picks
  of the tier above (the domain rule: products and services of the tier above).
A suggestion already made is not repeated.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from core.i18n import t
from core.policy import Policy


def level_text(level: float) -> str:
    """A reward level as staff say it: 10000 -> 1万, 50000 -> 5万, 7500 -> 7,500."""
    if level >= 10000 and level % 1000 == 0:
        return f"{level / 10000:g}万"
    return f"{level:,.0f}"


def gap_text(gap: float, *, hide_assets: bool) -> str:
    """The gap to the level: exact (差 3,000 元), or rounded up to 1,000 元 when balances are hidden."""
    if hide_assets:
        return t("offers.gap_rounded", amount=f"{max(1, math.ceil(gap / 1000)) * 1000:,}")
    return t("offers.gap", amount=f"{gap:,.0f}")


def suggestions(
    tier_index: np.ndarray,
    near_level: np.ndarray,
    item: Sequence[str | None],
    policy: Policy,
) -> list[tuple[str, ...]]:
    """Per customer, up to ``max_items`` suggestions in rule order.

    ``tier_index`` indexes ``policy.tiers``; ``near_level`` is NaN outside a 临界 band; ``item`` is the customer's
    next maturing item as a short text (None when nothing matures in the window).
    """
    offers = policy.offers
    gifts = {b.level: b.gift for b in policy.bands}
    picks = []
    for is_near in (False, True):
        for tier in policy.tiers:
            source = (policy.tier_above(tier.code) or tier) if is_near else tier
            picks.append(offers.by_tier.get(source.code, ()))
    n_tiers = len(policy.tiers)
    out: list[tuple[str, ...]] = []
    limit = offers.max_items
    for index, level, thing in zip(tier_index.tolist(), near_level.tolist(), item, strict=True):
        near = level == level
        chosen: list[str] = []
        for rule in offers.rules:
            if rule == "near" and near:
                gift = gifts.get(level) or ""
                chosen.append(
                    t("offers.near", campaign=policy.campaign.name_gift, level=level_text(level))
                    + (t("offers.near_gift", gift=gift) if gift else "")
                )
            elif rule == "maturing" and thing:
                chosen.append(t("offers.maturing", activity=policy.maturity.activity, item=thing))
            elif rule == "tier":
                chosen.extend(picks[index + n_tiers * near])
        out.append(tuple(dict.fromkeys(chosen))[:limit])
    return out


def numbered(items: tuple[str, ...]) -> str | None:
    """Suggestions as numbered lines for a printed cell ("1. …\\n2. …"); None when there are none."""
    return "\n".join(f"{i}. {s}" for i, s in enumerate(items, 1)) or None
