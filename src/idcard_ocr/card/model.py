"""Result types shared by every stage: which side, one field with its confidences, one card."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import IntEnum

from idcard_ocr.card.reading import ReadChar, percent

FRONT_FIELDS: tuple[str, ...] = ("name", "sex", "nation", "birth", "address", "id")
BACK_FIELDS: tuple[str, ...] = ("authority", "valid_date")


class Side(IntEnum):
    """The legacy `card_type`: 0 is the portrait side, 1 the national-emblem side."""

    FRONT = 0
    BACK = 1

    @property
    def fields(self) -> tuple[str, ...]:
        return FRONT_FIELDS if self is Side.FRONT else BACK_FIELDS

    @property
    def other(self) -> Side:
        """The card's other side."""
        return Side.BACK if self is Side.FRONT else Side.FRONT


@dataclass(frozen=True)
class Field:
    """One value as the API returns it, with its confidences (ints 0-100).

    One confidence per character, except dates (`birth`, `valid_date`), which carry one per
    digit (and one per character of `长期`), as decisions.md fixes.
    """

    text: str
    confidence: tuple[int, ...] = ()

    def __post_init__(self) -> None:
        if any(not 0 <= c <= 100 for c in self.confidence):
            raise ValueError("confidences must be ints in [0, 100]")

    @classmethod
    def of(cls, chars: Sequence[ReadChar]) -> Field:
        """The field of these characters, one confidence each."""
        return cls("".join(c.char for c in chars), tuple(percent(c.prob) for c in chars))


@dataclass(frozen=True)
class CardResult:
    """What was read from one side of one card, in the API's field order."""

    side: Side
    fields: Mapping[str, Field]
    warnings: tuple[str, ...] = field(default=())

    def legacy_data(self) -> dict[str, object]:
        """The `data` object of a `result_list` item: values first, then confidence arrays."""
        data: dict[str, object] = {name: self.fields[name].text for name in self.side.fields}
        for name in self.side.fields:
            data[f"{name}_confidence_all"] = list(self.fields[name].confidence)
        return data
