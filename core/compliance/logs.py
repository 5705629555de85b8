"""Reading filled-in 每日计划联络表 back: the ``联络表-<name>`` sheets of the staff workbook, or CSV with the same columns.

Rules (issue 6): a row is a contact when its 结果 is filled in; a planned row with an empty 结果 is
"planned but not done" (counted, neither a contact nor a rejection). A contact is rejected, with its file, sheet,
row number and every reason, when its date is missing, unreadable or outside the plan's period (which starts
on the first day its stored plan asks for: a plan made ahead lists 731 calls before its month), its staff member
or customer is unknown, its 姓名 is not the name the outlet's snapshot has for that 客户号 (both names are in the
reason), or its channel or result is not in the policy's lists. A row with 员工 blank on a person's own sheet
(``联络表-<name>``) is hers. The same staff member, customer, channel and date on several rows are attempts of one
day: the last row read is the day's result and the number of attempts is kept with it (the earlier attempts are
listed). Nothing is dropped silently. A 熟识程度 (1-5, or 陌生 … 很熟) written on a row is kept with its contact and
orders the next month's lists; another value costs only the familiarity (a warning names the row).

A person's greeting SMS list (``短信-<name>``, core.export) is confirmed on the sheet: 已发送 (是) and 发送日期
written in the cells beside those labels below the list make every customer on it one 短信 contact of that day
(the batch confirmation of ``core.services.sms``), checked like any other row; 已发送 "是" without a date is
refused for the sheet; a list with neither filled in (or 已发送 "否") is not read.
"""

from __future__ import annotations

import datetime as dt
import os
import pathlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from core.calendar import Period, parse_period
from core.errors import IngestError
from core.i18n import t
from core.ingest import clean_ids, clean_text, parse_dates, parse_familiarity, read_table
from core.ingest.excel import open_workbook
from core.ingest.guard import check_file
from core.ingest.values import header_key
from core.policy import Policy
from core.schema import CONTACT_ROW

SHEET_PREFIX = "联络表-"
HEADERS = {
    "contact_date": "日期",
    "staff_name": "员工",
    "customer_id": "客户号",
    "name": "姓名",
    "channel": "方式",
    "result": "结果",
    "note": "备注",
    "familiarity": "熟识程度",  # optional: the level the caller records, stored for the next month's order
}
REQUIRED = ("contact_date", "staff_name", "customer_id", "channel", "result")
SMS_PREFIX = t("export.sheet.sms_prefix", "zh")  # the month's greeting SMS list of one person (core.export)
SMS_SENT = t("export.sms.sent", "zh")  # the cell beside it: 是 once the batch went out
SMS_SENT_ON = t("export.sms.sent_on", "zh")  # the cell beside it: the day sent
SMS_NOT_SENT = ("否", "no", "n")
# a contact row, 熟识程度, the day's attempts, where read
ROW_COLUMNS = [*CONTACT_ROW, "familiarity", "attempts", "file", "sheet", "row"]
_EXCEL_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")

LogSource = tuple[str, bytes | str | os.PathLike]


@dataclass
class ContactImport:
    """What an import found: the contacts (ROW_COLUMNS), the rejected rows and the counts a head checks.

    ``attempts``: the earlier attempts folded into a day's final row (file, sheet, row, final); ``warnings``: rows
    kept with a value dropped (file, sheet, row, reason)."""

    rows: pd.DataFrame
    rejections: list[dict]
    rows_read: int
    planned_unfilled: int = 0
    attempts: list[dict] = field(default_factory=list)
    period: Period | None = None
    sheets: list[dict] = field(default_factory=list)
    warnings: list[dict] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {
            "rows_read": self.rows_read,
            "contacts": len(self.rows),
            "rejected": len(self.rejections),
            "planned_unfilled": self.planned_unfilled,
            "earlier_attempts": len(self.attempts),
            "warned": len(self.warnings),
        }


