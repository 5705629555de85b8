"""Growing delays after failed password checks, per account, per account and client address, and per address.

Nothing locks: after ``free`` failures the next check waits ``first_delay_seconds``, each further failure multiplies
the wait by ``growth`` up to ``max_delay_seconds``. A check asked for during a wait is refused without being counted,
so the owner with the right password passes once the wait is over, whoever keeps guessing. A success (or an
admin's unlock, or a new password) starts an account's count again; an address's count only runs out with time.
"""

from __future__ import annotations

import datetime as dt
import os
import pathlib
import tomllib
from dataclasses import dataclass
from functools import cache

HERE = pathlib.Path(__file__).resolve().parent
TOML_ENV = "CONSOLE_SECURITY_TOML"


@dataclass(frozen=True)
class Rule:
    free: int
    first_delay_seconds: float
    growth: float
    max_delay_seconds: float
    window_minutes: float | None = None


@dataclass(frozen=True)
class LoginRules:
    refusal_seconds: float
    cookie_hours: float
    keep_days: float
    account: Rule
    pair: Rule
    address: Rule
    min_password: int
    end_sessions_after: int


@cache
def login_rules(path: str | None = None) -> LoginRules:
    """login.toml (or the file ``CONSOLE_SECURITY_TOML`` names), read once per process."""
    source = pathlib.Path(path or os.environ.get(TOML_ENV) or HERE / "login.toml")
    data = tomllib.loads(source.read_text(encoding="utf-8"))
    login = data["login"]
    return LoginRules(
        refusal_seconds=float(login["refusal_seconds"]),
        cookie_hours=float(login["cookie_hours"]),
        keep_days=float(login["keep_days"]),
        account=Rule(**login["account"]),
        pair=Rule(**login["pair"]),
        address=Rule(**login["address"]),
        min_password=int(data["password"]["min_length"]),
        end_sessions_after=int(data["password"]["end_sessions_after"]),
    )


def delay(failures: int, rule: Rule) -> float:
    """Seconds to wait after the last of ``failures`` failures before the next check."""
    if failures < rule.free:
        return 0.0
    return float(
        min(rule.first_delay_seconds * rule.growth ** (failures - rule.free), rule.max_delay_seconds)
    )


def wait_seconds(counts: dict, now: dt.datetime, rules: LoginRules) -> float:
    """How long from ``now`` until the next check may be made (0: now)."""
    longest = 0.0
    for name, (count, last) in counts.items():
        if last is None:
            continue
        until = last + dt.timedelta(seconds=delay(count, getattr(rules, name)))
        longest = max(longest, (until - now).total_seconds())
    return longest


def address_window(rules: LoginRules) -> dt.timedelta:
    """How far back an address's failures count."""
    return dt.timedelta(minutes=rules.address.window_minutes or 0)
