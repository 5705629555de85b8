"""Console accounts: admin (city branch, every outlet), branch_head (one outlet), staff (one outlet, own customers).

Passwords are bcrypt hashes; bcrypt 5 refuses more than 72 bytes, so lengths are checked first.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import secrets
from typing import Any

import bcrypt
import jwt
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
"""Consecutive wrong passwords after which an account is locked for LOCK_MINUTES (or until an admin resets it).

Security policy, not business policy: it stays here rather than in the outlet's Policy; IT sets the lock time for
the server with CONSOLE_LOCK_MINUTES.
"""
LOCK_MINUTES = int(os.environ.get("CONSOLE_LOCK_MINUTES") or 15)
# The passwords tried first by anyone guessing (the commonest leaked ones, and the bank's own obvious ones).
DENIED_PASSWORDS = frozenset(
    {
        "12345678",
        "123456789",
        "1234567890",
        "87654321",
        "11111111",
        "88888888",
        "66666666",
        "00000000",
        "password",
        "password1",
        "password123",
        "passw0rd",
        "qwertyui",
        "qwerty123",
        "1qaz2wsx",
        "abc12345",
        "abcd1234",
        "a1234567",
        "aa123456",
        "admin123",
        "iloveyou",
        "woaini1314",
        "zhiju123",
        "yinhang123",
        "youzheng",
        "psbc1234",
        "changeme",
        "welcome1",
    }
)


def check_password(password: str, username: str | None = None) -> None:
    """AuthError (Chinese) unless the password can be typed, is long enough, not too long, not on the deny-list,
    mixes two kinds of characters (letters, digits, others) and is not the username."""
    if password != password.strip():
        raise AuthError(t("accounts.password.spaces", "zh"))
    if len(password) < MIN_PASSWORD:
        raise AuthError(t("accounts.password.short", "zh", min=MIN_PASSWORD))
    if len(password.encode("utf-8")) > MAX_PASSWORD_BYTES:
        raise AuthError(t("accounts.password.long", "zh", max=MAX_PASSWORD_BYTES))
    if password.lower() in DENIED_PASSWORDS or len(set(password)) <= 2:
        raise AuthError(t("accounts.password.denied", "zh"))
    kinds = (
        any(c.isalpha() for c in password)
        + any(c.isdigit() for c in password)
        + any(not c.isalnum() for c in password)
    )
    if kinds < 2:
        raise AuthError(t("accounts.password.kinds", "zh"))
    if username and password.lower() in (username.strip().lower(), username.strip().lower()[::-1]):
        raise AuthError(t("accounts.password.username", "zh"))


def hash_password(password: str, username: str | None = None) -> str:
    check_password(password, username)
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
    digest = hash_password(password, name)
    staff_name = str(staff_name or "").strip() or None
    try:
        with write_connection(engine) as conn:
            if conn.scalar(select(ACCOUNT.c.id).where(ACCOUNT.c.username == name)) is not None:
                raise AuthError(t("accounts.username.taken", "zh", username=name))
            oid = outlet_id(conn, outlet, create=True) if outlet else None
            if staff_name is not None:
                holder = conn.scalar(
                    select(ACCOUNT.c.username).where(
                        ACCOUNT.c.outlet_id == oid, ACCOUNT.c.staff_name == staff_name
                    )
                )
                if holder is not None:
                    raise AuthError(
                        t("accounts.staff_name.taken", "zh", staff_name=staff_name, username=holder)
                    )
            conn.execute(
                ACCOUNT.insert().values(
                    username=name,
                    password_hash=digest,
                    role=role,
                    outlet_id=oid,
                    staff_name=staff_name,
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
        ACCOUNT.c.locked_until,
    ).outerjoin(OUTLET, OUTLET.c.id == ACCOUNT.c.outlet_id)


def _user_dict(row) -> dict[str, Any]:
    out = dict(row._mapping)
    out["locked"] = out["locked_until"] is not None and out["locked_until"] > utcnow()
    for key in ("created_at", "last_login_at", "locked_until"):
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
    """Replace a password: failed attempts and any lock cleared, every session of the account ended."""
    name = str(username or "").strip().lower()
    digest = hash_password(password, name)
    with write_connection(engine) as conn:
        done = conn.execute(
            update(ACCOUNT)
            .where(ACCOUNT.c.username == name)
            .values(
                password_hash=digest,
                failed_logins=0,
                locked_until=None,
                token_version=ACCOUNT.c.token_version + 1,
            )
        ).rowcount
        if not done:
            raise AuthError(t("accounts.username.unknown", "zh", username=username))
        audit(conn, changed_by, "user.passwd", None, {"username": name})


def change_own_password(engine: Engine, username: str, current: str, new: str) -> None:
    """修改密码: the account's own password, after the current one is confirmed; other sessions end."""
    name = str(username or "").strip().lower()
    with engine.connect() as conn:
        stored = conn.scalar(select(ACCOUNT.c.password_hash).where(ACCOUNT.c.username == name))
    data = current.encode("utf-8")
    if stored is None or len(data) > MAX_PASSWORD_BYTES or not bcrypt.checkpw(data, stored.encode("ascii")):
        raise AuthError(t("accounts.password.current_wrong", "zh"))
    if new == current:
        raise AuthError(t("accounts.password.same", "zh"))
    set_password(engine, name, new, changed_by=name)