def _sheet_names(data: bytes, file_name: str) -> list[str]:
    book = open_workbook(data, file_name)  # refuses a file over the input limits before calamine reads it
    try:
        return list(book.sheet_names)
    except Exception as exc:  # calamine raises its own, zip and XML errors for damaged files
        raise IngestError("contacts.file.unreadable", file=file_name, error=str(exc)[:200]) from exc


def log_sheets(data: bytes, file_name: str) -> list[str | None]:
    """The sheets to read: every ``联络表-`` sheet of a workbook (else its first sheet, unless that is a greeting
    SMS list); [None] for CSV."""
    if not data.startswith(_EXCEL_MAGIC):
        return [None]
    names = _sheet_names(data, file_name)
    logs = [n for n in names if n.startswith(SHEET_PREFIX)]
    return logs or [n for n in names[:1] if not n.startswith(SMS_PREFIX)]


def sms_sheets(data: bytes, file_name: str) -> list[str]:
    """The greeting SMS lists (``短信-<name>``) of a workbook; none in a CSV."""
    if not data.startswith(_EXCEL_MAGIC):
        return []
    return [
        n for n in _sheet_names(data, file_name) if n.startswith(SMS_PREFIX) and n[len(SMS_PREFIX) :].strip()
    ]


def _compact(value: object) -> str:
    return (
        ""
        if value is None or (not isinstance(value, str) and pd.isna(value))
        else "".join(str(value).split())
    )


def read_sms_sheet(data: bytes, file_name: str, sheet: str) -> tuple[pd.DataFrame | None, list[dict]]:
    """A greeting SMS list confirmed on its sheet, as log rows (HEADERS keys plus file, sheet, row, batch; the
    channel and result are the policy's, set by :func:`read_contact_logs`); None when the sheet does not say it
    was sent. The second item: the sheet refused (已发送 without a date), as a rejection."""
    wanted = {header_key(HEADERS[k])[0]: k for k in ("customer_id", "name")}
    raw = read_table(
        data, file_name=file_name, sheet=sheet, header_hints=(HEADERS["customer_id"], HEADERS["name"])
    )
    found = {}
    for column in raw.frame.columns:
        key = wanted.get(header_key(column)[0])
        if key and key not in found:
            found[key] = column
    if len(found) < len(wanted):
        missing = [HEADERS[k] for k in wanted.values() if k not in found]
        raise IngestError(
            "contacts.file.columns",
            file=_where(file_name, sheet),
            columns=list(missing),
            expected=list(HEADERS[k] for k in wanted.values()),
        )
    first = raw.frame[found["customer_id"]].map(_compact)
    beside = raw.frame[found["name"]]
    labels = first.isin(
        [_compact(SMS_SENT), _compact(SMS_SENT_ON), _compact(t("export.sms.confirm_label", "zh"))]
    )
    labels |= first.isin([_compact(t("export.sms.fill_label", "zh"))])
    sent_at = (first == _compact(SMS_SENT)).to_numpy().nonzero()[0]
    day_at = (first == _compact(SMS_SENT_ON)).to_numpy().nonzero()[0]
    sent = _compact(beside.iloc[sent_at[-1]]) if len(sent_at) else ""
    day = beside.iloc[day_at[-1]] if len(day_at) else None
    if sent.lower() in SMS_NOT_SENT or (not sent and not _compact(day)):
        return None, []
    if not _compact(day):
        where = int(raw.row_numbers[day_at[-1] if len(day_at) else sent_at[-1]])
        reason = t("contacts.sms.no_date", "zh", label=SMS_SENT_ON)
        return None, [{"file": file_name, "sheet": sheet, "row": where, "reason": reason}]
    end = int(labels.to_numpy().nonzero()[0].min()) if labels.any() else len(first)
    listed = (first != "").to_numpy() & (np.arange(len(first)) < end)
    rows = raw.frame.loc[listed]
    frame = pd.DataFrame({k: pd.Series(None, index=rows.index, dtype=object) for k in HEADERS})
    frame["contact_date"] = day
    frame["staff_name"] = sheet[len(SMS_PREFIX) :].strip()
    frame["customer_id"] = rows[found["customer_id"]]
    frame["name"] = rows[found["name"]]
    frame["file"], frame["sheet"], frame["row"] = file_name, sheet, raw.row_numbers[listed]
    frame["batch"] = True
    return frame, []


