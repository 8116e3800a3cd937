"""The portrait side's fields from what was read: cleaned, cross-checked with the number, and
corrected only where the evidence allows (`card.correction`).

A value taken from the number instead of read (sex, birth) is believed at most
FROM_OTHER_FIELD on every character that was not read so.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date

from rapidfuzz.distance import Levenshtein

from idcard_ocr.card import gazetteer, idnumber
from idcard_ocr.card.correction import (
    DISPUTED_CONFIDENCE,
    correct,
    doubted,
    overlay_doubted,
    overlay_tail,
    settled,
    standardised,
)
from idcard_ocr.card.dates import date_of
from idcard_ocr.card.labels import LABELS
from idcard_ocr.card.layout import ADDRESS_CHARS_PER_LINE
from idcard_ocr.card.model import Field
from idcard_ocr.card.nations import ACCEPTED, near_nations
from idcard_ocr.card.places import correct_address
from idcard_ocr.card.reading import (
    Char,
    ReadChar,
    Simplify,
    is_confident,
    kept,
    percent,
    text_of,
)

FROM_OTHER_FIELD = 0.5
NAME_DOTS = "·•・.．‧"
# A dash the recogniser reads between two of a name's characters is its dot too (names never
# hold a dash); elsewhere in a name it is junk.
NAME_DASHES = "-－‐–—"
NAME_JUNK = "：:，,。"
# Characters rare in text but common in names (domain notes). A recogniser learns how likely
# a character is from text, so it gives one of these little belief where it is printed: 赟
# read as 赞 at 98, 赟 at 2 %, and on a card photographed small (371 px wide) at 98 and 0.2 %.
# One of them among a name character's alternatives at this or more is doubt the card's name
# needs a person for. 0.1 % against 1 %, 200 cards a set: clean and hard the same fields and
# false alarms; photo card 118's 韦涵翀, read 韦涵肿 and doubted, now read right and doubted.
RARE_NAME_CHARS = frozenset("燊翀喆赟曌婳彧犇淼")
RARE_ALTERNATIVE = 0.001
SEXES = "男女"
NATION_LABEL = LABELS["nation"][0]  # 民族
# Nations whose names are Chinese transliterations, given name and father's name joined by a
# dot (买买提·吐尔逊, 次旺·达瓦); the shortest such name has four characters.
DOTTED_NATIONS = frozenset(
    {"维吾尔", "哈萨克", "柯尔克孜", "塔吉克", "乌孜别克", "塔塔尔", "藏", "门巴"}
)
DOTTED_MIN_CHARS = 4
ID_CHARS = frozenset("0123456789X")
# A number that fails its check was misread somewhere, or is printed so: real cards never
# print one, demo and specimen cards often do. The share of cards whose number fails its
# check as printed, taken as even (`failed_check`): on it, a digit read at 0.92 beside
# sure ones is doubted, and one read at 0.95 is not.
PRINTED_INVALID = 0.5
# A digit misread makes the number fail its check unless the wrong digit happens to give
# the same check character: 10 of 11.
MISREAD_FAILS_CHECK = 10 / 11
# Year, month and day are told apart by 年 and 月, or by place in eight digits.
BIRTH_RE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})|(\d{4})(\d{2})(\d{2})(?!\d)", re.ASCII)

Chars = Sequence[ReadChar]


def front_fields(
    values: Mapping[str, Chars], simplify: Simplify, *, today: date
) -> dict[str, Field]:
    """Every field of the portrait side, in the API's order, from its value's characters."""
    number = id_number(values["id"], today=today)
    nation_read = nation(values["nation"], simplify)
    return {
        "name": dot_unseen(name(values["name"], simplify), nation_read.text),
        "sex": sex(values["sex"], number),
        "nation": nation_read,
        "birth": birth(values["birth"], number, today=today),
        "address": address(values["address"], simplify, text_of(number)),
        "id": Field.of(number),
    }


def name(read: Chars, simplify: Simplify) -> Field:
    """The name without punctuation and Latin junk; its dots as the card prints them (·).

    A name read as one character is doubted (DISPUTED_CONFIDENCE): names are registered with a
    surname and a given name, so a character was lost (a motion-blurred 李四 read 李, and 驷,
    sure of it). So is a character the recogniser saw a rare name character in
    (RARE_NAME_CHARS)."""
    marked = [
        c
        for c in read
        if c.char in NAME_DOTS + NAME_DASHES or not (c.char.isascii() or c.char in NAME_JUNK)
    ]
    cleaned = [
        dot(c) if c.char in NAME_DOTS or _between_characters(marked, i) else c
        for i, c in enumerate(marked)
        if c.char not in NAME_DASHES or _between_characters(marked, i)
    ]
    chars = standardised(cleaned, simplify)
    if len(chars) == 1:
        return Field.of([doubted(c) for c in chars])
    return Field.of([doubted(c) if _rare_alternative(c) else c for c in chars])


def _rare_alternative(char: ReadChar) -> bool:
    """Whether the recogniser gave a rare name character real belief where it read another."""
    return char.char not in RARE_NAME_CHARS and any(
        alt in RARE_NAME_CHARS and p >= RARE_ALTERNATIVE for alt, p in char.alternatives
    )


def dot_unseen(read: Field, nation: str) -> Field:
    """A name of a nation whose names join two parts with a dot, read without one: its inner
    characters doubted (DISPUTED_CONFIDENCE), for the dot may sit between any two of them.

    The dot is the faintest mark on the card; under blur both recognisers read past it, sure
    of every character (次旺·达瓦 read 次旺达瓦 at 100). Names of these nations printed
    without a dot are doubted too: a blurred photo cannot tell them apart."""
    text = read.text
    if nation not in DOTTED_NATIONS or len(text) < DOTTED_MIN_CHARS or "·" in text:
        return read
    doubt = percent(DISPUTED_CONFIDENCE)
    inner = range(1, len(read.confidence) - 1)
    confidence = tuple(min(c, doubt) if i in inner else c for i, c in enumerate(read.confidence))
    return Field(text, confidence)


def _between_characters(chars: Chars, i: int) -> bool:
    """Whether chars[i] is a dash with one of the name's characters on either side."""
    marks = NAME_DOTS + NAME_DASHES
    return (
        chars[i].char in NAME_DASHES
        and 0 < i < len(chars) - 1
        and chars[i - 1].char not in marks
        and chars[i + 1].char not in marks
    )


