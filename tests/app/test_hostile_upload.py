"""The upload page survives every hostile file: one Chinese error naming the limit, nothing stored, next upload fine."""

from __future__ import annotations

import pytest

from core.demo import OUTLET
from core.services.reads import list_snapshots
from core.storage.engine import make_engine
from tests.builders.app import database_env, page_test, seed_outlet
from tests.builders.hostile import SHAPES
from ui.text import plain
from ui.upload_cache import BoundedCache


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    data = seed_outlet(tmp_path_factory.mktemp("hostile") / "console.db")
    with database_env(data.url):
        yield data


def test_upload_page_refuses_each_hostile_file_and_still_reads_a_good_one(seeded):
    engine = make_engine(seeded.url)
    before = len(list_snapshots(engine, OUTLET))
    at = page_test("upload", "branch_head")
    at.run()
    for name in sorted(SHAPES):
        data, phrase = SHAPES[name]
        name = name.replace(".ods", ".xlsx")  # the uploader takes CSV and Excel names; the bytes stay ODS
        at.file_uploader(key="up_file").set_value((name, data, "application/octet-stream"))
        at.run()
        assert not at.exception, [e.message for e in at.exception]
        errors = [e.value for e in at.error]
        assert len(errors) == 1 and plain(phrase) in errors[0] and plain(name) in errors[0], errors
    at.file_uploader(key="up_file").set_value(("目标客户查询.csv", seeded.export, "text/csv"))
    at.run()
    assert not at.exception and not at.error
    assert len(list_snapshots(engine, OUTLET)) == before


def test_bounded_cache_keeps_values_within_its_byte_budget_and_drops_the_oldest():
    cache = BoundedCache(budget=3200)
    made = []
    for key in ("a", "b", "c"):
        cache.get_or_make(key, lambda k=key: made.append(k) or b"x" * 1000)
    assert cache.used <= 3200 and made == ["a", "b", "c"]
    cache.get_or_make("a", lambda: made.append("a again") or b"")  # still cached: not made again
    assert made == ["a", "b", "c"]
    cache.get_or_make("d", lambda: b"y" * 1000)
    assert cache.used <= 3200
    cache.get_or_make("b", lambda: made.append("b again") or b"z" * 10)  # "b" was least recent: dropped
    assert made[-1] == "b again"
    cache.get_or_make("big", lambda: b"q" * 5000)  # larger than the whole budget: returned, never kept
    assert "big" not in cache._items


def test_bounded_cache_remembers_a_refusal_instead_of_reading_again():
    from core.errors import IngestError

    cache = BoundedCache(budget=10_000)
    calls = []

    def refuse():
        calls.append(1)
        raise IngestError("文件超过限额")

    for _ in range(3):
        with pytest.raises(IngestError):
            cache.get_or_make("bad", refuse)
    assert calls == [1]
