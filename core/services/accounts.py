"""Console accounts: admin (city branch, every outlet), branch_head (one outlet), staff (one outlet, own customers).

Passwords are bcrypt hashes; bcrypt 5 refuses more than 72 bytes, so lengths are checked first.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets
import time
from dataclasses import dataclass
from functools import cache
from typing import Any

import bcrypt
import jwt
from sqlalchemy import Engine, func, select, update
from sqlalchemy.exc import IntegrityError

from core.errors import AuthError
from core.i18n import t
from core.security import throttle
from core.security.keys import KEY_ENV, cookie_key  # noqa: F401  (KEY_ENV: for callers of core.services.accounts)
from core.security.passwords import is_common, is_weak
from core.security.throttle import address_window, login_rules
from core.storage import login_attempts as attempts
from core.storage.audit import audit
from core.storage.engine import write_connection
from core.storage.models import ROLES, UserAccount, utcnow
from core.storage.outlets import OUTLET, clean_outlet_name, outlet_id

ACCOUNT = UserAccount.__table__
MAX_PASSWORD_BYTES = 72
USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,31}$")
DEMO_USERNAME = "zhiju"
MIN_PASSWORD = login_rules().min_password
UNKNOWN_USER = "(未知用户)"  # audit_log's user for a name no account has: what was typed is never stored


def check_password(password: str, username: str | None = None) -> None:
    """AuthError (Chinese) unless the password can be typed, is long enough, not too long, mixes two kinds of
    characters (letters, digits, others), is not on the deny-list (core/security/passwords.toml) and is more than
    predictable pieces (keyboard walks, lucky numbers, pinyin favourites, the user name)."""
    if password != password.strip():
        raise AuthError("accounts.password.spaces")
    if len(password) < MIN_PASSWORD:
        raise AuthError("accounts.password.short", min=MIN_PASSWORD)
    if len(password.encode("utf-8")) > MAX_PASSWORD_BYTES:
        raise AuthError("accounts.password.long", max=MAX_PASSWORD_BYTES)
    if is_common(password) or len(set(password)) <= 2:
        raise AuthError("accounts.password.denied")
    kinds = (
        any(c.isalpha() for c in password)
        + any(c.isdigit() for c in password)
        + any(not c.isalnum() for c in password)
    )
    if kinds < 2:
        raise AuthError("accounts.password.kinds")
    if is_weak(password):
        raise AuthError("accounts.password.denied")
    if is_weak(password, (username or "").strip().lower()):
        raise AuthError("accounts.password.username")


def hash_password(password: str, username: str | None = None) -> str:
    check_password(password, username)
    return bcrypt.hashpw(password.encode("utf-8"), bcrypt.gensalt()).decode("ascii")


def normalize_username(username: str) -> str:
    """Lower case (the login widget lowers what is typed), checked against the allowed characters."""
    name = str(username or "").strip().lower()
    if not USERNAME.match(name):
        raise AuthError("accounts.username.invalid", username=username)
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
        raise AuthError("accounts.role.invalid", role=role, roles=list(ROLES))
    if role == "admin" and outlet:
        raise AuthError("accounts.role.admin_outlet")
    if role != "admin" and not outlet:
        raise AuthError("accounts.role.needs_outlet", role=role)
    digest = hash_password(password, name)
    staff_name = str(staff_name or "").strip() or None
    try:
        with write_connection(engine) as conn:
            if conn.scalar(select(ACCOUNT.c.id).where(ACCOUNT.c.username == name)) is not None:
                raise AuthError("accounts.username.taken", username=name)
            oid = outlet_id(conn, outlet, create=True) if outlet else None
            if staff_name is not None:
                holder = conn.scalar(
                    select(ACCOUNT.c.username).where(
                        ACCOUNT.c.outlet_id == oid, ACCOUNT.c.staff_name == staff_name
                    )
                )
                if holder is not None:
                    raise AuthError("accounts.staff_name.taken", staff_name=staff_name, username=holder)
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
        raise AuthError("accounts.username.taken", username=name) from exc
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
        raise AuthError("accounts.username.unknown", username=username)
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
            raise AuthError("accounts.username.unknown", username=username)
        # a new password starts the delays afresh
        attempts.record(conn, name, None, "reset", True, utcnow(), keep_days=login_rules().keep_days)
        audit(conn, changed_by, "user.passwd", None, {"username": name})


@dataclass(frozen=True)
class LoginResult:
    """What a password check found. ``wait_seconds``: how long until the next check may be made."""

    ok: bool
    username: str | None = None  # the account, when ok
    wait_seconds: float = 0.0
    throttled: bool = False  # refused unchecked: asked for during a delay


def subject_of(conn, typed: str) -> str:
    """The key attempts are counted under: the account's name, or a keyed hash of a name no account has."""
    if conn.scalar(select(ACCOUNT.c.id).where(ACCOUNT.c.username == typed)) is not None:
        return typed
    return "?" + hmac.new(cookie_key().encode(), typed.encode("utf-8"), hashlib.sha256).hexdigest()[:24]


