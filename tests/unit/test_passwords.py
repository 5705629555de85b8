"""Weak passwords (issue 22 item 8): the deny-list in core/security/passwords.toml, Chinese favourites, keyboard
walks, lucky numbers and anything made from the user name."""

from __future__ import annotations

import pytest

from core.errors import AuthError
from core.i18n import t
from core.security.passwords import deny_list, is_weak
from core.services.accounts import check_password


@pytest.mark.parametrize(
    "password",
    [
        "1q2w3e4r",  # keyboard walks
        "qazwsx12",
        "1qaz@WSX",
        "a123456789",  # counting with a letter in front
        "abcd1234",
        "woaini520",  # pinyin favourites and loving numbers
        "woaini1314",
        "5201314a",
        "a5201314",
        "1314520ab",
        "admin888",  # admin words and lucky runs
        "admin!888",
        "P@ssw0rd",  # the usual swaps
        "Passw0rd!",
        "yinhang@168",
        "psbc1234",
    ],
)
def test_common_chinese_and_keyboard_passwords_are_refused(password):
    with pytest.raises(AuthError) as refused:
        check_password(password, "liqiang")
    assert str(refused.value) == t("accounts.password.denied", "zh")


@pytest.mark.parametrize("password", ["liqiang123", "Liqiang@2026", "gnaiqil99", "liqiang!!", "123liqiang"])
def test_passwords_made_from_the_user_name_are_refused(password):
    with pytest.raises(AuthError) as refused:
        check_password(password, "liqiang")
    assert str(refused.value) == t("accounts.password.username", "zh")


@pytest.mark.parametrize(
    "password",
    ["head-pass-123", "correct horse", "春天的花开了123", "Qiu#Lake7Tree", "wang-pass-456", "T9#vbn2!xq"],
)
def test_passwords_with_enough_of_their_own_are_accepted(password):
    check_password(password, "liqiang")
    assert not is_weak(password, "liqiang")


def test_the_deny_list_is_data_with_the_chinese_favourites_in_it():
    deny = deny_list()
    assert {"woaini1314", "5201314a", "admin888", "p@ssw0rd", "1q2w3e4r", "a123456789"} <= deny.exact
    assert {"woaini", "5201314", "1314", "520", "yinhang", "admin"} <= set(deny.fragments)
    assert "1q2w3e4r5t6y7u8i9o0p" in deny.walks and "p0o9i8u7y6t5r4e3w2q1" in deny.walks
    assert (deny.min_rest, deny.min_walk) == (4, 4)
