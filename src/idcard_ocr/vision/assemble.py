"""From recognised crops to the API's fields: clean, cross-check, correct, validate.

Corrections only ever pick among what the recogniser itself considered (its alternatives at
uncertain positions) or snap a near-miss to a real name (nations, places); a confident
reading is returned as printed, and disagreements become warnings.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import threading
from collections.abc import Sequence
from dataclasses import replace

import opencc

from idcard_ocr.card import dates, gazetteer, idnumber, nations, validate
from idcard_ocr.card.model import CardResult, Field, Side
from idcard_ocr.card.text import realign
from idcard_ocr.ocr import CharReading, LineReading
from idcard_ocr.vision.fields import Crop

NAME_DOTS = "·•・.．‧"
ID_LENGTH = 18


def assemble(
    side: Side, crops: Sequence[Crop], readings: Sequence[LineReading]
) -> CardResult | None:
    """The card's fields, or None when the crops do not read as that side of an ID card."""
    by_field: dict[str, list[LineReading]] = {}
    for crop, reading in zip(crops, readings, strict=True):
        by_field.setdefault(crop.field, []).append(reading)
    if side is Side.FRONT:
        return _front(by_field)
    return _back(by_field)


def _chars(readings: list[LineReading] | None) -> list[CharReading]:
    """All characters of a field's crops in reading order, without spaces."""
    return [_standard(c) for r in readings or [] for c in r.chars if not c.char.isspace()]


_TO_SIMPLIFIED = opencc.OpenCC("t2s.json")
_CONVERTING = threading.Lock()


@functools.lru_cache(maxsize=4096)
def _simplified(char: str) -> str:
    with _CONVERTING:  # one converter for every reader thread
        converted: str = _TO_SIMPLIFIED.convert(char)
    return converted


def _standard(char: CharReading) -> CharReading:
    """The simplified form of a traditional character, when the recogniser also saw it there.

    The card prints standard (simplified) characters, but a blurred 悦 reads as 悅 as often
    as not. The recogniser's own runner-up decides, not the converter alone, which maps a
    few characters that are standard in names (乾) to another (干).
    """
    simple = _simplified(char.char)
    if simple == char.char:
        return char
    for alternative, prob in char.alternatives:
        if alternative == simple:
            return replace(char, char=simple, prob=min(1.0, char.prob + prob))
    return char


def _field(chars: Sequence[CharReading]) -> Field:
    return Field("".join(c.char for c in chars), tuple(round(c.prob * 100) for c in chars))


def _front(by_field: dict[str, list[LineReading]]) -> CardResult | None:
    number = _id_number(_chars(by_field.get("id")))
    if number is None:
        return None
    info = idnumber.parse(number.text)
    name = _name(_chars(by_field.get("name")))
    sex = _sex(_chars(by_field.get("sex")), info)
    nation = _nation(_chars(by_field.get("nation")))
    birth = _birth(_chars(by_field.get("birth")), info)
    address_chars = _without_label(_chars(by_field.get("address")), "住址")
    address = _snapped(_field(address_chars), gazetteer.snap_address)
    fields = {
        "name": name,
        "sex": sex,
        "nation": nation,
        "birth": birth,
        "address": address,
        "id": number,
    }
    warnings = validate.check_front(
        name.text, sex.text, nation.text, birth.text, address.text, number.text
    )
    return CardResult(Side.FRONT, fields, warnings)


def _id_number(chars: list[CharReading]) -> Field | None:
    """The 18-character number; a misread digit is repaired only from the recogniser's options."""
    chars = [c for c in chars if c.char.isdigit() or c.char == "X"]
    if len(chars) < ID_LENGTH - 3:
        return None
    if len(chars) > ID_LENGTH:
        # Stray marks read as digits at the ends: keep the most confident 18-character window.
        start = max(
            range(len(chars) - ID_LENGTH + 1),
            key=lambda i: sum(c.prob for c in chars[i : i + ID_LENGTH]),
        )
        chars = chars[start : start + ID_LENGTH]
    field = _field(chars)
    if len(chars) == ID_LENGTH and not idnumber.is_valid(field.text):
        repaired = idnumber.repair([c.alternatives for c in chars])
        if repaired is not None:
            return Field(repaired, realign(field.text, field.confidence, repaired))
    return field


def _without_label(chars: list[CharReading], label: str) -> list[CharReading]:
    """The value without its printed label, when a crop cut into the label."""
    head = "".join(c.char for c in chars[: len(label)])
    if len(head) != len(label):
        return chars
    if sum(a == b for a, b in zip(head, label, strict=True)) >= len(label) - 1:
        return chars[len(label) :]
    return chars


def _name(chars: list[CharReading]) -> Field:
    chars = _without_label(chars, "姓名")
    kept = []
    for c in chars:
        if c.char in NAME_DOTS:
            kept.append(CharReading("·", c.prob, c.alternatives, c.x))
        elif not (c.char.isascii() or c.char in "：:，,。"):
            kept.append(c)
    return _field(kept)


