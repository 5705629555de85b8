"""The policy rules behind offers, privacy and the longer result list: defaults, validation, old files."""

from __future__ import annotations

import pytest

from core.errors import PolicyError
from core.policy import Policy

POLICY = Policy.default()


def test_defaults_mask_mobiles_keep_balances_and_list_the_results_callers_meet():
    assert (POLICY.privacy.mask_phone, POLICY.privacy.hide_assets) == (True, False)
    assert POLICY.compliance.log_results[-4:] == ("空号", "拒绝", "已转存", "他行转入")
    assert "空号" in POLICY.compliance.counted_results and "空号" not in POLICY.compliance.reached_results
    assert "未接通" not in POLICY.compliance.reached_results and "拒绝" in POLICY.compliance.reached_results
    assert POLICY.compliance.sold_results == ("已成交", "已转存", "他行转入")
    assert POLICY.compliance.kept_results == ("已转存",)
    assert (POLICY.offers.max_items, POLICY.offers.rules) == (3, ("near", "maturing", "tier"))


def test_a_policy_file_without_the_new_sections_takes_their_defaults():
    data = POLICY.to_dict()
    for key in ("privacy", "offers"):
        data.pop(key)
    for key in ("reached_results", "sold_results", "kept_results"):
        data["compliance"].pop(key)
    old = Policy.from_dict(data)
    assert old.privacy == POLICY.privacy and old.offers == POLICY.offers
    assert old.compliance == POLICY.compliance
    assert Policy.from_toml(POLICY.to_toml()) == POLICY


def test_a_policy_saved_with_the_five_old_results_still_loads_and_reaches_with_them():
    data = POLICY.to_dict()
    old = ["已联络", "未接通", "已邀约", "已到访", "已成交"]
    data["compliance"] = {
        k: v
        for k, v in data["compliance"].items()
        if k not in ("reached_results", "sold_results", "kept_results")
    }
    data["compliance"].update(log_results=old, counted_results=old)
    policy = Policy.from_dict(data)
    assert policy.compliance.reached_results == ("已联络", "已邀约", "已到访", "已成交")
    assert policy.compliance.sold_results == ("已成交",) and policy.compliance.kept_results == ()


def test_a_policy_saved_before_offers_keeps_only_the_picks_its_catalogue_has():
    data = POLICY.to_dict()
    data.pop("offers")
    data["tiers"][0]["products"] = ["活期", "定期", "国债"]
    policy = Policy.from_dict(data)
    assert policy.offers.by_tier["potential"] == ("活期",)
    assert policy.offers.by_tier["high"] == POLICY.offers.by_tier["high"]


def test_bad_offer_and_result_rules_are_listed_together():
    with pytest.raises(PolicyError) as caught:
        POLICY.with_changes(
            {
                "offers": {
                    "max_items": 0,
                    "rules": ["near", "lottery"],
                    "by_tier": {"potential": ["人民币理财"]},
                },
                "compliance": {"sold_results": ["已成交", "大单"]},
            }
        )
    assert caught.value.problems == [
        "算作成交的联络结果“大单”不在结果列表中",
        "每位客户的推荐条数必须在 1 到 5 之间，现为 0",
        "推荐规则“lottery”无效，可选 near、maturing、tier",
        "“潜力客户”的推荐产品“人民币理财”不在该层级的推介产品中",
    ]
