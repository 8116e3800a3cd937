"""The printed labels a field's reading may begin with, and taking them off.

A crop cut a little early starts with its label, whole (民族汉) or cut (族汉), and real cards
print some values right after their label. What is found also tells which side was read.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from idcard_ocr.card.reading import ReadChar, is_confident, prob_of

LABELS: dict[str, tuple[str, ...]] = {
    "name": ("姓名",),
    "sex": ("性别",),
    "nation": ("民族",),
    "birth": ("出生",),
    "address": ("住址",),
    "id": ("公民身份号码", "公民身份证号码"),
    "authority": ("签发机关",),
    "valid_date": ("有效期限",),
}
# A label character read at least this surely counts towards finding the label.
LABEL_PROB = 0.5
# A label character among the recogniser's alternatives with at least this probability
# counts as read there (石 with 姓 at 0.0001 is no label).
LABEL_ALTERNATIVE = 0.1


@dataclass(frozen=True)
class Labelled:
    """A field's reading split into the label it begins with and the value after it."""

    value: tuple[ReadChar, ...]
    label: str | None  # the canonical label, when at least half of it was read surely
    stripped: int  # how many characters the label took


def strip_label(field: str, chars: Sequence[ReadChar]) -> Labelled:
    """The reading without the label at its start: whole, cut at its start, or misread once.

    The longest such start wins. One misread character is allowed in a stretch of three or
    more, and in a stretch of two only where the recogniser doubted it (姓名李久熙 must not
    lose the 李 of 李名扬).
    """
    best = Labelled(tuple(chars), None, 0)
    for label in LABELS.get(field, ()):
        for cut in range(len(label)):
            tail = label[cut:]
            if len(tail) > best.stripped and reads_as(chars[: len(tail)], tail):
                found = sum(
                    c.char == want and c.prob >= LABEL_PROB
                    for c, want in zip(chars, tail, strict=False)
                )
                canonical = label if 2 * found >= len(label) else None
                best = Labelled(tuple(chars[len(tail) :]), canonical, len(tail))
    return best


def reads_as(start: Sequence[ReadChar], tail: str) -> bool:
    """Whether the characters read are the label's `tail`, allowing one likely misread."""
    if len(start) != len(tail):
        return False
    missed = [
        c
        for c, want in zip(start, tail, strict=True)
        if (prob_of(c, want) or 0.0) < LABEL_ALTERNATIVE and c.char != want
    ]
    if not missed:
        return True
    if len(missed) > 1 or len(tail) == 1:
        return False
    return len(tail) >= 3 or not is_confident(missed[0])
