"""经营成效: did the contacts move money? Figures between two snapshots, 达标有礼 fulfilment, the city view.

``figures`` and ``gifts`` are pure functions on frames; ``service`` reads the database for them; ``workbook``
writes the downloadable Excel file.
"""

from core.outcomes.figures import Outcomes, kpis, level_key, outcomes
from core.outcomes.gifts import earned_gifts, fulfilment, fulfilment_summary, logged_handovers
from core.outcomes.service import Campaign, campaign, campaign_key, city, outlet_outcomes, record_gift, trend

__all__ = [
    "Campaign",
    "Outcomes",
    "campaign",
    "campaign_key",
    "city",
    "earned_gifts",
    "fulfilment",
    "fulfilment_summary",
    "kpis",
    "level_key",
    "logged_handovers",
    "outcomes",
    "outlet_outcomes",
    "record_gift",
    "trend",
]
