"""Cross-checks of a card's fields, as warning codes: they flag, they never change a value.

A real card can fail them (issuing mistakes, specimen cards), so the reader returns what is
printed and these codes say what looks wrong. Codes are stable snake_case strings.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from idcard_ocr.card import idnumber, regions
from idcard_ocr.card.dates import age_on, parse_birth, parse_validity, validity_years
from idcard_ocr.card.nations import EXTRA_NATIONS, NATIONS

WARNINGS: dict[str, str] = {
    "name_empty": "no name was read",
    "sex_invalid": "sex is neither 男 nor 女",
    "nation_unknown": "nation is none of the 56 (or 穿青人, 其他)",
    "birth_invalid": "birth is not a real YYYY/M/D date between 1900 and today",
    "address_empty": "no address was read",
    "id_malformed": "the number is not 17 digits and a digit or X with a real birth date",
    "id_checksum": "the number's check character is wrong",
    "id_region_unknown": "the number's region code never existed (a warning, not an error)",
    "id_region_historical": "the number's region code is no longer in use (informational)",
    "id_birth_mismatch": "the printed birth differs from digits 7-14 of the number",
    "id_sex_mismatch": "the printed sex differs from the parity of the 17th digit",
    "authority_unknown": "the authority is not shaped like a public security bureau's name",
    "validity_malformed": "the validity is not YYYY.MM.DD-YYYY.MM.DD or YYYY.MM.DD-长期",
    "validity_term": "the validity does not span 5, 10 or 20 years to the same month and day",
    "validity_age": "the term does not match the holder's age at issue",
    "validity_future": "the validity starts after today",
    "expired": "the card has expired",
}
SEXES = frozenset({"男", "女"})
ACCEPTED_NATIONS = frozenset(NATIONS + EXTRA_NATIONS)
EARLIEST_BIRTH = date(1900, 1, 1)
AUTHORITY_RE = re.compile(r"[\u4e00-\u9fff]{2,}公安局(?:[\u4e00-\u9fff]+分局)?")
# Cards are issued some weeks after the application, and the term follows the age when the
# application was made: a card issued just after a 16th birthday may still carry 5 years.
APPLICATION_LAG = timedelta(days=90)


def check_front(
    name: str,
    sex: str,
    nation: str,
    birth: str,
    address: str,
    id_number: str,
    *,
    today: date | None = None,
) -> tuple[str, ...]:
    """Warning codes for the portrait side's values (birth as `YYYY/M/D`), in a fixed order."""
    today = today or date.today()
    printed_birth = parse_birth(birth)
    found = [
        code
        for code, failed in (
            ("name_empty", not name.strip()),
            ("sex_invalid", sex not in SEXES),
            ("nation_unknown", nation not in ACCEPTED_NATIONS),
            (
                "birth_invalid",
                printed_birth is None or not EARLIEST_BIRTH <= printed_birth <= today,
            ),
            ("address_empty", not address.strip()),
        )
        if failed
    ]
    return (*found, *check_number(id_number, sex, printed_birth, today))


def check_number(number: str, sex: str, printed_birth: date | None, today: date) -> list[str]:
    """The number's own checks, then how it agrees with the printed sex and birth."""
    info = idnumber.parse(number, today=today)
    if info is None:
        return ["id_malformed"]
    found = [] if idnumber.is_valid(number) else ["id_checksum"]
    region = regions.lookup(info.region_code)
    if region is None:
        found.append("id_region_unknown")
    elif region.historical:
        found.append("id_region_historical")
    if printed_birth is not None and printed_birth != info.birth:
        found.append("id_birth_mismatch")
    if sex in SEXES and sex != info.sex:
        found.append("id_sex_mismatch")
    return found


def check_back(
    authority: str, valid_date: str, *, birth: date | None = None, today: date | None = None
) -> tuple[str, ...]:
    """Warning codes for the emblem side's values; `birth` (from the front) enables the age rule."""
    today = today or date.today()
    found = [] if AUTHORITY_RE.fullmatch(authority.strip()) else ["authority_unknown"]
    validity = parse_validity(valid_date)
    if validity is None:
        return (*found, "validity_malformed")
    start, end = validity
    term = term_years(start, end)
    if end is not None and term is None:
        found.append("validity_term")
    elif birth is not None and not term_fits_age(term, birth, start):
        found.append("validity_age")
    if start > today:
        found.append("validity_future")
    if end is not None and end < today:
        found.append("expired")
    return tuple(found)


def term_years(start: date, end: date | None) -> int | None:
    """5, 10 or 20 when `end` repeats `start`'s month and day that many years on, else None.

    From 29 February the end may fall on 28 February or 1 March of a common year.
    """
    if end is None:
        return None
    years = end.year - start.year
    if years not in {5, 10, 20}:
        return None
    same_day = (end.month, end.day) == (start.month, start.day)
    leap_day = (start.month, start.day) == (2, 29) and (end.month, end.day) in {(2, 28), (3, 1)}
    return years if same_day or leap_day else None


def term_fits_age(term: int | None, birth: date, start: date) -> bool:
    """Whether the term (None: 长期) is the one for the holder's age at issue or application."""
    if start < birth:
        return False
    ages = {age_on(birth, start), age_on(birth, max(birth, start - APPLICATION_LAG))}
    return any(validity_years(age) == term for age in ages)
