"""A plan the staff can carry out: rebalancing, a working day for every contact, and written deferrals.

``plan_month`` is the one path from an export and a roster to a month's plan (the CLI and 任务分配 call it):
assign -> build_plan -> rebalance -> coalesce -> schedule -> workload.

Definitions (exact, tested):
- Effort: a contact costs ``policy.workload.channel_effort[channel]`` (one phone call = 1).
- A person's daily share is capacity_per_week / ``policy.schedule.working_days_per_week``; their month's
  capacity is the daily share times the month's working days (``core.plan.working_days``).
- Fixed-date contacts (731 and birthday reminders) keep their dates and are never deferred. A day they
  alone push above the daily share is the only way a person is ``overloaded`` after scheduling.
- Coalescing: a 731 reminder call stands for the routine call of the same customer due in its ISO week
  (中端, 高端), calendar month (基础) or quarter (潜力) (the routine row is dropped; the reminder's ``note`` says
  it is that routine call too).
- Value: every contact is worth the money at stake (``core.value``, the policy's ``[value]``).
- Who keeps whom (``policy.schedule.rebalance``): a linear programme (``core.optimise.solve``, HiGHS) over each
  person's weeks and month decides which customers of people over their share move to an eligible colleague
  (a role the tier allows; the 支局长 too for the top N): the value of the contacts made less the cost of the
  moves is maximised, so the smallest customers with nothing maturing move first and only when it pays.
- Which contact is made and when, per person (``core.optimise.place``, HiGHS): fixed-date contacts first take
  their days; carried and 挽回 contacts (``_first``) then each the first day of their window with room. The rest
  are ordered worth most per unit of effort first (ties: the policy's ``defer_order`` group, the larger assets,
  the export's row) and grouped in classes (person, window: a week of the month for weekly duties or the month,
  effort, a step of that order); a linear programme says how many of each class are made, each week within
  what its days have left (for visits only days with room for a visit, for calls whole units). The most
  valuable of each class are made: visits each on the roomiest day whose week keeps room for the week's duties,
  gifts sharing the units of a few days, weekly duties spread over their week's days and the month's calls over
  the month's, in due order and in proportion to what each day has left. Whole contacts that no day takes displace
  contacts after them where that keeps more value; room left over goes to the next contacts in order. No day
  goes above its share.
- ``bound``: the Lagrangian of the day shares at the programme's shadow prices, over every contact at its own
  value, plus what is always made, less the moves' cost: no plan with these owners keeps more within the day
  shares, so ``value_kept <= bound`` and ``gap = (bound - kept) / bound >= 0``.
- The month's greeting SMS (``core.plan.batch_sms``) is one batch per person from the SMS platform: on the
  month's first working day, no share of a day, never deferred (confirmed once, ``core.services.sms``).
- Deferral: what does not fit is deferred, one ``DEFERRED_COLUMNS`` row per contact with its value and its
  reason. Deferred contacts are not stored with the published plan, so compliance never counts them as missed;
  they are written down on 延后联络. A deferred quarterly duty comes back in the quarter's next month (nothing
  logged: still owed, ``core.plan``); a weekly or monthly one is not carried, the next month owes its own.
"""

from core.schedule.coalesce import coalesce
from core.schedule.common import (
    DEFERRED_COLUMNS,
    EPS,
    FIXED_KINDS,
    MOVE_COLUMNS,
    contact_effort,
    daily_capacity,
)
from core.schedule.days import schedule
from core.schedule.month import MonthPlan, plan_month
from core.schedule.rebalance import rebalance
from core.schedule.reminders import flatten_reminders
from core.schedule.report import capacity_to_fit, deferral_summary, fit_warnings

__all__ = [
    "DEFERRED_COLUMNS",
    "EPS",
    "FIXED_KINDS",
    "MOVE_COLUMNS",
    "MonthPlan",
    "capacity_to_fit",
    "coalesce",
    "contact_effort",
    "daily_capacity",
    "deferral_summary",
    "fit_warnings",
    "flatten_reminders",
    "plan_month",
    "rebalance",
    "schedule",
]