def _load(source: bytes | str | os.PathLike, name: str) -> bytes:
    if isinstance(source, bytes | bytearray | memoryview):
        return bytes(source)
    try:
        check_file(b"", name, size=pathlib.Path(source).stat().st_size)  # the size limit before reading
        return pathlib.Path(source).read_bytes()
    except OSError as exc:
        raise IngestError("contacts.file.unreadable", file=name, error=exc.strerror or exc) from exc


def read_log_tables(sources: Sequence[LogSource]) -> pd.DataFrame:
    """Every log row of every file and sheet as text (HEADERS keys plus file, sheet, row, batch: a row of a greeting
    SMS list confirmed on its sheet); no validation yet. ``attrs["problems"]``: SMS lists refused whole."""
    frames, sheets, problems = [], [], []
    hints = tuple(HEADERS.values())
    wanted = {header_key(h)[0]: key for key, h in HEADERS.items()}
    for name, source in sources:
        data = _load(source, name)
        for sheet in log_sheets(data, name):
            raw = read_table(data, file_name=name, sheet=sheet, header_hints=hints)
            found = {}
            for column in raw.frame.columns:
                key = wanted.get(header_key(column)[0])
                if key and key not in found:
                    found[key] = column
            missing = [HEADERS[k] for k in REQUIRED if k not in found]
            if missing:
                raise IngestError(
                    "contacts.file.columns",
                    file=_where(name, sheet),
                    columns=list(missing),
                    expected=list(HEADERS.values()),
                )
            frame = pd.DataFrame(
                {
                    k: raw.frame[found[k]] if k in found else pd.Series(None, index=raw.frame.index)
                    for k in HEADERS
                }
            )
            frame["file"], frame["sheet"], frame["row"] = name, sheet, raw.row_numbers
            frame["batch"] = False
            frames.append(frame)
            sheets.append({"file": name, "sheet": sheet, "rows": len(frame)})
        for sheet in sms_sheets(data, name):
            confirmed, refused = read_sms_sheet(data, name, sheet)
            problems.extend(refused)
            if confirmed is not None:
                frames.append(confirmed)
                sheets.append({"file": name, "sheet": sheet, "rows": len(confirmed)})
    if not frames:
        out = pd.DataFrame({c: pd.Series(dtype=object) for c in [*HEADERS, "file", "sheet", "row", "batch"]})
        out.attrs["problems"] = problems
        return out
    out = pd.concat(frames, ignore_index=True)
    out.attrs["sheets"] = sheets
    out.attrs["problems"] = problems
    return out


def _own_sheet(sheet: object) -> bool:
    return (
        isinstance(sheet, str) and sheet.startswith(SHEET_PREFIX) and bool(sheet[len(SHEET_PREFIX) :].strip())
    )


def _plain(name: object) -> str | None:
    """A name as compared: without spaces; None when blank."""
    if not isinstance(name, str):
        return None
    name = "".join(name.split())
    return name or None


def _where(file: str, sheet: str | None) -> str:
    return f"{file}[{sheet}]" if sheet else file


def infer_period(dates: pd.Series) -> Period | None:
    """The month most log dates fall in (ties: the earlier month); None without any date."""
    days = pd.to_datetime(dates).dropna()
    if not len(days):
        return None
    months = days.dt.strftime("%Y-%m").value_counts()
    top = months[months == months.max()].index.min()
    return parse_period(top)


