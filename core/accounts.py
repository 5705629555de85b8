"""Console accounts: admin (city branch, every outlet), branch_head (one outlet), staff (one outlet, own customers).

Passwords are bcrypt hashes; bcrypt 5 refuses more than 72 bytes, so lengths are checked first.
"""

from __future__ import annotations

import re
import secrets
from typing import Any

import bcrypt
from sqlalchemy import Engine, func, select, update
from sqlalchemy.exc import IntegrityError

from core.errors import AuthError
from core.i18n import t
from core.storage.audit import audit
from core.storage.engine import write_connection
from core.storage.models import ROLES, UserAccount, utcnow
from core.storage.outlets import OUTLET, clean_outlet_name, outlet_id

ACCOUNT = UserAccount.__table__
MIN_PASSWORD = 8
MAX_PASSWORD_BYTES = 72
USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,31}$")
DEMO_USERNAME = "zhiju"
MAX_FAILED_LOGINS = 5
"""Consecutive wrong passwords after which an account is locked until an admin resets its password.

Security policy, not business policy: it stays here rather than in the outlet's Policy.
"""


def check_password(password: str) -> None:
    """AuthError (Chinese) when the password is too short or longer than bcrypt accepts."""
    if len(password) < MIN_PASSWORD:
        raise AuthError(t("accounts.password.short", "zh", min=MIN_PASSWORD))
    if len(password.encode("utf-8")) > MAX_PASSWORD_BYTES:
        raise AuthError(t("accounts.password.long", "zh", max=MAX_PASSWORD_BYTES))


def hash_password(password: str) -> str:
    check_password(password)
    return bcrypt.hashpw(password.encode("utf-8"), bcrypt.gensalt()).decode("ascii")


def normalize_username(username: str) -> str:
    """Lower case (the login widget lowers what is typed), checked against the allowed characters."""
    name = str(username or "").strip().lower()
    if not USERNAME.match(name):
        raise AuthError(t("accounts.username.invalid", "zh", username=username))
    return name


def add_user(
    engine: Engine,
    username: str,
    password: str,
    *,
    role: str,
    outlet: str | None = None,
    display_name: str | None = None,
    staff_name: str | None = None,
    created_by: str = "system",
) -> dict[str, Any]:
    """Create an account; branch_head and staff need an outlet, admin must not have one."""
    name = normalize_username(username)
    if role not in ROLES:
        raise AuthError(t("accounts.role.invalid", "zh", role=role, roles="、".join(ROLES)))
    if role == "admin" and outlet:
        raise AuthError(t("accounts.role.admin_outlet", "zh"))
    if role != "admin" and not outlet:
        raise AuthError(t("accounts.role.needs_outlet", "zh", role=role))
    digest = hash_password(password)
    try:
        with write_connection(engine) as conn:
            if conn.scalar(select(ACCOUNT.c.id).where(ACCOUNT.c.username == name)) is not None:
                raise AuthError(t("accounts.username.taken", "zh", username=name))
            oid = outlet_id(conn, outlet, create=True) if outlet else None
            conn.execute(
                ACCOUNT.insert().values(
                    username=name,
                    password_hash=digest,
                    role=role,
                    outlet_id=oid,
                    staff_name=staff_name or None,
                    display_name=display_name or staff_name or name,
                    created_at=utcnow(),
                    failed_logins=0,
                )
            )
            audit(
                conn,
                created_by,
                "user.add",
                clean_outlet_name(outlet) if outlet else None,
                {"username": name, "role": role},
            )
    except IntegrityError as exc:
        raise AuthError(t("accounts.username.taken", "zh", username=name)) from exc
    return get_user(engine, name)


def _user_query():
    return select(
        ACCOUNT.c.username,
        ACCOUNT.c.display_name,
        ACCOUNT.c.role,
        OUTLET.c.name.label("outlet"),
        ACCOUNT.c.staff_name,
        ACCOUNT.c.created_at,
        ACCOUNT.c.failed_logins,
        ACCOUNT.c.last_login_at,
    ).outerjoin(OUTLET, OUTLET.c.id == ACCOUNT.c.outlet_id)


def _user_dict(row) -> dict[str, Any]:
    out = dict(row._mapping)
    for key in ("created_at", "last_login_at"):
        if out[key] is not None:
            out[key] = out[key].isoformat(timespec="seconds")
    return out


def get_user(engine: Engine, username: str) -> dict[str, Any]:
    """The account without its hash; AuthError when unknown."""
    name = str(username or "").strip().lower()
    with engine.connect() as conn:
        row = conn.execute(_user_query().where(ACCOUNT.c.username == name)).first()
    if row is None:
        raise AuthError(t("accounts.username.unknown", "zh", username=username))
    return _user_dict(row)


