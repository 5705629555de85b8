"""The monthly contact plan: one row per contact a staff member owes in a calendar month.

Definitions (exact, tested):
- Working days are Monday to Friday (public holidays are not known to the console).
- A weekly duty is owed in every ISO week with a working day in the month. Each customer's call gets one
  working day of the whole week (spread by list position); a week that straddles two months is planned day
  by day: the call belongs to the month its day falls in, so each week's call is planned exactly once and
  the week's calls do not pile up on the days of one month.
- A monthly duty is due on one of the month's working days. A quarterly duty is owed once in its quarter,
  whenever the console starts: it is planned in every month of the quarter for the customers who have no
  logged contact of that kind since the quarter began (``met_this_quarter``, from the contact log; the
  service reads it from storage). Without a log every customer is owed it (the first month's plan, or a
  plan made without a database: the caller warns).
- Due dates are spread by the customer's position in their staff member's list (``sheet_order``), so each
  person's contacts fill the working days evenly; a customer's channels fall on different days.
- 731 reminders: every maturing item with a reminder date (maturity minus 7/3/1 days, a weekend moved to
  the Friday before) inside the month. Reminders are thereby split between months exactly, none is lost
  at a month boundary (an item maturing on the 3rd has its 7-day call in the month before).
- Catch-up (补提醒): a plan made ahead (``reminders_from``) cannot move the past. A reminder whose date is
  before ``reminders_from`` for an item that still matures after it becomes one catch-up call on the first
  working day from ``reminders_from`` (only the last passed offset; none when a later reminder falls on that
  day or the item matures before it); its ``note`` says so.
- Birthday reminders for ``policy.reminders.birthday_tiers``: ``birthday_days_before`` days before the
  birthday, moved off weekends like 731 reminders (29 February counts as 28 February in other years).
- Reminders are calls (``core.assign.REMINDER_CHANNEL``), except for a maturing item whose amount is below
  ``policy.value.reminder_min_amount``: one SMS (``REMINDER_SMS``) on the first reminder date (7 days before by
  default; a catch-up of that first reminder likewise), none of the later calls; the row's note says why.
"""

from core.plan.build import (
    BATCH_CHANNEL,
    ITEM_COLUMNS,
    KINDS,
    PLAN_COLUMNS,
    batch_sms,
    build_plan,
    maturity_item_table,
    quarter_met,
)
from core.plan.carried import carried_rows, winback_rows, winback_targets
from core.plan.order import familiarity_warnings, sheet_order, with_recorded_familiarity

__all__ = [
    "BATCH_CHANNEL",
    "ITEM_COLUMNS",
    "KINDS",
    "PLAN_COLUMNS",
    "batch_sms",
    "build_plan",
    "carried_rows",
    "familiarity_warnings",
    "maturity_item_table",
    "quarter_met",
    "sheet_order",
    "winback_rows",
    "winback_targets",
    "with_recorded_familiarity",
]