def dot(char: ReadChar) -> Char:
    """A look-alike dot as the card's ·, believed as much as every dot the recogniser saw
    there together: they are one mark, in whichever code point."""
    dots = sum(
        p for alt, p in char.alternatives if alt in NAME_DOTS + NAME_DASHES and alt != char.char
    )
    return Char("·", min(1.0, char.prob + dots), tuple(char.alternatives))


def address(read: Chars, simplify: Simplify, number: str) -> Field:
    """The address, its leading place names corrected where the evidence picks a real one, and
    any piece of a photocopy's `仅供…使用` line read into it doubted, and the line's start
    read after its end left out (`overlay_tail`).

    An address ends in a word (号, 室, 栋, 组, a place's name), not in a digit: one read so
    has lost its end (a last line of one character, a character cut at a line's end), and
    its last character is believed at most DISPUTED_CONFIDENCE. A character read before the
    province, named in full, is the rest of the label and is left out.
    """
    if gazetteer.after_a_stray_start(text_of(read)):
        read = read[1:]
    read = read[: overlay_tail(read, gazetteer.ADDRESS_WORDS)]
    chars = overlay_doubted(correct_address(read, simplify, number))
    if chars and chars[-1].char.isdigit():
        chars = (*chars[:-1], doubted(chars[-1]))
    return Field.of(chars)


def wrapped_address(lines: Sequence[Chars]) -> list[ReadChar]:
    """An address's printed lines joined in order.

    A card wraps its address after about ADDRESS_CHARS_PER_LINE characters (half-width
    digits let more in), never fewer: a line followed by another that was read with fewer
    lost a character at its end (the crop ended before it), and its last character is
    believed at most DISPUTED_CONFIDENCE.
    """
    joined: list[ReadChar] = []
    for i, line in enumerate(lines):
        chars = [c for c in line if c.char.strip()]
        if chars and i < len(lines) - 1 and len(chars) < ADDRESS_CHARS_PER_LINE:
            chars[-1] = doubted(chars[-1])
        joined.extend(chars)
    return joined


def nation(read: Chars, simplify: Simplify) -> Field:
    """The nation as one of the accepted names when the evidence picks one, else as read.

    A trailing 族 is the word, not the name; traditional forms are matched as simplified ones.
    A leading 民 before a name is its label read without the 族 (glare took it): no name
    begins with 民.
    A reading that is no nation (京汉) stays as read unless a correction is supported.
    """
    chars = standardised(read[:-1] if len(read) > 1 and read[-1].char == "族" else read, simplify)
    folded = "".join(simple if len(simple := simplify(c.char)) == 1 else c.char for c in chars)
    if folded[:1] == NATION_LABEL[0] and folded[1:] in ACCEPTED:
        chars, folded = chars[1:], folded[1:]  # the label, its 族 unread
    names = [folded] if folded in ACCEPTED else near_nations(folded)
    return Field.of(settled(chars, [correct(chars, n) for n in names]))


