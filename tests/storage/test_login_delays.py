"""Login delays instead of lockouts (issue 22 item 4): growing waits per account, per account and address, and per
address; the owner passes with the right password once a wait is over; an admin lifts it at once; unknown names are
treated like known ones. Times are given explicitly: every assertion is on the delay the code computes."""

from __future__ import annotations

import datetime as dt

import bcrypt
import pytest

from core.security.throttle import Rule, delay, login_rules
from core.services import accounts
from core.services.accounts import (
    UNKNOWN_USER,
    add_user,
    attempt_login,
    get_user,
    login_wait,
    set_password,
    unlock,
)
from core.services.reads import audit_entries

T0 = dt.datetime(2026, 11, 30, 9, 0, 0)  # before the real clock that stamps an unlock or a new password


@pytest.fixture(autouse=True)
def cheap_bcrypt(monkeypatch):
    real = bcrypt.gensalt
    monkeypatch.setattr(accounts.bcrypt, "gensalt", lambda rounds=4, prefix=b"2b": real(4, prefix))
    monkeypatch.setenv("CONSOLE_COOKIE_KEY", "d" * 64)


@pytest.fixture
def engine(db_engine):
    add_user(db_engine, "li", "correct horse", role="staff", outlet="城东支局")
    add_user(db_engine, "wang", "battery staple", role="staff", outlet="城东支局")
    return db_engine


def at(seconds: float) -> dt.datetime:
    return T0 + dt.timedelta(seconds=seconds)


def test_the_delays_grow_from_the_shipped_rules():
    rules = login_rules()
    assert [delay(n, rules.account) for n in range(4, 11)] == [0.0, 5.0, 10.0, 20.0, 40.0, 60.0, 60.0]
    assert [delay(n, rules.pair) for n in range(2, 10)] == [0.0, 5.0, 10.0, 20.0, 40.0, 80.0, 160.0, 320.0]
    assert delay(50, rules.pair) == delay(50, rules.address) == 900.0
    assert rules.refusal_seconds == 1.0 and rules.address.window_minutes == 15
    assert delay(3, Rule(free=3, first_delay_seconds=2, growth=3, max_delay_seconds=100)) == 2.0


def test_an_account_guessed_from_many_addresses_waits_and_its_owner_passes_after_the_wait(engine):
    for n in range(5):  # five addresses, one guess each: no address and no pair reaches its own limit
        assert attempt_login(engine, "li", f"guess {n}", client=f"10.0.0.{n}", now=at(n)).ok is False
    refused = attempt_login(engine, "li", "correct horse", client="10.0.9.9", now=at(6))
    assert (refused.ok, refused.throttled, refused.wait_seconds) == (False, True, 3.0)  # 4 + 5 - 6
    assert attempt_login(engine, "li", "correct horse", client="10.0.9.9", now=at(9)).ok is True
    assert login_wait(engine, "li", now=at(9)) == 0.0 and get_user(engine, "li")["failed_logins"] == 0


def test_delayed_attempts_are_not_counted_so_hammering_does_not_lengthen_the_wait(engine):
    for n in range(6):
        attempt_login(engine, "li", "guess", client=f"10.0.1.{n}", now=at(10 * n))  # each after the last wait
    assert login_wait(engine, "li", now=at(50)) == 10.0  # six failures: 10 s after the last
    for s in (51, 52, 53, 54, 55):
        assert attempt_login(engine, "li", "guess", client="10.0.2.1", now=at(s)).throttled
    assert login_wait(engine, "li", now=at(55)) == 5.0
    assert attempt_login(engine, "li", "correct horse", client="10.0.3.1", now=at(60)).ok


def test_one_address_guessing_one_account_is_slowed_before_the_account_is(engine):
    for n in range(3):
        attempt_login(engine, "li", "guess", client="10.0.0.66", now=at(n))
    from_guesser = attempt_login(engine, "li", "correct horse", client="10.0.0.66", now=at(3))
    # pair: three failures from this address → 5 s after the last
    assert from_guesser.throttled and from_guesser.wait_seconds == 4.0
    assert attempt_login(engine, "li", "correct horse", client="10.0.0.7", now=at(3)).ok  # the owner's own PC