def read_contact_logs(
    sources: Sequence[LogSource],
    *,
    policy: Policy,
    plan: pd.DataFrame | None = None,
    staff: Iterable[str] | None = None,
    customers: Iterable[str] | Mapping[str, str | None] | None = None,
    period: str | Period | None = None,
    lang: str = "zh",
    asked_from: Mapping[str, dt.date] | None = None,
) -> ContactImport:
    """Read and validate filled-in contact logs (see the module docstring).

    ``asked_from``: per month ('2026-12'), the earliest day its stored plan asks for (a plan made ahead lists
    731 calls before the month starts); a contact from that day on is inside the month's period.

    ``staff`` and ``customers`` are the known names and ids (the plan's own are added); None skips that check.
    ``customers`` as a mapping (id to the snapshot's 姓名) also refuses a row whose 姓名 is another name.
    ``period`` is the plan's period; None takes the month most dates fall in.
    """
    raw = read_log_tables(sources)
    problems = list(raw.attrs.get("problems", []))
    batch = raw["batch"].fillna(False).to_numpy(dtype=bool)
    if (
        batch.any()
    ):  # a confirmed SMS list: the batch confirmation of core.services.sms, one contact per customer
        raw = raw.astype({c: object for c in ("channel", "result", "note")})
        raw.loc[batch, "channel"] = policy.compliance.channel_map["sms"][0]
        raw.loc[batch, "result"] = policy.compliance.counted_results[0]
        raw.loc[batch, "note"] = t("sms.confirm.note", "zh")
    rows_read = len(raw)
    staff_names = clean_text(raw["staff_name"])
    owner = raw["sheet"].map(lambda s: s[len(SHEET_PREFIX) :].strip() if _own_sheet(s) else None)
    staff_names = staff_names.where(staff_names.notna(), clean_text(owner.astype(object)))
    text = pd.DataFrame(
        {
            "staff_name": staff_names,
            "customer_id": clean_ids(raw["customer_id"]),
            "name": clean_text(raw["name"]),
            "channel": clean_text(raw["channel"]),
            "result": clean_text(raw["result"]),
            "note": clean_text(raw["note"]),
        }
    )
    dates, bad_date = parse_dates(raw["contact_date"])
    filled = text["result"].notna().to_numpy()
    p = parse_period(period) if period is not None else infer_period(dates[filled])
    known_staff = _known(staff, plan, ("staff", "staff_name"))
    known_customers = _known(customers, plan, ("customer_id",))
    reasons: list[list[str]] = [[] for _ in range(rows_read)]

    def flag(mask: pd.Series, key: str, column: str | None = None, **fields) -> None:
        for i in mask.to_numpy(dtype=bool, na_value=False).nonzero()[0]:
            value = raw[column].iloc[i] if column else None
            reasons[i].append(t(key, lang, value=value, **fields))

    flag(dates.isna() & ~bad_date, "contacts.row.no_date")
    flag(bad_date, "contacts.row.bad_date", "contact_date")
    familiarity, bad_familiarity = parse_familiarity(raw["familiarity"])
    bad_familiarity |= familiarity.notna() & ~familiarity.between(1, 5)
    familiarity = familiarity.mask(bad_familiarity.to_numpy(dtype=bool))
    if p is not None:
        start = min(p.start, (asked_from or {}).get(p.label, p.start))
        outside = dates.notna() & ((dates < pd.Timestamp(start)) | (dates > pd.Timestamp(p.end)))
        for i in outside.to_numpy(dtype=bool).nonzero()[0]:
            day = dates.iloc[i].date().isoformat()
            reasons[i].append(t("contacts.row.outside", lang, value=day, period=p.label))
    flag(text["staff_name"].isna(), "contacts.row.no_staff")
    if known_staff is not None:
        flag(
            text["staff_name"].notna() & ~text["staff_name"].isin(known_staff),
            "contacts.row.unknown_staff",
            "staff_name",
        )
    flag(text["customer_id"].isna(), "contacts.row.no_customer")
    if known_customers is not None:
        unknown = text["customer_id"].notna() & ~text["customer_id"].isin(known_customers)
        flag(unknown, "contacts.row.unknown_customer", "customer_id")
    if isinstance(customers, Mapping):
        expected = text["customer_id"].map(lambda c: _plain(customers.get(c)) if isinstance(c, str) else None)
        written = text["name"].map(_plain)
        other = (expected.notna() & written.notna() & (expected != written)).to_numpy(dtype=bool)
        for i in other.nonzero()[0]:
            reasons[i].append(
                t(
                    "contacts.row.name_mismatch",
                    lang,
                    customer=text["customer_id"].iloc[i],
                    name=text["name"].iloc[i],
                    expected=customers[text["customer_id"].iloc[i]],
                )
            )
    choices = "、".join(policy.compliance.log_channels)
    flag(text["channel"].isna(), "contacts.row.no_channel")
    bad_channel = text["channel"].notna() & ~text["channel"].isin(policy.compliance.log_channels)
    flag(bad_channel, "contacts.row.bad_channel", "channel", choices=choices)
    choices = "、".join(policy.compliance.log_results)
    bad_result = text["result"].notna() & ~text["result"].isin(policy.compliance.log_results)
    flag(bad_result, "contacts.row.bad_result", "result", choices=choices)

    rejections = [
        {
            "file": raw["file"].iloc[i],
            "sheet": raw["sheet"].iloc[i],
            "row": int(raw["row"].iloc[i]),
            "reason": "；".join(reasons[i]),
        }
        for i in range(rows_read)
        if filled[i] and reasons[i]
    ] + problems
    good = filled & pd.Series([not r for r in reasons]).to_numpy(dtype=bool)
    warnings = [
        {
            "file": raw["file"].iloc[i],
            "sheet": raw["sheet"].iloc[i],
            "row": int(raw["row"].iloc[i]),
            "reason": t("contacts.row.familiarity_dropped", lang, value=raw["familiarity"].iloc[i]),
        }
        for i in bad_familiarity.to_numpy(dtype=bool, na_value=False).nonzero()[0]
        if good[i]
    ]
    rows = pd.DataFrame(
        {
            "contact_date": dates[good].to_numpy(),
            "staff_name": text.loc[good, "staff_name"].to_numpy(),
            "customer_id": text.loc[good, "customer_id"].to_numpy(),
            "name": text.loc[good, "name"].to_numpy(),
            "channel": text.loc[good, "channel"].to_numpy(),
            "result": text.loc[good, "result"].to_numpy(),
            "note": text.loc[good, "note"].to_numpy(),
            "familiarity": familiarity[good].to_numpy(),
            "attempts": 1,
            "file": raw.loc[good, "file"].to_numpy(),
            "sheet": raw.loc[good, "sheet"].to_numpy(),
            "row": raw.loc[good, "row"].to_numpy(dtype="int64"),
        },
        columns=ROW_COLUMNS,
    )
    key = ["staff_name", "customer_id", "channel", "contact_date"]
    later = rows.duplicated(key, keep="last")  # an earlier attempt of a day that has a later row
    attempts = []
    if later.any():
        rows["attempts"] = rows.groupby(key, sort=False)["row"].transform("size").astype("int64")
        final = rows.loc[~later].set_index(key)
        for r in rows.loc[later].itertuples(index=False):
            last = final.loc[(r.staff_name, r.customer_id, r.channel, r.contact_date)]
            attempts.append(
                {
                    "file": r.file,
                    "sheet": r.sheet,
                    "row": int(r.row),
                    "final": f"{_where(last['file'], last['sheet'])} 第 {int(last['row'])} 行",
                }
            )
        rows = rows.loc[~later].reset_index(drop=True)
    rows["attempts"] = rows["attempts"].astype("int64")
    return ContactImport(
        rows=rows,
        rejections=rejections,
        rows_read=rows_read,
        planned_unfilled=int((~filled).sum()),
        attempts=attempts,
        warnings=warnings,
        period=p,
        sheets=list(raw.attrs.get("sheets", [])),
    )


def _known(
    given: Iterable[str] | None, plan: pd.DataFrame | None, columns: tuple[str, ...]
) -> set[str] | None:
    if given is None:
        return None
    known = {str(v).strip() for v in given}
    if plan is not None:
        for column in columns:
            if column in plan.columns:
                known |= {str(v).strip() for v in plan[column].dropna()}
    return known
