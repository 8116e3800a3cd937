"""The national-emblem side's fields from what was read: the issuing authority, corrected only
where the evidence picks a real one, and the validity period, never with invented digits."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from idcard_ocr.card.correction import correct, doubted, overlay_doubted, overlay_span
from idcard_ocr.card.dates import LONG_TERM
from idcard_ocr.card.model import Field
from idcard_ocr.card.places import correct_authority
from idcard_ocr.card.reading import ReadChar, Simplify, kept, text_of

DATE_DIGITS = 8
BUREAU_END = "局"  # an authority's last character: 公安局, or a branch's 分局

Chars = Sequence[ReadChar]


def back_fields(values: Mapping[str, Chars], simplify: Simplify) -> dict[str, Field]:
    """Every field of the emblem side, in the API's order, from its value's characters."""
    return {
        "authority": authority(values["authority"], simplify),
        "valid_date": valid_date(values["valid_date"]),
    }


def authority(read: Chars, simplify: Simplify) -> Field:
    """The authority, corrected and confirmed against the real ones (card.places), without
    the pieces of a photocopy's `仅供…使用` line read before or after it, and any piece read
    into it doubted.

    Where the line was cut off, the character next to the cut is doubted whatever the
    gazetteer says: the line may hide a character there (the branch of a `…公安局…分局`).
    """
    start, stop = overlay_span(read, BUREAU_END)
    chars = list(correct_authority(read[start:stop], simplify))
    if chars and start > 0:
        chars[0] = doubted(chars[0])
    if chars and stop < len(read):
        chars[-1] = doubted(chars[-1])
    return Field.of(overlay_doubted(chars))


def valid_date(read: Chars) -> Field:
    """`YYYY.MM.DD-YYYY.MM.DD` or `YYYY.MM.DD-长期` from the digits read, one confidence per
    digit (and per character of 长期). Fewer digits make a shorter text, never invented ones."""
    digits: list[ReadChar] = []
    term: list[ReadChar] = []
    for c in read:
        if c.char.isdigit():
            digits.append(c)
        elif c.char in LONG_TERM and len(digits) >= DATE_DIGITS:
            term.append(c)  # before the start date, a 期 is the label 有效期限 cut into
    if term:
        return long_term(digits[:DATE_DIGITS], term)
    digits = digits[: 2 * DATE_DIGITS]
    text, end = text_of(digits[:DATE_DIGITS]), text_of(digits[DATE_DIGITS:])
    dotted = f"{dotted_date(text)}-{dotted_date(end)}".rstrip(".-")
    return Field(dotted, Field.of(digits).confidence)


def long_term(start: Chars, term: Chars) -> Field:
    """A start date and 长期; a half-read 长期 completed as the dictionary's guess."""
    completed = correct(term, LONG_TERM)
    words = list(completed.chars) if not completed.refused else [kept(c) for c in term]
    text = f"{dotted_date(text_of(start))}-{text_of(words)}"
    return Field(text, Field.of([*start, *words]).confidence)


def dotted_date(digits: str) -> str:
    """`YYYY.MM.DD` of 8 digits; fewer make a shorter text."""
    return f"{digits[:4]}.{digits[4:6]}.{digits[6:]}".rstrip(".")
