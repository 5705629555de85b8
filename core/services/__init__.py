"""One path per workflow: each thing a person starts is one function here, shared by the CLI and the pages.

Every service takes the engine, the acting user (``core.roles.Actor``) and the outlet, and checks what the role
may do before it touches the outlet's data. Each opens one transaction (``core.services.uow``) and hands the
connection to the storage functions, which never commit: a workflow lands whole or not at all. Only this package
imports ``core.storage``; plain reads of stored data for pages and the CLI are in ``core.services.reads``. ``core/cli/*`` and ``pages/*`` (through ``ui/data.py``, which only
adds caching) call these for every write; below them sit the pure rules (core.segment, core.plan,
core.compliance, core.history) and the storage (core.storage).

| workflow | function |
|---|---|
| import an export with its maturity notices | ``read_export`` then ``import_export`` |
| build a month's plan bundle | ``plan_bundle`` |
| publish a plan (with its cadence periods and the whole handout) | ``publish_plan`` |
| the published plan every workbook is written from (``core.handout.write_handout``) | ``published_handout`` |
| import contact logs | ``read_logs`` then ``import_logs`` |
| compute a period's compliance, the weekly summary | ``period_compliance``, ``weekly_report`` |
| the current month's compliance and contacts (概览, 全市网点) | ``current_compliance`` |
| compare two snapshots | ``compare_snapshots`` (``snapshot_on`` finds one by date) |
| undo an import: delete or re-date a snapshot | ``delete_snapshot``, ``redate_snapshot`` |
| save / activate a policy | ``save_policy`` / ``activate_policy`` |
| keep the roster, the column mapping | ``save_roster``, ``remember_mapping`` |
| log, correct or remove a contact | ``log_contact``, ``correct_contact``, ``remove_contact`` |
| hand out a file with customers in it (audit-logged) | ``exports.record_export`` |
| outcomes between two snapshots, their trend | ``outcomes_between``, ``outcomes_trend`` |
| 达标有礼 fulfilment, record a handover | ``gift_campaign``, ``record_gift`` |
| the admin's city view | ``city_overview`` |
| the month's steps (概览) | ``month_guide`` |
| reveal a masked mobile to staff (audited); what staff see is ``core.privacy.staff_view`` | ``reveal_phone`` |
| the month's greeting SMS batch per person, confirm it once | ``sms_batches``, ``confirm_sms_batch`` |
| 延后 N: contacts the published plans of a period deferred (every compliance figure shows it) | ``deferred_count``, ``deferred_between`` |
"""

from core.services import reads
from core.services.access import operator, require
from core.services.contacts import (
    ComplianceFigures,
    MonthCompliance,
    correct_contact,
    current_compliance,
    import_logs,
    log_contact,
    period_compliance,
    read_logs,
    remove_contact,
    store_contact_rows,
    weekly_report,
)
from core.services.deferred import DeferredCount, deferred_between, deferred_count
from core.services.guide import month_guide
from core.services.history import compare_snapshots, snapshot_on
from core.services.imports import ExportRead, import_export, read_export, remember_mapping, remember_setting
from core.services.outcomes import (
    city_overview,
    data_version,
    gift_campaign,
    outcomes_between,
    outcomes_trend,
    record_gift,
)
from core.services.plans import (
    PlanBundle,
    handout_of,
    plan_bundle,
    plan_rows_with_periods,
    publish_plan,
    published_handout,
    save_roster,
)
from core.services.policies import activate_policy, save_policy
from core.services.privacy import reveal_phone
from core.services.sms import confirm_sms_batch, sms_batches
from core.services.snapshots import delete_snapshot, redate_snapshot, snapshot_plans

__all__ = [
    "ComplianceFigures",
    "DeferredCount",
    "ExportRead",
    "MonthCompliance",
    "PlanBundle",
    "activate_policy",
    "city_overview",
    "compare_snapshots",
    "confirm_sms_batch",
    "correct_contact",
    "current_compliance",
    "data_version",
    "deferred_between",
    "deferred_count",
    "delete_snapshot",
    "gift_campaign",
    "handout_of",
    "import_export",
    "import_logs",
    "log_contact",
    "month_guide",
    "operator",
    "outcomes_between",
    "outcomes_trend",
    "period_compliance",
    "plan_bundle",
    "plan_rows_with_periods",
    "publish_plan",
    "published_handout",
    "read_export",
    "read_logs",
    "reads",
    "record_gift",
    "redate_snapshot",
    "remember_mapping",
    "remember_setting",
    "remove_contact",
    "require",
    "reveal_phone",
    "save_policy",
    "save_roster",
    "sms_batches",
    "snapshot_on",
    "snapshot_plans",
    "store_contact_rows",
    "weekly_report",
]