def attempt_login(
    engine: Engine,
    username: str,
    password: str,
    *,
    client: str | None,
    kind: str = "login",
    now: dt.datetime | None = None,
) -> LoginResult:
    """One password check for ``username`` from ``client`` (an address; None from the command line).

    Refused unchecked while a delay (core/security/login.toml) runs; otherwise the password is checked — against a
    dummy hash for an unknown name, so an unknown name costs what a wrong password costs — counted, and audited with the client address
    (an unknown name is audited as UNKNOWN_USER with its keyed hash, never as typed). A success starts the counts
    afresh and stamps the last login.
    """
    rules = login_rules()
    typed = str(username or "").strip().lower()[:64]
    data = str(password or "").encode("utf-8")
    now = now or utcnow()
    with engine.connect() as conn:  # read, then check the password with no lock held (bcrypt takes ~0.25 s)
        subject = subject_of(conn, typed)
        row = conn.execute(
            select(ACCOUNT.c.password_hash, ACCOUNT.c.locked_until).where(ACCOUNT.c.username == typed)
        ).first()
        wait = throttle.wait_seconds(
            attempts.failures(conn, subject, client, now, address_window(rules)), now, rules
        )
    known = subject == typed and row is not None
    stored = row.password_hash if row is not None else _dummy_hash()
    # During a wait nothing is checked (no CPU spent on a flood of guesses); the answer is held like any refusal.
    right = wait <= 0 and bcrypt.checkpw(data[:MAX_PASSWORD_BYTES], stored.encode("ascii"))
    right = right and len(data) <= MAX_PASSWORD_BYTES
    who = typed if known else UNKNOWN_USER
    detail: dict[str, Any] = {"client": client} | ({} if known else {"typed": subject})
    with write_connection(engine) as conn:
        attempts.serialize(conn)
        if wait <= 0:  # again under the write lock: checks made at the same time count one after the other
            wait = throttle.wait_seconds(
                attempts.failures(conn, subject, client, now, address_window(rules)), now, rules
            )
        if wait > 0:  # the check's outcome is thrown away: nothing is learnt from a delayed attempt
            audit(conn, who, f"{kind}.delayed", None, detail | {"wait_seconds": round(wait, 1)})
            return LoginResult(False, wait_seconds=wait, throttled=True)
        locked = row is not None and row.locked_until is not None and row.locked_until > now
        ok = known and right and not locked
        attempts.record(conn, subject, client, kind, ok, now, keep_days=rules.keep_days)
        if ok:
            if kind == "login":
                conn.execute(
                    update(ACCOUNT)
                    .where(ACCOUNT.c.username == typed)
                    .values(failed_logins=0, last_login_at=now)
                )
                audit(conn, who, "login", None, detail)
            return LoginResult(True, username=typed)
        counts = attempts.failures(conn, subject, client, now, address_window(rules))
        if known:
            conn.execute(
                update(ACCOUNT).where(ACCOUNT.c.username == typed).values(failed_logins=counts["account"][0])
            )
        audit(conn, who, f"{kind}.failed", None, detail | {"count": counts["account"][0]})
        return LoginResult(False, wait_seconds=throttle.wait_seconds(counts, now, rules))


@cache
def _dummy_hash() -> str:
    """Checked when the name is unknown, so that an unknown name costs what a wrong password costs."""
    return bcrypt.hashpw(secrets.token_bytes(16), bcrypt.gensalt()).decode("ascii")


def verify(engine: Engine, username: str, password: str, *, client: str | None = None) -> bool:
    """True when the password is right and no delay runs (counted and audited as a login)."""
    return attempt_login(engine, username, password, client=client).ok