def verify(engine: Engine, username: str, password: str) -> bool:
    """True when the password matches and the account is not locked; counts failed attempts, stamps the login."""
    name = str(username or "").strip().lower()
    with engine.connect() as conn:
        row = conn.execute(select(ACCOUNT.c.password_hash).where(ACCOUNT.c.username == name)).first()
    if row is None:
        record_failed_login(engine, name)
        return False
    data = password.encode("utf-8")
    ok = len(data) <= MAX_PASSWORD_BYTES and bcrypt.checkpw(data, row.password_hash.encode("ascii"))
    if ok and not is_locked(engine, name):
        record_login(engine, name)
        return True
    record_failed_login(engine, name)
    return False


def record_failed_login(engine: Engine, username: str) -> int:
    """One more consecutive wrong password for ``username``; the new count (0 for an unknown account).

    The MAX_FAILED_LOGINS-th locks the account for LOCK_MINUTES and ends its sessions; attempts during a lock are
    audited but do not extend it; the first failure after a lock ran out starts counting again. Every failure is
    in audit_log, unknown usernames too (what was typed, cut to 64 characters).
    """
    name = str(username or "").strip().lower()[:64]
    now = utcnow()
    with write_connection(engine) as conn:
        row = conn.execute(
            select(ACCOUNT.c.failed_logins, ACCOUNT.c.locked_until).where(ACCOUNT.c.username == name)
        ).first()
        if row is None:
            audit(conn, name, "login.failed", None, {"known": False})
            return 0
        if row.locked_until is not None and row.locked_until > now:
            audit(conn, name, "login.failed", None, {"known": True, "locked": True})
            return int(row.failed_logins or 0)
        count = 1 if row.locked_until is not None else int(row.failed_logins or 0) + 1
        values: dict[str, Any] = {"failed_logins": count, "locked_until": None}
        if count >= MAX_FAILED_LOGINS:
            values |= {"locked_until": now + dt.timedelta(minutes=LOCK_MINUTES)}
            values |= {"token_version": ACCOUNT.c.token_version + 1}
        conn.execute(update(ACCOUNT).where(ACCOUNT.c.username == name).values(**values))
        audit(conn, name, "login.failed", None, {"known": True, "count": count})
        if count >= MAX_FAILED_LOGINS:
            audit(conn, name, "login.lock", None, {"minutes": LOCK_MINUTES})
    return count


def record_login(engine: Engine, username: str, *, audited: bool = True) -> None:
    """A successful login: the failed-attempt counter back to 0, the last login stamped now, audit_log told."""
    name = str(username or "").strip().lower()
    with write_connection(engine) as conn:
        conn.execute(
            update(ACCOUNT)
            .where(ACCOUNT.c.username == name)
            .values(failed_logins=0, locked_until=None, last_login_at=utcnow())
        )
        if audited:
            audit(conn, name, "login", None, None)