def _sex(chars: list[CharReading], info: idnumber.IdNumberInfo | None) -> Field:
    read = [c for c in chars if c.char in "男女"]
    if read and (info is None or read[0].char == info.sex or read[0].prob >= 0.9):
        return _field(read[:1])
    if info is not None:
        # Unreadable or doubtful: the number's 17th digit says which, at low confidence.
        return Field(info.sex, (round(read[0].prob * 100) if read else 50,))
    return _field(read[:1])


def _nation(chars: list[CharReading]) -> Field:
    field = _field(chars)
    snapped = nations.snap_nation(field.text)
    if snapped is None or snapped == field.text:
        return field
    return Field(snapped, realign(field.text, field.confidence, snapped))


def _snapped(field: Field, snap: object) -> Field:
    new = snap(field.text)  # type: ignore[operator]
    if new == field.text:
        return field
    return Field(new, realign(field.text, field.confidence, new))


BIRTH_RE = re.compile(r"(\d{4})年?(\d{1,2})月?(\d{1,2})日?")


def _birth(chars: list[CharReading], info: idnumber.IdNumberInfo | None) -> Field:
    """`YYYY/M/D` with one confidence per digit, checked against the number's birth date."""
    text = "".join(c.char for c in chars)
    match = BIRTH_RE.search(text)
    digits = [c for c in chars if c.char.isdigit()]
    if match is None:
        if info is not None:
            return _date_field(info.birth, [50] * 8)
        return Field("", ())
    year, month, day = (int(g) for g in match.groups())
    probs = [round(c.prob * 100) for c in digits]
    try:
        read = dt.date(year, month, day)
    except ValueError:
        read = None
    if info is not None and read != info.birth and min(probs, default=0) < 90:
        # The printed birth and the number's disagree where the reading is unsure.
        return _date_field(info.birth, probs)
    if read is None:
        return Field(f"{year}/{month}/{day}", tuple(probs))
    return _date_field(read, probs)


def _date_field(day: dt.date, probs: Sequence[int]) -> Field:
    text = f"{day.year}/{day.month}/{day.day}"
    count = sum(ch.isdigit() for ch in text)
    probs = list(probs)[:count] + [min(probs, default=50)] * max(0, count - len(probs))
    return Field(text, tuple(probs))


VALIDITY_RE = re.compile(r"(\d{4})\.?(\d{2})\.?(\d{2})-(?:(\d{4})\.?(\d{2})\.?(\d{2})|(长期))")


def _back(by_field: dict[str, list[LineReading]]) -> CardResult | None:
    validity = _validity(_chars(by_field.get("valid_date")))
    if validity is None:
        return None
    authority_chars = _without_label(_chars(by_field.get("authority")), "签发机关")
    authority = _snapped(_field(authority_chars), gazetteer.snap_authority)
    warnings = validate.check_back(authority.text, validity.text)
    return CardResult(Side.BACK, {"authority": authority, "valid_date": validity}, warnings)


def _validity(chars: list[CharReading]) -> Field | None:
    """`YYYY.MM.DD-YYYY.MM.DD` or `YYYY.MM.DD-长期`, one confidence per digit (and per 长期)."""
    # 长期 only counts after the start date: before it, a 期 is the label 有效期限 cut into.
    kept, seen = [], 0
    for c in chars:
        if c.char.isdigit():
            kept.append(c)
            seen += 1
        elif c.char in "长期" and seen >= 8:
            kept.append(c)
    digits = "".join(c.char for c in kept if c.char.isdigit())
    if len(digits) < 8:
        return None
    long_term = any(c.char in "长期" for c in kept)
    if long_term:
        text = f"{digits[:4]}.{digits[4:6]}.{digits[6:8]}-长期"
        probs = [round(c.prob * 100) for c in kept if c.char.isdigit()][:8]
        probs += [round(c.prob * 100) for c in kept if c.char in "长期"][:2]
        probs += [probs[-1]] * (10 - len(probs))
    else:
        digits = digits[:16]
        start, end = digits[:8], digits[8:16]
        text = f"{start[:4]}.{start[4:6]}.{start[6:]}-{end[:4]}.{end[4:6]}.{end[6:]}"
        text = text.rstrip(".-")
        probs = [round(c.prob * 100) for c in kept if c.char.isdigit()][:16]
    return Field(text, tuple(probs))


def well_formed(result: CardResult) -> bool:
    """Whether the side's anchor field reads completely: 18 characters of number, or a
    validity period of real dates. A reading that is not is kept only as a last resort."""
    if result.side is Side.FRONT:
        return idnumber.is_well_formed(result.fields["id"].text)
    return dates.parse_validity(result.fields["valid_date"].text) is not None
