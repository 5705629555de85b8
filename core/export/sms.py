"""短信-<name>: the customers of the month's greeting SMS (``core.plan.batch_sms``), sent in one batch from the SMS
platform and confirmed once (联络合规 / ``core.services.sms``); they are not rows of the 联络表."""

from __future__ import annotations

import pandas as pd

from core.export.common import SMS_PREFIX, _header_safe, _who
from core.i18n import t
from core.xlsx import write_sheet


def write_sms_sheet(book, name: str, customers: pd.DataFrame, texted: set[str], month: str) -> None:
    """``name``'s sheet of the customers among ``customers`` (their customer sheet's rows) texted this month."""
    mine = customers.loc[[str(c) in texted for c in customers["customer_id"].tolist()]]
    write_sheet(
        book,
        f"{SMS_PREFIX}{name}",
        mine,
        columns=_who(),
        title=t("export.sms.title", name=_header_safe(name), month=month, count=len(mine)),
        footer=[
            (t("export.sms.confirm_label"), t("export.sms.confirm")),
            (t("export.sms.fill_label"), t("export.sms.fill")),
            # two cells the person fills in, read by the contacts import (core.compliance.logs)
            (t("export.sms.sent", "zh"), ""),
            (t("export.sms.sent_on", "zh"), ""),
        ],
    )