def sex(read: Chars, number: Chars) -> Field:
    """男 or 女 as read; the number's 17th digit decides only when the reading is missing, or
    doubted and disagrees. A confident reading the number contradicts stays, but is believed
    at most DISPUTED_CONFIDENCE; one a valid number confirms is believed as much as its
    digit."""
    said = idnumber.sex_of(text_of(number))
    seen = next((c for c in read if c.char in SEXES), None)
    if seen is not None and (is_confident(seen) or said is None or seen.char == said):
        if seen.char == said and idnumber.is_valid(text_of(number)):  # two sources agree
            return Field.of([Char(seen.char, max(seen.prob, number[16].prob))])
        if said is not None and seen.char != said:  # one of the two readings is wrong
            return Field.of([doubted(seen)])
        return Field.of([kept(seen)])
    if said is not None:
        return Field.of([Char(said, min(FROM_OTHER_FIELD, number[16].prob))])
    return Field("")


# --- birth -----------------------------------------------------------------------------------
Parts = tuple[Chars, Chars, Chars]  # year, month, day as read, without leading zeros


def birth(read: Chars, number: Chars, *, today: date) -> Field:
    """`YYYY/M/D`, one confidence per digit.

    A real date between 1900 and today read confidently, or with no number to check it,
    stands; where the number's date differs, the differing digits are believed at most
    DISPUTED_CONFIDENCE (one of the two readings is wrong, and the caller must look).
    Otherwise the number's date is taken, aligned to the digits read (`aligned`: a digit not
    read so is believed at most FROM_OTHER_FIELD); without a usable number either, the
    reading is returned as it is (and is not well-formed).
    """
    parts = birth_parts(read)
    info = idnumber.parse(text_of(number), today=today)
    day = real_birth(parts, today)
    sure = parts is not None and all(is_confident(c) for part in parts for c in part)
    stands = day is not None and (info is None or (day != info.birth and sure))
    if parts is not None and stands:
        return birth_field(parts if info is None else disputed(parts, info.birth))
    if info is not None:
        return birth_field(from_number(parts, read, number))
    if parts is not None:
        return birth_field(parts)
    return Field.of([c for c in read if c.char.isdigit()])


def disputed(parts: Parts, said: date) -> Parts:
    """The parts read, each digit that differs from the number's date (`said`) doubted."""
    numbers = (str(said.year), str(said.month), str(said.day))
    return tuple(  # type: ignore[return-value]
        tuple(
            kept(c) if len(part) == len(number) and c.char == number[i] else doubted(c)
            for i, c in enumerate(part)
        )
        for part, number in zip(parts, numbers, strict=True)
    )


def birth_parts(read: Chars) -> Parts | None:
    """Year, month and day as read (`1996年11月24日`, or eight digits alone), or None."""
    match = BIRTH_RE.search(text_of(read))
    if match is None:
        return None
    groups = (1, 2, 3) if match.group(1) else (4, 5, 6)
    year, month, day = (read[match.start(g) : match.end(g)] for g in groups)
    return year, unpadded(month), unpadded(day)


def unpadded(part: Chars) -> Chars:
    """A month or day without its leading zero, as the API writes it."""
    return part[1:] if len(part) == 2 and part[0].char == "0" else part


def real_birth(parts: Parts | None, today: date) -> date | None:
    """The date the parts make, when it is real and between 1900 and today."""
    if parts is None:
        return None
    day = date_of(*(text_of(part) for part in parts))
    return day if day is not None and idnumber.EARLIEST_BIRTH <= day <= today else None


def from_number(parts: Parts | None, read: Chars, number: Chars) -> Parts:
    """The number's birth date as parts, each digit aligned to what was read (`aligned`)."""
    taken = (number[6:10], unpadded(number[10:12]), unpadded(number[12:14]))
    whole = text_of(number)
    if parts is not None:
        year, month, day = (aligned(p, t, whole) for p, t in zip(parts, taken, strict=True))
        return year, month, day
    # No year, month and day were made out: align to all the digits read.
    digits = aligned([c for c in read if c.char.isdigit()], [c for t in taken for c in t], whole)
    ends = (len(taken[0]), len(taken[0]) + len(taken[1]))
    return digits[: ends[0]], digits[ends[0] : ends[1]], digits[ends[1] :]


