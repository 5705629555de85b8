"""A refused action is explained in the page's language: the same refusal in English and in Chinese."""

from __future__ import annotations

import pytest
import tomli_w

from core.demo import OUTLET
from core.errors import StorageError
from core.i18n import t
from core.ingest import read_customers
from core.policy import Policy
from tests.builders.app import AS_OF, page_ran, seeded_with_heads
from tests.builders.app import ran as _run
from tests.builders.stored import import_snapshot
from ui.text import plain


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    with seeded_with_heads(tmp_path_factory.mktemp("messages") / "console.db") as found:
        yield found


def _duplicate(data, engine) -> StorageError:
    """The refusal the page meets, met here directly: the same file for a date already imported."""
    result = read_customers(data.export, as_of=AS_OF, file_name="目标客户查询.csv")
    with pytest.raises(StorageError) as caught:
        import_snapshot(engine, result, outlet=OUTLET, as_of=AS_OF, user="seed")
    return caught.value


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_saving_an_export_twice_is_refused_in_the_pages_language(seeded, lang):
    data, engine = seeded
    refusal = _duplicate(data, engine)
    assert refusal.key == "storage.snapshot.duplicate_date"
    at = page_ran("upload", "branch_head", lang=lang)
    at.date_input(key="up_as_of").set_value(AS_OF)
    at.file_uploader(key="up_file").set_value(("目标客户查询.csv", data.export, "text/csv"))
    _run(at)
    at.button(key="up_save").click()
    _run(at)
    expected = t("ui.upload.refused", lang, reason=plain(refusal.text(lang)))
    assert [e.value for e in at.error] == [expected]
    opening = {
        "en": f"Outlet “{OUTLET}” already has data for {AS_OF} (snapshot #{data.snapshot_id}, file “目标客户查询.csv”",
        "zh": f"网点“{OUTLET}”{AS_OF} 的数据已经导入过（快照 #{data.snapshot_id}，文件“目标客户查询.csv”",
    }
    assert refusal.text(lang).startswith(opening[lang])


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_an_uploaded_bad_policy_lists_its_problems_in_the_pages_language(seeded, lang):
    at = page_ran("strategy", "branch_head", lang=lang)
    data = Policy.default().to_dict()
    data["history"]["outflow_pct"] = 130
    at.file_uploader(key="wi_upload").set_value(("坏策略.toml", tomli_w.dumps(data).encode(), "text/plain"))
    _run(at)
    assert at.error[0].value == t("ui.strategy.upload_bad", lang, file=plain("坏策略.toml"))
    problems = [m.value for m in at.markdown if m.value.startswith("- ")]
    expected = {
        "en": "- The outflow warning percentage must be between 0 and 100",
        "zh": "- 流失预警比例必须在 0 到 100 之间",
    }
    assert problems == [expected[lang]]
