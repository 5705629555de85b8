"""Contact compliance, one room per part:

- periods and working days: ``core.calendar`` (shared with the plan);
- ``core.compliance.rules``: the plan's required contacts, their windows and the figures (pure DataFrames);
- ``core.compliance.logs``: reading filled-in 联络表 sheets back, every unusable row reported;
- ``core.compliance.entry``: who may log or change a contact, and what a console entry must hold;
- ``core.compliance.report`` / ``core.compliance.charts``: the downloadable workbook and the page's charts;
- storage of contacts: ``core.storage.contacts``; what the log is checked against (staff, customers, plans): ``core.storage.contact_scope``;
- the workflows a person starts (import logs, compute a period): ``core.services``.
"""

from core.calendar import Period, iso_week_label, parse_period, window_bounds
from core.compliance.funnel import FUNNEL_STAGES, funnel
from core.compliance.rules import (
    REMINDER_CHANNELS,
    REQUIREMENT_COLUMNS,
    ROLLUP_COLUMNS,
    ComplianceResult,
    cadence_periods,
    compliance,
    due_mask,
    normalize_contacts,
    requirements,
    trend,
)

__all__ = [
    "FUNNEL_STAGES",
    "REMINDER_CHANNELS",
    "REQUIREMENT_COLUMNS",
    "ROLLUP_COLUMNS",
    "ComplianceResult",
    "Period",
    "cadence_periods",
    "compliance",
    "due_mask",
    "funnel",
    "iso_week_label",
    "normalize_contacts",
    "parse_period",
    "requirements",
    "trend",
    "window_bounds",
]
