"""Dates as the API writes them (birth `1995/5/13`, validity `2017.08.12-2037.08.12`) and the
validity-period rules of the card."""

from __future__ import annotations

import re
from datetime import date

LONG_TERM = "长期"
DIGITS = "0123456789"
BIRTH_RE = re.compile(r"(\d{4})/(\d{1,2})/(\d{1,2})", re.ASCII)
VALIDITY_RE = re.compile(
    rf"(\d{{4}})\.(\d{{2}})\.(\d{{2}})-(?:(\d{{4}})\.(\d{{2}})\.(\d{{2}})|{LONG_TERM})", re.ASCII
)
# Age at issue → years of validity; 46 and over get a long-term card (None).
TERMS: tuple[tuple[int, int], ...] = ((16, 5), (26, 10), (46, 20))
VALID_TERMS = frozenset(years for _, years in TERMS)


def format_birth(day: date) -> str:
    """`YYYY/M/D` without zero padding, as the legacy API returns `birth`."""
    return f"{day.year}/{day.month}/{day.day}"


def parse_birth(text: str) -> date | None:
    """The date of a `YYYY/M/D` string, or None when it is not that shape or not a real date."""
    match = BIRTH_RE.fullmatch(text.strip())
    return None if match is None else date_of(*match.groups())


def format_validity(start: date, end: date | None) -> str:
    """`YYYY.MM.DD-YYYY.MM.DD`, or `YYYY.MM.DD-长期` when the card does not expire (end None)."""
    tail = LONG_TERM if end is None else dotted(end)
    return f"{dotted(start)}-{tail}"


def dotted(day: date) -> str:
    """`YYYY.MM.DD`, zero padded (explicitly: strftime's %Y does not pad on every platform)."""
    return f"{day.year:04d}.{day.month:02d}.{day.day:02d}"


def parse_validity(text: str) -> tuple[date, date | None] | None:
    """(start, end) of a validity string, end None for 长期; None when malformed or unreal."""
    match = VALIDITY_RE.fullmatch(text.strip())
    if match is None:
        return None
    start = date_of(*match.groups()[:3])
    if match.group(4) is None:
        return None if start is None else (start, None)
    end = date_of(*match.groups()[3:])
    return None if start is None or end is None else (start, end)


def date_of(year: str, month: str, day: str) -> date | None:
    """The date of three digit strings, or None when they do not make a real date."""
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None


def validity_years(age_at_issue: int) -> int | None:
    """Years of validity for a card issued at this age: 5, 10, 20, or None (长期) from 46."""
    for below, years in TERMS:
        if age_at_issue < below:
            return years
    return None


def validity_end(start: date, years: int) -> date:
    """The expiry: the same month and day `years` later.

    A card issued on 29 February would expire on a day that does not exist in a common year.
    We print 28 February then (the last day of the same month, so the card never outlives its
    term); we have seen no authoritative rule, and the validator accepts 02.28 or 03.01 there.
    """
    try:
        return start.replace(year=start.year + years)
    except ValueError:
        return start.replace(year=start.year + years, day=28)


def age_on(birth: date, day: date) -> int:
    """Completed years of age on `day`; someone born on 29 February ages on 1 March."""
    before_birthday = (day.month, day.day) < (birth.month, birth.day)
    return day.year - birth.year - before_birthday


def digit_positions(text: str) -> list[int]:
    """Indices of the characters of a date string that carry a confidence: digits and 长期."""
    return [i for i, char in enumerate(text) if char in DIGITS or char in LONG_TERM]
