"""Data is text: a link, a bare URL or HTML in an export, a file name or an account name is shown literally.

Streamlit renders Markdown in st.error/warning/info/caption/markdown and in widget labels. ``ui.text.plain`` escapes
every ASCII punctuation character; in Markdown an escaped punctuation character is always itself, so the check
below (``literal``: no punctuation character left unescaped) proves no link, autolink, emphasis or tag can form,
and ``unescaped`` gives back what the reader sees.
"""

from __future__ import annotations

import string

import pytest

from tests.builders import app as builders
from tests.builders.app import database_env, page_test, seed_outlet
from ui.text import plain

LINK = "[点我领奖](https:evil.example)"
URL = "http://evil.example/领奖"
HTML = "<b>粗体</b>"
HOSTILE = (LINK, URL, HTML, "www.evil.example", "a@evil.example", ":red[红字]", "$x^2$", "**粗**_斜_")


def literal(markdown: str) -> bool:
    """True when every ASCII punctuation character of ``markdown`` is backslash-escaped."""
    chars = iter(markdown)
    for char in chars:
        if char == "\\":
            if next(chars, None) not in set(string.punctuation):
                return False
        elif char in string.punctuation:
            return False
    return True


def unescaped(markdown: str) -> str:
    out, chars = [], iter(markdown)
    for char in chars:
        out.append(next(chars, "") if char == "\\" else char)
    return "".join(out)


@pytest.mark.parametrize("text", HOSTILE)
def test_plain_leaves_no_markdown_and_reads_back_as_the_text(text):
    shown = plain(text)
    assert literal(shown)
    assert unescaped(shown) == text
    assert "https:" not in shown and "<b>" not in shown


def test_plain_folds_line_breaks_and_keeps_chinese():
    assert plain("李敏\n（高柜）") == "李敏 （高柜）"  # full-width punctuation is not Markdown
    assert plain("李敏\n王芳") == "李敏 王芳"


def _messages(at, kinds=("error", "warning", "info", "success", "caption")):
    return [e.value for kind in kinds for e in getattr(at, kind)]


def test_a_hostile_file_name_is_shown_literally_in_the_upload_error(tmp_path):
    data = seed_outlet(tmp_path / "console.db")
    with database_env(data.url):
        at = page_test("upload", "branch_head")
        at.run()
        for name in (f"{LINK}.csv", f"{HTML} www.evil.example.csv"):
            at.file_uploader(key="up_file").set_value((name, b"a,b\n1,2\n", "text/csv"))
            at.run()
            assert not at.exception
            errors = [e.value for e in at.error]
            assert len(errors) == 1, errors
            assert literal(errors[0]) and name in unescaped(errors[0])


def _export_with_owner(original):
    """demo_export with the first customer's 管户人员 (9th column) set to the hostile link."""

    def export(as_of, *args, **kwargs):
        raw = original(as_of, *args, **kwargs)
        if as_of != builders.AS_OF:
            return raw
        lines = raw.decode("gbk").split("\r\n" if b"\r\n" in raw else "\n")
        head = next(i for i, line in enumerate(lines) if line.startswith("客户号"))
        cells = lines[head + 1].split(",")
        cells[8] = LINK
        lines[head + 1] = ",".join(cells)
        return ("\r\n" if b"\r\n" in raw else "\n").join(lines).encode("gbk")

    return export


def test_a_hostile_owner_name_in_the_export_is_shown_literally_on_the_assignment_page(tmp_path, monkeypatch):
    monkeypatch.setattr(builders, "demo_export", _export_with_owner(builders.demo_export))
    data = seed_outlet(tmp_path / "console.db")
    with database_env(data.url):
        at = page_test("assignment", "branch_head")
        at.run(timeout=120)
    assert not at.exception
    carrying = [m for m in _messages(at) if "点我领奖" in m]
    assert carrying, _messages(at)
    for message in carrying:
        assert literal(message) and LINK in unescaped(message)