def list_users(engine: Engine) -> list[dict[str, Any]]:
    """Every account (no hashes), by username."""
    with engine.connect() as conn:
        return [_user_dict(r) for r in conn.execute(_user_query().order_by(ACCOUNT.c.username))]


def set_password(engine: Engine, username: str, password: str, *, changed_by: str = "system") -> None:
    """Replace a password (and clear failed attempts)."""
    name = str(username or "").strip().lower()
    digest = hash_password(password)
    with write_connection(engine) as conn:
        done = conn.execute(
            update(ACCOUNT).where(ACCOUNT.c.username == name).values(password_hash=digest, failed_logins=0)
        ).rowcount
        if not done:
            raise AuthError(t("accounts.username.unknown", "zh", username=username))
        audit(conn, changed_by, "user.passwd", None, {"username": name})


def verify(engine: Engine, username: str, password: str) -> bool:
    """True when the password matches and the account is not locked; counts failed attempts, stamps the login."""
    name = str(username or "").strip().lower()
    with engine.connect() as conn:
        row = conn.execute(
            select(ACCOUNT.c.password_hash, ACCOUNT.c.failed_logins).where(ACCOUNT.c.username == name)
        ).first()
    if row is None:
        return False
    data = password.encode("utf-8")
    ok = len(data) <= MAX_PASSWORD_BYTES and bcrypt.checkpw(data, row.password_hash.encode("ascii"))
    if ok and (row.failed_logins or 0) < MAX_FAILED_LOGINS:
        record_login(engine, name)
        return True
    if not ok:
        record_failed_login(engine, name)
    return False


def record_failed_login(engine: Engine, username: str) -> int:
    """One more consecutive wrong password for ``username``; the new count (0 for an unknown account)."""
    name = str(username or "").strip().lower()
    with write_connection(engine) as conn:
        conn.execute(
            update(ACCOUNT)
            .where(ACCOUNT.c.username == name)
            .values(failed_logins=func.coalesce(ACCOUNT.c.failed_logins, 0) + 1)
        )
        count = conn.scalar(select(ACCOUNT.c.failed_logins).where(ACCOUNT.c.username == name))
    return int(count or 0)


def record_login(engine: Engine, username: str) -> None:
    """A successful login: the failed-attempt counter back to 0 and the last login stamped now."""
    name = str(username or "").strip().lower()
    with write_connection(engine) as conn:
        conn.execute(
            update(ACCOUNT).where(ACCOUNT.c.username == name).values(failed_logins=0, last_login_at=utcnow())
        )


def is_locked(engine: Engine, username: str) -> bool:
    """True when the account has MAX_FAILED_LOGINS or more consecutive failures (an admin must reset it)."""
    name = str(username or "").strip().lower()
    with engine.connect() as conn:
        count = conn.scalar(select(ACCOUNT.c.failed_logins).where(ACCOUNT.c.username == name))
    return int(count or 0) >= MAX_FAILED_LOGINS


def credentials_for_authenticator(engine: Engine) -> dict[str, dict[str, dict[str, Any]]]:
    """Accounts in the shape streamlit-authenticator 0.4.2 takes (the password is the bcrypt hash).

    Locked accounts (MAX_FAILED_LOGINS failures in a row) are left out, so even the right password fails.
    """
    query = select(ACCOUNT.c.username, ACCOUNT.c.display_name, ACCOUNT.c.password_hash, ACCOUNT.c.role).where(
        func.coalesce(ACCOUNT.c.failed_logins, 0) < MAX_FAILED_LOGINS
    )
    with engine.connect() as conn:
        rows = conn.execute(query.order_by(ACCOUNT.c.username)).all()
    return {
        "usernames": {
            r.username: {"name": r.display_name, "password": r.password_hash, "email": "", "roles": [r.role]}
            for r in rows
        }
    }


def ensure_demo_account(engine: Engine, outlet: str) -> str | None:
    """When no account exists yet: create branch head ``zhiju`` for ``outlet``, return its random password once."""
    with engine.connect() as conn:
        if conn.scalar(select(func.count()).select_from(ACCOUNT)):
            return None
    password = secrets.token_urlsafe(12)
    try:
        add_user(
            engine,
            DEMO_USERNAME,
            password,
            role="branch_head",
            outlet=outlet,
            display_name=t("accounts.demo.display_name", "zh"),
        )
    except AuthError:
        return None  # another process created it first
    return password