def aligned(read: Chars, taken: Chars, number: str) -> tuple[Char, ...]:
    """The number's characters `taken`, aligned to those read of the same value.

    Where the alignment finds one read so, it keeps the reading's belief, or the number's
    digit's when that is surer and the number passes its check (two sources agree); any other
    is the number's alone, believed at most FROM_OTHER_FIELD.
    """
    valid = idnumber.is_valid(number)
    chars = [Char(c.char, min(FROM_OTHER_FIELD, c.prob)) for c in taken]
    for op in Levenshtein.opcodes(text_of(read), text_of(taken)):
        if op.tag == "equal":
            for offset in range(op.src_end - op.src_start):
                r, t = read[op.src_start + offset], taken[op.dest_start + offset]
                prob = max(r.prob, t.prob) if valid else r.prob
                chars[op.dest_start + offset] = Char(r.char, prob, tuple(r.alternatives))
    return tuple(chars)


def birth_field(parts: Parts) -> Field:
    year, month, day = (text_of(part) for part in parts)
    return Field(f"{year}/{month}/{day}", Field.of([c for p in parts for c in p]).confidence)


# --- the number ------------------------------------------------------------------------------
def id_number(read: Chars, *, today: date) -> tuple[Char, ...]:
    """The number's characters as printed; one doubted digit repaired only when exactly one
    repair the recogniser supports makes it pass its check (`idnumber.repair`), and one
    doubted character of a number that passes it confirmed (`checked`)."""
    chars = trimmed([c for c in read if c.char in ID_CHARS], today)
    if len(chars) == idnumber.LENGTH and not idnumber.is_valid(text_of(chars)):
        repaired = idnumber.repair(chars, today=today)
        if repaired is not None:
            return correct(chars, repaired).chars
        return failed_check(chars)
    return checked(chars, today)


def failed_check(chars: Chars) -> tuple[Char, ...]:
    """A number that fails its check, as printed, each character believed at most as much
    as the failure is not its misreading.

    The failure is either a card printing such a number (PRINTED_INVALID) or one misread
    character, each in proportion to the odds the recogniser gave against it: a doubt the
    recogniser had is made larger, and a number read wholly sure (a demo card) stays so.
    """
    odds = [(1.0 - c.prob) / max(c.prob, 1e-9) for c in chars]
    failure = PRINTED_INVALID + MISREAD_FAILS_CHECK * sum(odds)
    return tuple(
        Char(c.char, min(c.prob, 1.0 - MISREAD_FAILS_CHECK * o / failure), tuple(c.alternatives))
        for c, o in zip(chars, odds, strict=True)
    )


def checked(chars: Chars, today: date) -> tuple[Char, ...]:
    """A number that passes its check with one character doubted and the rest read
    confidently: the doubted one is believed as surely as the least sure of the rest.

    The check character changes with any one character of the number, so with the other 17
    as read, only the character read there passes: the check confirms it.
    """
    text = text_of(chars)
    doubts = [i for i, c in enumerate(chars) if not is_confident(c)]
    if len(doubts) != 1 or not idnumber.is_valid(text) or idnumber.parse(text, today=today) is None:
        return tuple(kept(c) for c in chars)
    sure = min(c.prob for i, c in enumerate(chars) if i != doubts[0])
    return tuple(
        Char(c.char, max(c.prob, sure), tuple(c.alternatives)) if i == doubts[0] else kept(c)
        for i, c in enumerate(chars)
    )


def trimmed(chars: Chars, today: date) -> Chars:
    """Stray characters read beyond 18 dropped, only where the recogniser doubted them: the
    one stretch of 18 that is a valid number, or the only stretch such drops leave."""
    extra = len(chars) - idnumber.LENGTH
    if extra <= 0:
        return chars
    stretches = [
        chars[i : i + idnumber.LENGTH]
        for i in range(extra + 1)
        if not any(is_confident(c) for c in (*chars[:i], *chars[i + idnumber.LENGTH :]))
    ]
    valid = [
        s
        for s in stretches
        if idnumber.is_valid(text_of(s)) and idnumber.parse(text_of(s), today=today)
    ]
    if len(valid) == 1:
        return valid[0]
    return stretches[0] if len(stretches) == 1 else chars
