"""The national-emblem side's fields from what was read: the issuing authority, corrected only
where the evidence picks a real one, and the validity period, never with invented digits."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from idcard_ocr.card import gazetteer
from idcard_ocr.card.correction import correct, doubted, overlay_doubted, overlay_span
from idcard_ocr.card.dates import LONG_TERM
from idcard_ocr.card.model import Field
from idcard_ocr.card.places import correct_authority
from idcard_ocr.card.reading import ReadChar, Simplify, is_confident, kept, text_of

DATE_DIGITS = 8
BUREAU_END = "局"  # an authority's last character: 公安局, or a branch's 分局
AUTHORITY_LABEL = "签发机关"
STRAY_GUESSES = 2  # doubted characters before a real authority that may be left out

Chars = Sequence[ReadChar]


def back_fields(values: Mapping[str, Chars], simplify: Simplify) -> dict[str, Field]:
    """Every field of the emblem side, in the API's order, from its value's characters."""
    return {
        "authority": authority(values["authority"], simplify),
        "valid_date": valid_date(values["valid_date"]),
    }


def authority(read: Chars, simplify: Simplify) -> Field:
    """The authority, corrected and confirmed against the real ones (card.places), without
    the pieces of a photocopy's `仅供…使用` line read before or after it or the label's read
    before it (`stray_start`), and any piece read into it doubted.

    Where the line was cut off, the character next to the cut is doubted whatever the
    gazetteer says: the line may hide a character there (the branch of a `…公安局…分局`).
    """
    start, stop = overlay_span(read, BUREAU_END)
    stray, doubtful = stray_start(read[start:stop])
    chars = list(correct_authority(read[start + stray : stop], simplify))
    if chars and (start > 0 or doubtful):
        chars[0] = doubted(chars[0])
    if chars and stop < len(read):
        chars[-1] = doubted(chars[-1])
    return Field.of(overlay_doubted(chars))


def stray_start(read: Chars) -> tuple[int, bool]:
    """How many leading characters are not the authority's, and whether any was a guess.

    Only when what follows is a real authority and the whole is not: a piece of the 签发机关
    label, read into the value by a crop begun too far left (关岭布依族苗族自治县公安局 starts
    with 关 and keeps it), or up to STRAY_GUESSES characters the recogniser doubted (a mark
    or a stamp's edge). After a doubted one, the first kept character is doubted too: the
    recogniser may have merged a character of the name into the mark.
    """
    text = text_of(read)
    if gazetteer.is_known_authority(text):
        return 0, False
    for length in range(len(AUTHORITY_LABEL), 0, -1):
        if text[:length] in AUTHORITY_LABEL and gazetteer.is_known_authority(text[length:]):
            return length, False
    for length in range(1, STRAY_GUESSES + 1):
        guesses = not any(is_confident(c) for c in read[:length])
        if guesses and gazetteer.is_known_authority(text[length:]):
            return length, True
    return 0, False


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
