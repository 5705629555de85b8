"""Every download button of the console: the file is bound to the login that asked for it, and audited.

``download`` hands the bytes to Streamlit's media file manager (its public ``add``, as ``st.download_button``
itself does, so both get the same content-addressed id), records in ``ui.media_guard.OWNERS`` that this login —
the account and its cookie's session id (``ctx.sid``) — may fetch that id for ``media_link_minutes``, with what
the file holds (kind, outlet, masked or not, rows), and then draws the button. ``ui/media_guard.py`` answers
``/media/<id>`` only to that login (the same account logged in elsewhere is refused) and writes the audit row
(``core.services.exports.record_export``) when the browser fetches the file. A workbook built only when its
button is clicked (a callable) is bound the same way when it is built. A run without a login session id grants
nothing: its links answer 403.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ui.context import Ctx
from ui.media_guard import OWNERS, media_id

Data = bytes | str | Callable[[], bytes]


def _bytes(data: bytes | str) -> bytes:
    return data.encode("utf-8") if isinstance(data, str) else bytes(data)


def grant(ctx: Ctx, data: bytes, *, mime: str, file_name: str, key: str, audit: dict[str, Any]) -> str | None:
    """Register ``data`` as the download of ``ctx``'s login; returns its media id (None when no server runs)."""
    from streamlit import runtime

    if not runtime.exists():
        return None
    url = runtime.get_instance().media_file_mgr.add(
        data, mime, f"console-download:{key}", file_name=file_name, is_for_static_download=True
    )
    file_id = media_id(url)
    if file_id and ctx.sid:
        OWNERS.grant(file_id, ctx.username, ctx.sid, audit=audit)
    return file_id


def download(
    where,
    ctx: Ctx,
    label: str,
    data: Data,
    *,
    file_name: str,
    mime: str,
    key: str,
    kind: str | None,
    outlet: str | None = None,
    rows: int | Callable[[], int] = 0,
    masked: bool = False,
    detail: dict[str, Any] | None = None,
    **kwargs: Any,
) -> bool:
    """``where.download_button`` (``where``: st or a column) for a file bound to this login; ``kind`` None for a
    file without personal data (a policy file), which is not audited."""

    def audit() -> dict[str, Any]:
        if kind is None:
            return {}
        return {
            "kind": kind,
            "outlet": outlet,
            "masked": masked,
            "rows": rows() if callable(rows) else rows,
            "file_name": file_name,
            "detail": detail,
        }

    if callable(data):
        build = data

        def built() -> bytes:
            payload = _bytes(build())
            grant(ctx, payload, mime=mime, file_name=file_name, key=key, audit=audit())
            return payload

        return where.download_button(label, built, file_name=file_name, mime=mime, key=key, **kwargs)
    payload = _bytes(data)
    grant(ctx, payload, mime=mime, file_name=file_name, key=key, audit=audit())
    return where.download_button(label, payload, file_name=file_name, mime=mime, key=key, **kwargs)
