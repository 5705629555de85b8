"""Cell-level rules of the ingest layer: amounts, dates, ids, familiarity, header matching."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from core.ingest import clean_ids, header_key, parse_amounts, parse_dates, parse_familiarity


def amounts(*cells):
    values, bad = parse_amounts(pd.Series(list(cells), dtype=object))
    return values.tolist(), bad.tolist()


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("1,234,567.89", 1234567.89),
        ("¥1,234.50", 1234.5),
        ("￥1,234.50", 1234.5),
        ("１２，３４５．６７", 12345.67),
        ("2,000元", 2000.0),
        ("  88.10 ", 88.1),
        ("0", 0.0),
        ("(1,200.00)", -1200.0),
        ("RMB 300", 300.0),
        ("1e3", 1000.0),
        ("-5", -5.0),
    ],
)
def test_amount_formats_are_read_as_yuan(cell, expected):
    values, bad = amounts(cell)
    assert values == [expected]
    assert bad == [False]


@pytest.mark.parametrize(
    "cell", ["abc", "1.2.3", "12万", "--", "nan", "inf", "1,2a", "1.000,5", "12,34", ",100"]
)
def test_text_in_an_amount_is_flagged_and_never_becomes_zero(cell):
    values, bad = amounts(cell)
    assert np.isnan(values[0])
    assert bad == [True]


def test_empty_amounts_are_nan_and_not_flagged():
    values, bad = amounts("", None, "   ")
    assert all(np.isnan(v) for v in values)
    assert bad == [False, False, False]


def test_numeric_series_pass_through_amounts():
    values, bad = parse_amounts(pd.Series([1.5, np.nan, 3.0]))
    assert values.tolist()[0] == 1.5 and values.tolist()[2] == 3.0
    assert bad.tolist() == [False, False, False]


def test_excel_typed_amount_cells_are_read():
    values, bad = parse_amounts(pd.Series([12345.67, "1,000", 7, None], dtype=object))
    assert values.tolist()[:3] == [12345.67, 1000.0, 7.0]
    assert bad.tolist() == [False, False, False, False]


def days(*cells):
    values, bad = parse_dates(pd.Series(list(cells), dtype=object))
    return [None if pd.isna(v) else v.date() for v in values], bad.tolist()


DEC5 = dt.date(2026, 12, 5)


@pytest.mark.parametrize(
    "cell",
    [
        "2026/12/05",
        "2026-12-05",
        "2026.12.5",
        "2026/12/5",
        "20261205",
        "2026年12月5日",
        "２０２６年１２月５日",
        "46361",
        "46361.0",
        "2026-12-05 00:00:00",
        "2026-12-05T08:30:00",
        "5/12/2026",
        dt.datetime(2026, 12, 5, 0, 0),
        dt.date(2026, 12, 5),
        pd.Timestamp("2026-12-05 13:45"),
        46361.0,
    ],
)
def test_every_date_format_gives_the_same_day(cell):
    assert days(cell) == ([DEC5], [False])


def test_month_first_when_the_column_shows_it():
    values, bad = days("12/25/2026", "1/5/2026")
    assert values == [dt.date(2026, 12, 25), dt.date(2026, 1, 5)]
    assert bad == [False, False]


@pytest.mark.parametrize("cell", ["2026-02-30", "2026-13-01", "abc", "2026/12", "31/31/2026", "20261341"])
def test_impossible_dates_are_flagged(cell):
    assert days(cell) == ([None], [True])


def test_empty_and_no_date_fillers_are_nat_not_bad():
    assert days("", None, "0", "00000000") == ([None] * 4, [False] * 4)


def test_leap_day_is_a_date_only_in_leap_years():
    assert days("2028-02-29", "2027-02-29") == ([dt.date(2028, 2, 29), None], [False, True])


def test_datetime_series_pass_through_dates():
    values, bad = parse_dates(pd.Series(pd.to_datetime(["2026-12-05 10:00", None])))
    assert values.iloc[0] == pd.Timestamp("2026-12-05")
    assert pd.isna(values.iloc[1])
    assert not bad.any()


def test_ids_keep_leading_zeros_and_lose_excel_text_guards():
    ids = clean_ids(pd.Series(["001000000001", ' ="0010020" ', "'00123", "\t0042", "", None], dtype=object))
    assert ids.tolist()[:4] == ["001000000001", "0010020", "00123", "0042"]
    assert ids.isna().tolist() == [False, False, False, False, True, True]
    assert str(ids.dtype) == "string"


def test_excel_numeric_ids_have_no_trailing_point_zero():
    assert clean_ids(pd.Series([768805383.0, 15634602], dtype=object)).tolist() == ["768805383", "15634602"]


def test_familiarity_words_and_numbers_become_ordinals():
    values, bad = parse_familiarity(
        pd.Series(
            ["陌生", "较低", "一般", "较高", "熟悉", "很熟", "中", "低", "高", "3", "2.0", "", None, "很好"]
        )
    )
    assert values.tolist()[:11] == [1, 2, 3, 4, 5, 5, 3, 2, 4, 3, 2]
    assert values.isna().tolist()[11:] == [True, True, True]
    assert bad.tolist() == [False] * 13 + [True]
    assert str(values.dtype) == "Int64"


@pytest.mark.parametrize(
    ("header", "key", "multiplier"),
    [
        ("账户余额(万元)", "账户余额", 10000.0),
        ("账户余额（万元）", "账户余额", 10000.0),
        ("资产余额(元)", "资产余额", 1.0),
        ("余额[单位：万元]", "余额", 10000.0),
        (" Customer Id ", "customerid", None),
        ("customer_id", "customerid", None),
        ("ＡＵＭ", "aum", None),
        ("客户 号", "客户号", None),
    ],
)
def test_header_keys_ignore_case_space_width_and_unit(header, key, multiplier):
    assert header_key(header) == (key, multiplier)


def test_every_ingest_message_has_zh_and_en_with_the_same_fields():
    import string

    from core.i18n.ingest import MESSAGES

    for key, texts in MESSAGES.items():
        assert key.startswith("ingest.")
        assert set(texts) == {"zh", "en"} and all(texts.values()), key
        fields = [{f for _, f, _, _ in string.Formatter().parse(texts[lang]) if f} for lang in ("zh", "en")]
        assert fields[0] == fields[1], key


def test_no_header_is_a_synonym_of_two_fields():
    from core.ingest import SYNONYMS
    from core.maturity import SYNONYMS as NOTICE_SYNONYMS

    for table in (SYNONYMS, NOTICE_SYNONYMS):
        owner: dict[str, str] = {}
        for field, words in table.items():
            for word in words:
                key = header_key(word)[0]
                assert owner.setdefault(key, field) == field, (word, field, owner[key])
