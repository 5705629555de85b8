"""What the head types for 731 offsets and public holidays is read by core.policy, every bad entry named."""

from __future__ import annotations

from core.policy import parse_holidays, parse_reminder_offsets


def test_reminder_offsets_take_any_chinese_or_ascii_separator_and_come_largest_first():
    assert parse_reminder_offsets("1,7，3") == ([7, 3, 1], [])
    assert parse_reminder_offsets("14、7；3 1") == ([14, 7, 3, 1], [])
    assert parse_reminder_offsets("") == ([], [])


def test_a_reminder_offset_that_is_not_a_whole_number_is_named_in_the_chosen_language():
    assert parse_reminder_offsets("7,三,1") == ([7, 1], ["到期提醒天数“三”不是整数"])
    assert parse_reminder_offsets("7,2.5", "en") == ([7], ["Reminder day “2.5” is not a whole number"])


def test_holidays_are_one_date_a_line_once_each_in_order():
    text = "2026-10-02\n\n 2026-10-01 \n2026-10-02\n"
    assert parse_holidays(text) == (["2026-10-01", "2026-10-02"], [])


def test_a_holiday_that_does_not_parse_is_named_with_its_line():
    assert parse_holidays("2026-10-01\n十月二日\n2026-13-01") == (
        ["2026-10-01"],
        [
            "节假日第 2 行“十月二日”不是 YYYY-MM-DD 格式的日期",
            "节假日第 3 行“2026-13-01”不是 YYYY-MM-DD 格式的日期",
        ],
    )
