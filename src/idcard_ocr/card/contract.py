"""The answer contract: which fields of a side are present and well-formed (docs/api.md).

Code 0 only when every field of the side passes; any other field is named as unreadable.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from idcard_ocr.card import idnumber
from idcard_ocr.card.dates import parse_birth, parse_validity
from idcard_ocr.card.gazetteer import names_bureau
from idcard_ocr.card.model import CardResult
from idcard_ocr.card.nations import ACCEPTED
from idcard_ocr.card.validate import EARLIEST_BIRTH, SEXES, term_years

# A character at or above this confidence tells the caller it needs no second look.
SURE = 90


def unreadable(result: CardResult, *, today: date) -> tuple[str, ...]:
    """The side's fields, in the API's order, that are not present and well-formed."""
    text = {name: field.text.strip() for name, field in result.fields.items()}
    return tuple(
        name
        for name in result.side.fields
        if not WELL_FORMED[name](text[name], today)
        and not (name == "birth" and printed_twice(text["birth"], text.get("id", ""), today))
    )


def real_birth(text: str, today: date) -> bool:
    """A real `YYYY/M/D` date between 1900 and today."""
    day = parse_birth(text)
    return day is not None and EARLIEST_BIRTH <= day <= today


def printed_twice(birth: str, number: str, today: date) -> bool:
    """A real date before 1900 that the number's digits 7-14 print too: no living holder's,
    but what demo and specimen cards print (韦小宝, 1654), so it is returned as printed."""
    day = parse_birth(birth)
    return (
        day is not None
        and day <= today
        and idnumber.is_well_formed(number)
        and idnumber.birth_of(number[6:14]) == day
    )


def number_confirms_birth(result: CardResult) -> bool:
    """Whether a front's number, read sure and passing its check, gives the birth date read
    sure in its own place: two printings of one date, the second guarded by a check digit.
    Confidences are percentages; a birth taken from the number is never sure (at most 50)."""
    number, birth = result.fields.get("id"), result.fields.get("birth")
    if number is None or birth is None:
        return False
    day = parse_birth(birth.text)
    return (
        min(number.confidence, default=0) >= SURE
        and min(birth.confidence, default=0) >= SURE
        and idnumber.is_valid(number.text)
        and day is not None
        and idnumber.birth_of(number.text[6:14]) == day
    )


def valid_period(text: str, _today: date) -> bool:
    """Real dates, and the end 5, 10 or 20 years after the start on the same day, or 长期."""
    period = parse_validity(text)
    return period is not None and (period[1] is None or term_years(*period) is not None)


WELL_FORMED: dict[str, Callable[[str, date], bool]] = {
    "name": lambda text, _: bool(text),
    "sex": lambda text, _: text in SEXES,
    "nation": lambda text, _: text in ACCEPTED,
    "birth": real_birth,
    "address": lambda text, _: bool(text),
    "id": lambda text, _: idnumber.is_well_formed(text),
    "authority": lambda text, _: names_bureau(text),
    "valid_date": valid_period,
}
