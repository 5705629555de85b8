"""What a member of staff may see of customers: the policy's ``[privacy]`` applied in one place, on screen and on
paper. The printed sheets apply the same rules (``core.export``: masked mobiles, balances hidden, gaps rounded up
to 1,000 元); :func:`staff_view` applies them to any frame of customer rows a staff account is shown.
"""

from __future__ import annotations

from collections.abc import Collection

import numpy as np
import pandas as pd

from core.export import mask_phones
from core.policy import Policy

BALANCE_COLUMNS = ("assets", "amount", "assets_before", "assets_after", "balance")
GAP_STEP = 1000.0  # with balances hidden a gap is shown rounded up to this, as on the printed sheets


def staff_view(frame: pd.DataFrame, policy: Policy, *, revealed: Collection[str] = ()) -> pd.DataFrame:
    """``frame`` (customer rows; a new frame, the given one is untouched) as a member of staff may see it:
    with ``mask_phone`` mobiles as 138****0001 except those of the customers in ``revealed`` (each reveal is
    audited by ``core.services.reveal_phone``); with ``hide_assets`` no balance or amount, gaps rounded up."""
    out = frame.copy()
    privacy = policy.privacy
    if privacy.mask_phone and "phone" in out.columns:
        phones = out["phone"].to_numpy(dtype=object)
        masked = mask_phones(phones)
        if revealed and "customer_id" in out.columns:
            shown = out["customer_id"].astype(str).isin({str(c) for c in revealed}).to_numpy()
            masked = np.where(shown, phones, masked)
        out["phone"] = pd.array(masked, dtype="string")
    if privacy.hide_assets:
        for column in BALANCE_COLUMNS:
            if column in out.columns:
                out[column] = np.nan
        if "gap" in out.columns:
            out["gap"] = np.ceil(pd.to_numeric(out["gap"]).to_numpy(dtype=np.float64) / GAP_STEP) * GAP_STEP
    return out
