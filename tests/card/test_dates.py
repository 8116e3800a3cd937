"""Birth and validity formats, and the validity-period rules."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from idcard_ocr.card.dates import (
    age_on,
    digit_positions,
    format_birth,
    format_validity,
    parse_birth,
    parse_validity,
    validity_end,
    validity_years,
)


def test_format_birth_has_no_zero_padding() -> None:
    assert format_birth(date(1995, 5, 13)) == "1995/5/13"
    assert format_birth(date(2000, 1, 1)) == "2000/1/1"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1995/5/13", date(1995, 5, 13)),
        ("2000/01/01", date(2000, 1, 1)),
        ("1995/2/30", None),
        ("1995-5-13", None),
        ("95/5/13", None),
        ("", None),
    ],
)
def test_parse_birth(text: str, expected: date | None) -> None:
    assert parse_birth(text) == expected


def test_format_validity() -> None:
    assert format_validity(date(2017, 8, 12), date(2037, 8, 12)) == "2017.08.12-2037.08.12"
    assert format_validity(date(2017, 8, 12), None) == "2017.08.12-长期"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2017.08.12-2037.08.12", (date(2017, 8, 12), date(2037, 8, 12))),
        ("2017.08.12-长期", (date(2017, 8, 12), None)),
        ("2017.8.12-2037.8.12", None),
        ("2017.02.30-2037.02.30", None),
        ("2017.08.12-", None),
        ("2017.08.12-长", None),
    ],
)
def test_parse_validity(text: str, expected: tuple[date, date | None] | None) -> None:
    assert parse_validity(text) == expected


@given(st.dates(), st.one_of(st.none(), st.dates(min_value=date(1000, 1, 1))))
def test_validity_round_trips(start: date, end: date | None) -> None:
    assert parse_validity(format_validity(start, end)) == (start, end)


@given(st.dates(min_value=date(1000, 1, 1)))
def test_birth_round_trips(day: date) -> None:
    assert parse_birth(format_birth(day)) == day


@pytest.mark.parametrize(
    ("age", "years"),
    [(0, 5), (15, 5), (16, 10), (25, 10), (26, 20), (45, 20), (46, None), (80, None)],
)
def test_validity_years_boundaries(age: int, years: int | None) -> None:
    assert validity_years(age) == years


def test_validity_end_repeats_month_and_day() -> None:
    assert validity_end(date(2017, 8, 12), 20) == date(2037, 8, 12)


def test_validity_end_of_29_february() -> None:
    assert validity_end(date(2016, 2, 29), 10) == date(2026, 2, 28)
    assert validity_end(date(2016, 2, 29), 20) == date(2036, 2, 29)  # a leap year again


@pytest.mark.parametrize(
    ("birth", "day", "age"),
    [
        (date(2000, 5, 13), date(2016, 5, 12), 15),
        (date(2000, 5, 13), date(2016, 5, 13), 16),
        (date(2000, 2, 29), date(2016, 2, 28), 15),
        (date(2000, 2, 29), date(2016, 2, 29), 16),
        (date(2000, 2, 29), date(2017, 2, 28), 16),
        (date(2000, 2, 29), date(2017, 3, 1), 17),
    ],
)
def test_age_on(birth: date, day: date, age: int) -> None:
    assert age_on(birth, day) == age


def test_digit_positions() -> None:
    assert len(digit_positions("2000/1/1")) == 6  # the spec's example
    assert len(digit_positions("2012.01.01-2022.01.01")) == 16
    assert digit_positions("2017.08.12-长期")[-2:] == [11, 12]
    assert len(digit_positions("2017.08.12-长期")) == 10
    assert digit_positions("") == []
