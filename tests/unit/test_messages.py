"""Exceptions carry a message key and fields: Chinese as text (CLI, logs), any language where they are shown."""

from __future__ import annotations

import ast
import io
import pathlib
import pickle
import re

import pytest

from core.errors import ConsoleError, Message, PolicyError, RosterError, Sentences, StorageError
from core.i18n import catalog
from core.policy import Policy
from core.roster import read_roster

CORE = pathlib.Path(__file__).resolve().parents[2] / "core"
CHINESE = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef“”]")


def test_an_error_keeps_its_key_and_fields_and_renders_in_either_language():
    exc = StorageError("storage.snapshot.unknown", id=7)
    assert (exc.key, exc.fields) == ("storage.snapshot.unknown", {"id": 7})
    assert str(exc) == exc.text("zh") == "没有编号为 7 的快照"
    assert exc.text("en") == "No snapshot #7"


def test_fields_that_are_messages_or_lists_are_rendered_in_the_same_language():
    exc = StorageError("storage.policy.unknown", version=3, scope=Message("storage.policy.scope_global"))
    assert str(exc) == "没有版本号为 3 的策略（全局）"
    assert exc.text("en") == "No policy version 3 (global)"
    names = ConsoleError("compliance.plan_columns", columns=["staff", "kind"])
    assert "staff、kind" in str(names) and "staff, kind" in names.text("en")


def test_a_bad_policy_names_every_problem_in_chinese_and_in_english():
    with pytest.raises(PolicyError) as caught:
        Policy.default().with_changes({"history": {"outflow_pct": 130}, "maturity": {"window_days": 0}})
    exc = caught.value
    assert exc.problems == ["到期提醒窗口必须至少 1 天", "流失预警比例必须在 0 到 100 之间"]
    assert str(exc) == "到期提醒窗口必须至少 1 天；流失预警比例必须在 0 到 100 之间"
    assert exc.texts("en") == [
        "The maturity window must be at least 1 day",
        "The outflow warning percentage must be between 0 and 100",
    ]
    assert exc.text("en") == "; ".join(exc.texts("en"))


def test_a_policy_problem_with_numbers_and_a_nested_label_is_translated_whole():
    data = Policy.default().to_dict()
    data["value"]["move_cost"] = -1
    data["tiers"][2]["lower"] = 5_000
    with pytest.raises(PolicyError) as caught:
        Policy.from_dict(data)
    assert caught.value.texts("zh") == [
        "层级下限必须递增：“中端客户”下限 5000 不高于“基础客户”的 10000",
        "联络价值：调整负责人成本不能为负数",
    ]
    assert caught.value.texts("en") == [
        "Tier bounds must ascend: “中端客户” starts at 5000, not above “基础客户” at 10000",
        "Contact value: the cost of a new owner cannot be negative",
    ]


def test_a_roster_lists_its_problems_as_sentences_in_either_language():
    text = "姓名,岗位,容量\n张三,客户经理,0\n,客户经理,5\n"
    with pytest.raises(RosterError) as caught:
        read_roster(io.BytesIO(text.encode()), policy=Policy.default(), file_name="名单.csv")
    assert str(caught.value) == "名单.csv：第 2 行“张三”的容量“0”不是正数（每周可联络次数）；第 3 行没有姓名"
    assert caught.value.text("en").startswith("名单.csv: row 2 ")
    assert caught.value.text("en").endswith("; row 3 has no name")


def test_an_error_survives_pickling_with_its_key():
    for exc in (
        StorageError("storage.snapshot.unknown", id=7),
        PolicyError([Message("policy.rule.window"), "已渲染的文字"]),
    ):
        back = pickle.loads(pickle.dumps(exc))
        assert type(back) is type(exc) and back.key == exc.key
        assert str(back) == str(exc) and back.text("en") == exc.text("en")


def test_an_unknown_key_is_an_error_and_text_not_yet_keyed_is_kept_verbatim():
    with pytest.raises(KeyError):
        StorageError("storage.no_such_key")
    with pytest.raises(KeyError):
        StorageError("storage.no_such_key", id=1)
    legacy = StorageError("已经是中文的旧消息")
    assert legacy.key is None and str(legacy) == legacy.text("en") == "已经是中文的旧消息"


def test_sentences_join_with_semicolons_and_plain_lists_with_enumeration_commas():
    items = Sentences(
        [Message("limits.config.unknown", name="a"), Message("limits.config.missing", name="b")]
    )
    exc = ConsoleError("limits.config.items", origin="x.toml", items=items)
    assert str(exc) == "输入文件限额配置 x.toml：未知项 a；缺少 b"
    assert exc.text("en") == "The input limits file x.toml: unknown item a; b is missing"


def _raises() -> list[tuple[str, ast.Raise]]:
    found = []
    for path in sorted(CORE.rglob("*.py")):
        if path.parent.name == "i18n":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Raise) and node.exc is not None:
                found.append((path.relative_to(CORE.parent).as_posix(), node))
    return found


def test_no_core_module_raises_with_chinese_text_outside_the_catalogue():
    hits: dict[str, list[int]] = {}
    for name, node in _raises():
        for sub in ast.walk(node.exc):
            if isinstance(sub, ast.Constant) and isinstance(sub.value, str) and CHINESE.search(sub.value):
                hits.setdefault(name, []).append(node.lineno)
                break
    assert hits == {}


def test_every_key_a_core_error_is_raised_with_has_chinese_and_english():
    keys = set()
    for _, node in _raises():
        call = node.exc
        if isinstance(call, ast.Call) and call.args and isinstance(call.args[0], ast.Constant):
            first = call.args[0].value
            if isinstance(first, str) and re.fullmatch(r"[a-z_]+(\.[a-z0-9_]+)+", first):
                keys.add(first)
    assert len(keys) > 100
    missing = sorted(
        k for k in keys if not (catalog().get(k, {}).get("zh") and catalog().get(k, {}).get("en"))
    )
    assert missing == []