def change_own_password(
    engine: Engine,
    username: str,
    current: str,
    new: str,
    *,
    client: str | None = None,
    now: dt.datetime | None = None,
) -> None:
    """修改密码: the account's own password, after the current one is confirmed; other sessions end.

    The current password is checked like a login (delays, counts, audit as ``passwd.*``); when the account's
    failures reach ``end_sessions_after`` every session of the account ends (``passwd.lock``).
    """
    name = str(username or "").strip().lower()
    result = attempt_login(engine, name, current, client=client, kind="passwd", now=now)
    if result.throttled:
        raise AuthError("accounts.login.wait", seconds=_seconds(result.wait_seconds))
    if not result.ok:
        with write_connection(engine) as conn:
            count = conn.scalar(select(ACCOUNT.c.failed_logins).where(ACCOUNT.c.username == name)) or 0
            if count >= login_rules().end_sessions_after:
                conn.execute(
                    update(ACCOUNT)
                    .where(ACCOUNT.c.username == name)
                    .values(token_version=ACCOUNT.c.token_version + 1)
                )
                audit(conn, name, "passwd.lock", None, {"client": client, "count": int(count)})
        raise AuthError("accounts.password.current_wrong")
    if new == current:
        raise AuthError("accounts.password.same")
    set_password(engine, name, new, changed_by=name)


def _seconds(wait: float) -> int:
    return max(1, int(-(-wait // 1)))


def unlock(engine: Engine, username: str, *, by: str) -> None:
    """An admin lets an account log in at once: its delays (and any old lock) are cleared."""
    name = str(username or "").strip().lower()
    with write_connection(engine) as conn:
        done = conn.execute(
            update(ACCOUNT).where(ACCOUNT.c.username == name).values(failed_logins=0, locked_until=None)
        ).rowcount
        if not done:
            raise AuthError("accounts.username.unknown", username=username)
        attempts.record(conn, name, None, "reset", True, utcnow(), keep_days=login_rules().keep_days)
        audit(conn, by, "user.unlock", None, {"username": name})


def login_wait(engine: Engine, username: str, now: dt.datetime | None = None) -> float:
    """Seconds until the account's next login may be checked from an address it has not failed from (0: now)."""
    rules = login_rules()
    now = now or utcnow()
    with engine.connect() as conn:
        return throttle.wait_seconds(
            attempts.failures(conn, username, None, now, address_window(rules)), now, rules
        )


def record_logout(engine: Engine, username: str, *, client: str | None = None) -> None:
    """退出登录: every login cookie issued for the account so far stops working."""
    name = str(username or "").strip().lower()
    with write_connection(engine) as conn:
        conn.execute(
            update(ACCOUNT)
            .where(ACCOUNT.c.username == name)
            .values(token_version=ACCOUNT.c.token_version + 1)
        )
        audit(conn, name, "logout", None, {"client": client} if client else None)


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


SID = re.compile(r"[A-Za-z0-9_-]{16,64}")  # a login's session id: what new_sid makes (and room for longer)


def new_sid() -> str:
    """A fresh random session id for one login (22 URL-safe characters, 128 bits)."""
    return secrets.token_urlsafe(16)


def issue_token(engine: Engine, username: str, exp_date: float, key: str, *, sid: str | None = None) -> str:
    """The login cookie's HS256 token: username, expiry, the account's current token version and the login's own
    session id (``sid``: a new random one unless given), which download links and uploads are bound to."""
    version = session_version(engine, username)
    sid = new_sid() if sid is None else sid
    if not SID.fullmatch(sid):
        raise ValueError("sid: 16-64 URL-safe characters")
    payload = {
        "username": username,
        "exp_date": exp_date,
        "ver": -1 if version is None else version,
        "sid": sid,
    }
    return jwt.encode(payload, key, algorithm="HS256")


def read_token(engine: Engine, token: object, key: str) -> dict[str, Any] | None:
    """The token's payload when this server signed it (HS256 only), it has the expected shape (with a session id),
    has not expired and its version is still the account's; None for anything else (alg none, HS512, garbage, an
    old copy after logout or reset, a token made before logins had session ids: its holder logs in again)."""
    try:
        payload = jwt.decode(str(token), key, algorithms=["HS256"])
    except Exception:  # PyJWT raises a dozen kinds (and ValueError, TypeError on odd input): all mean "no"
        return None
    if (
        not isinstance(payload, dict)
        or not isinstance(payload.get("username"), str)
        or type(payload.get("exp_date")) not in (int, float)
        or type(payload.get("ver")) is not int
        or not isinstance(payload.get("sid"), str)
        or not SID.fullmatch(payload["sid"])
        or payload["exp_date"] <= time.time()
        or payload["ver"] != session_version(engine, payload["username"])
    ):
        return None
    return payload


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