def test_one_address_spraying_many_accounts_is_slowed(engine):
    names = ["li", "wang", "zhao", "qian", "sun"]
    for n in range(10):
        attempt_login(engine, names[n % 5], "guess", client="10.0.0.66", now=at(n))
    spray = attempt_login(engine, "wang", "battery staple", client="10.0.0.66", now=at(10))
    assert spray.throttled and spray.wait_seconds == 4.0  # ten failures from the address: 5 s after the last
    assert attempt_login(engine, "wang", "battery staple", client="10.0.0.8", now=at(10)).ok
    # the address's count runs out with its window, not with a success
    later = at(9 + 15 * 60 + 1)
    assert attempt_login(engine, "li", "correct horse", client="10.0.0.66", now=later).ok


def test_unknown_names_wait_exactly_as_known_ones_do(engine):
    known, unknown = [], []
    for n in range(7):
        known.append(attempt_login(engine, "li", "guess", client=f"10.1.0.{n}", now=at(n)))
        unknown.append(attempt_login(engine, "nosuchuser", "guess", client=f"10.2.0.{n}", now=at(n)))
    assert [(r.ok, r.throttled, r.wait_seconds) for r in known] == [
        (r.ok, r.throttled, r.wait_seconds) for r in unknown
    ]
    assert [r.throttled for r in known] == [False] * 5 + [True] * 2
    rows = [e for e in audit_entries(engine) if e["username"] == UNKNOWN_USER]
    assert [e["action"] for e in reversed(rows)] == ["login.failed"] * 5 + ["login.delayed"] * 2
    assert "nosuchuser" not in str([e["detail"] for e in audit_entries(engine)])


def test_an_admin_unlock_and_a_new_password_end_the_wait_at_once(engine):
    for n in range(8):
        attempt_login(engine, "li", "guess", client=f"10.0.0.{n}", now=at(60 * n))
    assert login_wait(engine, "li", now=at(421)) == 39.0  # eight failures: 40 s after the last
    unlock(engine, "li", by="root")
    assert login_wait(engine, "li", now=at(421)) == 0.0
    assert audit_entries(engine)[0]["action"] == "user.unlock"
    for n in range(8):
        attempt_login(engine, "wang", "guess", client=f"10.0.0.{n}", now=at(60 * n))
    assert login_wait(engine, "wang", now=at(421)) == 39.0
    set_password(engine, "wang", "staple battery 2", changed_by="root")
    assert login_wait(engine, "wang", now=at(421)) == 0.0


def test_guesses_sent_all_at_once_are_counted_one_after_the_other(engine):
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(8) as pool:
        results = list(
            pool.map(
                lambda n: attempt_login(engine, "li", f"guess {n}", client=f"10.3.0.{n}", now=at(0)), range(8)
            )
        )
    assert sorted(r.throttled for r in results) == [False] * 5 + [True] * 3  # the sixth saw five failures
    assert get_user(engine, "li")["failed_logins"] == 5


def test_checks_older_than_the_kept_days_are_forgotten(engine):
    from sqlalchemy import func, select

    from core.storage.login_attempts import ATTEMPT

    for n in range(4):
        attempt_login(engine, "li", "guess", client="10.0.0.1", now=at(n))
    later = T0 + dt.timedelta(days=login_rules().keep_days, seconds=10)
    attempt_login(engine, "li", "guess", client="10.0.0.1", now=later)
    with engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(ATTEMPT)) == 1
    assert login_wait(engine, "li", now=later) == 0.0  # one failure left: no wait


def test_an_attempt_during_a_wait_costs_no_password_check(engine, monkeypatch):
    for n in range(5):
        attempt_login(engine, "li", "guess", client=f"10.4.0.{n}", now=at(n))
    checks = []
    real = accounts.bcrypt.checkpw
    monkeypatch.setattr(accounts.bcrypt, "checkpw", lambda *a: checks.append(1) or real(*a))
    assert attempt_login(engine, "li", "correct horse", client="10.4.1.1", now=at(5)).throttled
    assert checks == []
    assert attempt_login(engine, "li", "correct horse", client="10.4.1.1", now=at(9)).ok and checks == [1]
