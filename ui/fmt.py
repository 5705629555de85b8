"""Number formatting for the screen: amounts with thousands separators, shares as percentages."""

from __future__ import annotations

import math


def yuan(value: float) -> str:
    return "—" if value is None or (isinstance(value, float) and math.isnan(value)) else f"{value:,.0f}"


def count(value: float) -> str:
    return "—" if value is None or (isinstance(value, float) and math.isnan(value)) else f"{value:,.0f}"


def pct(value: float) -> str:
    return "—" if value is None or (isinstance(value, float) and math.isnan(value)) else f"{value:.0%}"


def signed(value: float) -> str:
    return f"{value:+,.0f}"
