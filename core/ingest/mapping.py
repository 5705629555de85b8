"""Header -> field mapping by synonyms, with explicit overrides; shared by customer exports and maturity notices."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence

from core.errors import IngestError, Message
from core.i18n import catalog, t
from core.ingest.table import RawTable, Rejection
from core.ingest.values import UNIT_MULTIPLIERS, header_key

_TITLE_UNIT = re.compile(r"单位\s*[:：]\s*(?:人民币)?(万元|千元|元)")


def field_label(name: str) -> str:
    key = f"ingest.field.{name}"
    try:
        return t(key)
    except KeyError:
        return name


def _headers_text(raw: RawTable) -> list[str] | Message:
    return [Message("ingest.label.quoted", text=h) for h in raw.headers] or Message("ingest.label.none")


def _field_named(name: str) -> Message:
    """A field as a message names it: its label and its code."""
    label = Message(f"ingest.field.{name}") if f"ingest.field.{name}" in catalog() else name
    return Message("ingest.map.field", label=label, field=name)


def hint_words(synonyms: Mapping[str, Sequence[str]], explicit: Mapping[str, str] | None) -> list[str]:
    """Every header text that helps find the header row."""
    return [s for words in synonyms.values() for s in words] + list((explicit or {}).values())


def resolve_columns(
    raw: RawTable,
    synonyms: Mapping[str, Sequence[str]],
    explicit: Mapping[str, str] | None,
    required: Iterable[str],
    amount_fields: Iterable[str] = (),
) -> tuple[dict[str, str], dict[str, float], list[Rejection]]:
    """(field -> header, field -> unit multiplier, notes on ambiguous headers). Raises IngestError naming what is missing.

    An explicit mapping wins; otherwise the header matching the earliest synonym of a field is used (ties: the
    leftmost column). A header is used for one field at most.
    """
    headers = raw.headers
    keys = [header_key(h) for h in headers]
    mapping: dict[str, str] = {}
    used: set[int] = set()
    for field, wanted in (explicit or {}).items():
        if field not in synonyms:
            raise IngestError(
                "ingest.map.unknown_field",
                field=field,
                fields=list(synonyms),
                file=raw.file_name,
                headers=_headers_text(raw),
            )
        index = next((i for i, h in enumerate(headers) if h == wanted), None)
        if index is None:
            wanted_key = header_key(wanted)[0]
            index = next((i for i, (k, _) in enumerate(keys) if k and k == wanted_key), None)
        if index is None:
            raise IngestError(
                "ingest.map.header_absent",
                file=raw.file_name,
                header=wanted,
                field=field,
                headers=_headers_text(raw),
            )
        mapping[field] = headers[index]
        used.add(index)
    rank: dict[str, tuple[str, int]] = {}
    for field, words in synonyms.items():
        for position, word in enumerate(words):
            rank.setdefault(header_key(word)[0], (field, position))
    notes: list[Rejection] = []
    for field in synonyms:
        if field in mapping:
            continue
        candidates = sorted(
            (rank[k][1], i)
            for i, (k, _) in enumerate(keys)
            if i not in used and k in rank and rank[k][0] == field
        )
        if not candidates:
            continue
        chosen = candidates[0][1]
        mapping[field] = headers[chosen]
        used.add(chosen)
        if len(candidates) > 1:
            notes.append(
                Rejection(
                    row=raw.header_row,
                    reason=t(
                        "ingest.map.ambiguous",
                        used=headers[chosen],
                        other=headers[candidates[1][1]],
                        field=field_label(field),
                    ),
                    column=headers[chosen],
                    file=raw.file_name,
                )
            )
    for field, header in mapping.items():
        copies = [
            h
            for h in headers
            if h.startswith(f"{header}(") and h.endswith(")") and h[len(header) + 1 : -1].isdigit()
        ]
        if copies:
            notes.append(
                Rejection(
                    row=raw.header_row,
                    reason=t(
                        "ingest.map.duplicate", header=header, count=len(copies) + 1, field=field_label(field)
                    ),
                    column=header,
                    file=raw.file_name,
                )
            )
    missing = [f for f in required if f not in mapping]
    if missing:
        raise IngestError(
            "ingest.map.missing",
            file=raw.file_name,
            missing=[_field_named(f) for f in missing],
            row=raw.header_row,
            headers=_headers_text(raw),
        )
    multipliers = {}
    title_unit = _title_unit(raw.titles)
    for field in amount_fields:
        if field not in mapping:
            continue
        multipliers[field] = header_key(mapping[field])[1] or (title_unit[1] if title_unit else 1.0)
        if title_unit and header_key(mapping[field])[1] is None and title_unit[1] != 1.0:
            notes.append(
                Rejection(
                    row=raw.header_row,
                    reason=t(
                        "ingest.map.title_unit",
                        unit=title_unit[0],
                        column=mapping[field],
                        multiplier=f"{title_unit[1]:,.0f}",
                    ),
                    column=mapping[field],
                    file=raw.file_name,
                )
            )
    return mapping, multipliers, notes


def _title_unit(titles: Sequence[str]) -> tuple[str, float] | None:
    """A unit stated above the header ("单位：万元", "金额单位:元"): (unit, multiplier)."""
    for title in titles:
        found = _TITLE_UNIT.search(unicodedata.normalize("NFKC", title))
        if found:
            return found.group(1), UNIT_MULTIPLIERS[found.group(1)]
    return None
