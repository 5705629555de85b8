"""What every sheet shares: the target type, the fixed sheet names, the column headers (Chinese: the contact log
is read back by its headers), the first columns of every customer list, and the short texts (cadence, amounts,
dates, page headers)."""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import IO

import numpy as np

from core.i18n import t
from core.policy import Policy
from core.xlsx import ColumnSpec

Target = str | os.PathLike | IO[bytes]
LOG_KEYS = ["date", "staff", "customer_id", "name", "method", "result", "note"]
OVERVIEW = t("export.sheet.overview")
NEAR = t("export.sheet.near")
MATURING = t("export.sheet.maturing")
LOG_PREFIX = t("export.sheet.log_prefix")
SMS_PREFIX = t(
    "export.sheet.sms_prefix"
)  # the month's greeting SMS, one list per person (core.plan.batch_sms)
CATALOG = t("export.sheet.catalog")


def _h(key: str) -> str:
    """A workbook column header (Chinese: the contact log is read back by its headers)."""
    return t(f"export.col.{key}")


LOG_COLUMNS = [
    _h(k) for k in LOG_KEYS
]  # 日期, 员工, 客户号, 姓名, 方式, 结果, 备注: read back by core.compliance.logs


def _remind_headers(policy: Policy) -> list[tuple[str, str]]:
    return [(f"remind_{o}", t("export.col.remind", offset=o)) for o in policy.maturity.reminder_offsets]


def _who() -> list[ColumnSpec]:
    """Who the customer is: the first columns of every customer and maturity list."""
    return [
        ColumnSpec(_h("customer_id"), "text", 13, "customer_id"),
        ColumnSpec(_h("name"), "text", 8, "name"),
        ColumnSpec(_h("phone"), "text", 12, "phone"),
        ColumnSpec(_h("tier"), "text", 8, "tier_name"),
    ]


def _joined(values: Sequence[str]) -> str:
    return "、".join(dict.fromkeys(v for v in values if v))


def _cadence_text(policy: Policy) -> list[str]:
    out = []
    for tier in policy.tiers:
        parts = [
            t(
                "export.cadence",
                channel=t(f"channel.{c.channel}"),
                count=c.count,
                period=t(f"period.{c.period}"),
            )
            for c in tier.cadence
            if c.count > 0
        ]
        out.append("、".join(parts))
    return out


def _md(days: np.ndarray) -> list[str]:
    return [f"{str(d)[5:7]}-{str(d)[8:10]}" for d in days]


def _amount_short(amount: float) -> str:
    """An amount as a caller says it: 50,000 -> 5万, 12,345.6 -> 1.23万, 8,000 -> 8,000元."""
    if amount >= 10000:
        return f"{float(f'{amount / 10000:.3g}'):g}万"
    return f"{amount:,.0f}元"


def _header_safe(text: str) -> str:
    """Text for a printed page header: "&" starts a code there, so it is doubled."""
    return str(text).replace("&", "&&")
