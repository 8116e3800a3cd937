"""The 18-character citizen identity number of GB 11643: structure, check character, repair."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date

from idcard_ocr.card.reading import CONFIDENT, ReadChar

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"
LENGTH = 18
EARLIEST_BIRTH = date(1900, 1, 1)
DIGITS = frozenset("0123456789")


@dataclass(frozen=True)
class IdNumberInfo:
    """What the number itself says: where it was first issued, birth date and sex."""

    region_code: str
    birth: date
    sex: str


def check_char(first17: str) -> str:
    """The ISO 7064 MOD 11-2 check character of the first 17 digits."""
    if len(first17) != LENGTH - 1 or not set(first17) <= DIGITS:
        raise ValueError("check_char needs exactly 17 digits")
    total = sum(int(digit) * weight for digit, weight in zip(first17, WEIGHTS, strict=True))
    return CHECK_CHARS[total % 11]


def is_well_formed(number: str) -> bool:
    """17 digits then a digit or 'X': the shape, nothing more."""
    return (
        len(number) == LENGTH
        and set(number[:17]) <= DIGITS
        and (number[17] in DIGITS or number[17] == "X")
    )


def is_valid(number: str) -> bool:
    """Well formed and the check character is right."""
    return is_well_formed(number) and check_char(number[:17]) == number[17]


def sex_of(number: str) -> str | None:
    """The sex the 17th digit of a well-formed number says: odd 男, even 女."""
    return ("男" if int(number[16]) % 2 else "女") if is_well_formed(number) else None


def parse(number: str, *, today: date | None = None) -> IdNumberInfo | None:
    """Region code, birth date and sex of a well-formed number (the check is not required).

    None when the shape is wrong or digits 7-14 are not a real date between 1900 and `today`
    (default: the current date).
    """
    if not is_well_formed(number):
        return None
    birth = birth_of(number[6:14])
    if birth is None or not EARLIEST_BIRTH <= birth <= (today or date.today()):
        return None
    return IdNumberInfo(number[:6], birth, "男" if int(number[16]) % 2 else "女")


def birth_of(digits: str) -> date | None:
    """The date of 8 digits `YYYYMMDD`, or None when it is not a real date."""
    try:
        return date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        return None


# --- repair ----------------------------------------------------------------------------------
# An alternative below this probability is noise, not evidence for a digit.
REAL_PROBABILITY = 0.1
# One repair is taken only when it is at least this much likelier than any other.
TIE_FACTOR = 2.0


def repair(chars: Sequence[ReadChar], *, today: date | None = None) -> str | None:
    """The number with one doubted character swapped for an alternative, when exactly one such
    swap clearly makes it pass the check with a real birth date; else None.

    Principle: repair may change at most one position, only one the recogniser doubted (below
    CONFIDENT), and only to an alternative it gave real probability. When two repairs are
    about as likely, none is made: that is how someone else's valid number gets invented. A
    number that fails its check otherwise stays as printed (demo cards print such numbers).
    """
    if len(chars) != LENGTH:
        return None
    found = sorted(
        (
            (odds, number)
            for odds, number in swaps(chars)
            if is_valid(number) and parse(number, today=today) is not None
        ),
        reverse=True,
    )
    if not found or (len(found) > 1 and found[0][0] < TIE_FACTOR * found[1][0]):
        return None
    return found[0][1]


def swaps(chars: Sequence[ReadChar]) -> Iterator[tuple[float, str]]:
    """(likelihood relative to the reading, number) of each one-character swap allowed."""
    read = [c.char for c in chars]
    for i, char in enumerate(chars):
        if char.prob >= CONFIDENT:
            continue
        allowed = DIGITS | {"X"} if i == LENGTH - 1 else DIGITS
        for alternative, prob in char.alternatives:
            candidate = alternative.upper()
            if candidate != char.char and candidate in allowed and prob >= REAL_PROBABILITY:
                yield prob / max(char.prob, 1e-6), "".join((*read[:i], candidate, *read[i + 1 :]))
