"""经营成效: did the contacts move money? Figures between two snapshots, 达标有礼 fulfilment, the city view.

``figures`` and ``gifts`` are pure functions on frames; ``workbook`` writes the downloadable Excel file. Reading
the database for them is the services' (``core.services.outcomes``).
"""

from core.outcomes.figures import CITY_COLUMNS, Outcomes, city_frame, kpis, level_key, outcomes
from core.outcomes.gifts import (
    Campaign,
    campaign_key,
    earned_gifts,
    fulfilment,
    fulfilment_summary,
    logged_handovers,
)

__all__ = [
    "CITY_COLUMNS",
    "Campaign",
    "Outcomes",
    "campaign_key",
    "city_frame",
    "earned_gifts",
    "fulfilment",
    "fulfilment_summary",
    "kpis",
    "level_key",
    "logged_handovers",
    "outcomes",
]
