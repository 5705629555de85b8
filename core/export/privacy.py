"""``policy.privacy`` on paper: mobiles print as 138****0001 in every book staff get; ``head_copy`` keeps everything
for the branch head (``core.privacy.staff_view`` applies the same rules on screen)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from core.policy import Policy


def mask_phones(values: np.ndarray) -> np.ndarray:
    """Mobiles as 138****0001: the first three and last four characters kept, the middle starred (a shorter
    number keeps its last two); empty values stay empty."""
    out = np.empty(len(values), dtype=object)
    for i, value in enumerate(values.tolist()):
        if value is None or (isinstance(value, float) and value != value) or value is pd.NA:
            out[i] = None
            continue
        text = str(int(value)) if isinstance(value, float) and value.is_integer() else str(value).strip()
        if len(text) >= 8:
            out[i] = f"{text[:3]}****{text[-4:]}"
        elif text:
            out[i] = "*" * max(len(text) - 2, 1) + text[-2:] if len(text) > 2 else "*" * len(text)
        else:
            out[i] = None
    return out


def _privacy(policy: Policy, head_copy: bool) -> tuple[bool, bool]:
    """(mask mobiles, hide balances) for a copy that staff get, or neither for the head's own copy."""
    if head_copy:
        return False, False
    return policy.privacy.mask_phone, policy.privacy.hide_assets
