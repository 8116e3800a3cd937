"""From the characters read in each field's crops to the side's answer: the fields, cleaned,
cross-checked and corrected where the evidence allows; the fields that cannot be given as
well-formed; and the printed labels seen, which tell what side was read."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from idcard_ocr.card import contract, gazetteer, validate
from idcard_ocr.card.back import back_fields
from idcard_ocr.card.front import front_fields
from idcard_ocr.card.labels import Labelled, strip_label
from idcard_ocr.card.model import CardResult, Field, Side
from idcard_ocr.card.reading import ReadChar, Simplify, text_of

__all__ = ["Interpretation", "Simplify", "interpret"]


@dataclass(frozen=True)
class Interpretation:
    """What one side's readings say, and how far they can be trusted."""

    result: CardResult  # every field of the side, in API order, with confidences 0-100
    unreadable: tuple[str, ...]  # the side's fields (API order) not present and well-formed
    labels: tuple[str, ...]  # the printed labels found at the start of the fields' readings


def interpret(
    side: Side,
    chars: Mapping[str, Sequence[ReadChar]],
    simplify: Simplify,
    *,
    today: date | None = None,
) -> Interpretation:
    """The side's fields from `chars[field]`: all characters of that field's crops in reading
    order (a missing field reads as empty); `simplify` maps one traditional character to
    its simplified form."""
    today = today or date.today()
    labelled = {name: labelled_value(name, chars.get(name, ())) for name in side.fields}
    values = {name: found.value for name, found in labelled.items()}
    if side is Side.FRONT:
        fields = front_fields(values, simplify, today=today)
    else:
        fields = back_fields(values, simplify)
    result = CardResult(side, fields, warnings(side, fields, today))
    labels = tuple(found.label for found in labelled.values() if found.label is not None)
    return Interpretation(result, contract.unreadable(result, today=today), labels)


def labelled_value(name: str, read: Sequence[ReadChar]) -> Labelled:
    """The field's characters without spaces, and without the label they may begin with."""
    chars = [c for c in read if c.char.strip()]
    found = strip_label(name, chars)
    if name == "authority" and found.stripped:
        # The label's end may be the value's start: 关岭…公安局 begins as the label ends (关),
        # and a label read with its 关 dropped (签发机张掖…) lent the value's first character
        # to the label. A parse that leaves a real authority wins.
        for taken, label in ((0, None), (found.stripped - 1, found.label)):
            if gazetteer.is_known_authority(text_of(chars[taken:])):
                return Labelled(tuple(chars[taken:]), label, taken)
    return found


def warnings(side: Side, fields: Mapping[str, Field], today: date) -> tuple[str, ...]:
    """The cross-checks' warning codes for the values given (card.validate)."""
    text = {name: field.text for name, field in fields.items()}
    if side is Side.FRONT:
        return validate.check_front(
            text["name"],
            text["sex"],
            text["nation"],
            text["birth"],
            text["address"],
            text["id"],
            today=today,
        )
    return validate.check_back(text["authority"], text["valid_date"], today=today)
