"""The workbooks the branch head hands out: the staff workbook, one workbook per person (zip), the tier lists.

Staff workbook sheets: 总览; per person (roster order) a sheet named exactly by the person's name and a
``联络表-<name>`` sheet; then 临界客户, 到期客户 and 推介产品目录. A name Excel cannot use as a sheet name (over
31 characters, []:*?/\\, or equal to another sheet's name) is made safe by ``core.xlsx.safe_sheet_name``.
到期客户 lists every item maturing within ``policy.maturity.window_days`` of the as-of date and every item a
731 reminder of the plan calls about (items of customers missing from the export included, marked 否 under
客户在导出中, under the first 支局长).

Everything here is printed and carried to the counter, so each sheet fits the width of an A4 landscape page at
a legible size (column widths summing to at most about 160 characters).

One module per sheet:
- ``common``: the target type, sheet names, column headers and short texts every sheet shares.
- ``customers``: each person's customer sheet (and the tier lists' columns); ``_lists`` computes what every
  sheet shows, once for all people.
- ``calls``: 联络表-<name>, the daily call sheet (每日计划联络表), read back by ``core.compliance.logs``.
- ``sms``: 短信-<name>, the customers of the month's greeting SMS.
- ``overview``: 总览 and its footer.
- ``maturity``: 到期客户 and 临界客户.
- ``deferred``: 延后联络, the contacts the month's capacity could not carry.
- ``catalog``: 推介产品目录.
- ``privacy``: ``policy.privacy`` on paper (``head_copy`` keeps everything for the head): mobiles print as
  138****0001; with ``hide_assets`` no balance or amount is shown and gaps are rounded up to 1,000 元.
- ``workbook``: the staff workbook and the tier lists (``write_segment_lists``, the head's on-screen lists,
  every column kept).
- ``archive``: one workbook per person in a zip, and the entries' file names.
"""

from core.export.archive import staff_workbooks_zip
from core.export.calls import CALL_COLUMNS, CALL_SPECS, FAMILIARITY_LEVELS, LOG_SPECS, SPARE_ROWS_PER_DAY
from core.export.catalog import CATALOG_SPECS, catalog_rows, write_catalog
from core.export.common import (
    CATALOG,
    LOG_COLUMNS,
    LOG_KEYS,
    LOG_PREFIX,
    MATURING,
    NEAR,
    OVERVIEW,
    SMS_PREFIX,
    Target,
)
from core.export.customers import customer_columns, person_columns
from core.export.deferred import DEFERRED_SHEET, deferred_columns, deferred_rows, write_deferred_sheet
from core.export.maturity import maturity_columns, near_columns
from core.export.privacy import mask_phones
from core.export.workbook import write_segment_lists, write_workbook

__all__ = [
    "CALL_COLUMNS",
    "CALL_SPECS",
    "CATALOG",
    "CATALOG_SPECS",
    "DEFERRED_SHEET",
    "FAMILIARITY_LEVELS",
    "LOG_COLUMNS",
    "LOG_KEYS",
    "LOG_PREFIX",
    "LOG_SPECS",
    "MATURING",
    "NEAR",
    "OVERVIEW",
    "SMS_PREFIX",
    "SPARE_ROWS_PER_DAY",
    "Target",
    "catalog_rows",
    "customer_columns",
    "deferred_columns",
    "deferred_rows",
    "mask_phones",
    "maturity_columns",
    "near_columns",
    "person_columns",
    "staff_workbooks_zip",
    "write_catalog",
    "write_deferred_sheet",
    "write_segment_lists",
    "write_workbook",
]