def record_logout(engine: Engine, username: str) -> None:
    """退出登录: every login cookie issued for the account so far stops working."""
    name = str(username or "").strip().lower()
    with write_connection(engine) as conn:
        conn.execute(
            update(ACCOUNT)
            .where(ACCOUNT.c.username == name)
            .values(token_version=ACCOUNT.c.token_version + 1)
        )
        audit(conn, name, "logout", None, None)


def session_version(engine: Engine, username: str) -> int | None:
    """The account's current token version; None when it is unknown or locked (no session may go on)."""
    name = str(username or "").strip().lower()
    with engine.connect() as conn:
        row = conn.execute(
            select(ACCOUNT.c.token_version, ACCOUNT.c.locked_until).where(ACCOUNT.c.username == name)
        ).first()
    if row is None or (row.locked_until is not None and row.locked_until > utcnow()):
        return None
    return int(row.token_version or 0)


def issue_token(engine: Engine, username: str, exp_date: float, key: str) -> str:
    """The login cookie's HS256 token: username, expiry and the account's current token version."""
    version = session_version(engine, username)
    payload = {"username": username, "exp_date": exp_date, "ver": -1 if version is None else version}
    return jwt.encode(payload, key, algorithm="HS256")


def read_token(engine: Engine, token: object, key: str) -> dict[str, Any] | None:
    """The token's payload when this server signed it (HS256 only), it has the expected shape and its version is
    still the account's; None for anything else (alg none, HS512, garbage, an old copy after logout or reset)."""
    try:
        payload = jwt.decode(str(token), key, algorithms=["HS256"])
    except Exception:  # PyJWT raises a dozen kinds (and ValueError, TypeError on odd input): all mean "no"
        return None
    if (
        not isinstance(payload, dict)
        or not isinstance(payload.get("username"), str)
        or type(payload.get("exp_date")) not in (int, float)
        or type(payload.get("ver")) is not int
        or payload["ver"] != session_version(engine, payload["username"])
    ):
        return None
    return payload


def is_locked(engine: Engine, username: str) -> bool:
    """True while the account's lock (MAX_FAILED_LOGINS failures in a row) has not run out."""
    name = str(username or "").strip().lower()
    with engine.connect() as conn:
        until = conn.scalar(select(ACCOUNT.c.locked_until).where(ACCOUNT.c.username == name))
    return until is not None and until > utcnow()


def credentials_for_authenticator(engine: Engine) -> dict[str, dict[str, dict[str, Any]]]:
    """Accounts in the shape streamlit-authenticator 0.4.2 takes (the password is the bcrypt hash).

    Locked accounts (a lock that has not run out) are left out, so even the right password fails.
    """
    query = select(ACCOUNT.c.username, ACCOUNT.c.display_name, ACCOUNT.c.password_hash, ACCOUNT.c.role).where(
        (ACCOUNT.c.locked_until.is_(None)) | (ACCOUNT.c.locked_until <= utcnow())
    )
    with engine.connect() as conn:
        rows = conn.execute(query.order_by(ACCOUNT.c.username)).all()
    return {
        "usernames": {
            r.username: {"name": r.display_name, "password": r.password_hash, "email": "", "roles": [r.role]}
            for r in rows
        }
    }


def new_password() -> str:
    """A random password that passes check_password (letters and digits, 16 characters)."""
    while True:
        password = secrets.token_urlsafe(12)
        try:
            check_password(password)
        except AuthError:
            continue
        return password


def ensure_demo_account(engine: Engine, outlet: str) -> str | None:
    """When no account exists yet: create branch head ``zhiju`` for ``outlet``, return its random password once."""
    with engine.connect() as conn:
        if conn.scalar(select(func.count()).select_from(ACCOUNT)):
            return None
    password = new_password()
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
