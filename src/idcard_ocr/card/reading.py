"""What the domain needs of a recognised character: the character, the recogniser's belief in
it, and the runner-up characters it considered at the same place.

The OCR runtime's `CharReading` satisfies this protocol; the domain never imports the runtime.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

# A character read at least this surely is taken as what the card prints: no correction may
# overwrite or delete it, or insert a character between two of them.
CONFIDENT = 0.9

# One character, traditional -> simplified (the reader passes OpenCC t2s, built once).
Simplify = Callable[[str], str]


class ReadChar(Protocol):
    """One recognised character."""

    @property
    def char(self) -> str: ...

    @property
    def prob(self) -> float: ...  # the recogniser's probability of `char`, 0-1

    @property
    def alternatives(self) -> Sequence[tuple[str, float]]: ...  # best first, `char` included


@dataclass(frozen=True)
class Char:
    """A character the domain made or kept, with the belief it carries."""

    char: str
    prob: float
    alternatives: Sequence[tuple[str, float]] = ()


def kept(char: ReadChar) -> Char:
    """A read character as the domain carries it on, unchanged."""
    return Char(char.char, char.prob, tuple(char.alternatives))


def is_confident(char: ReadChar) -> bool:
    return char.prob >= CONFIDENT


def text_of(chars: Sequence[ReadChar]) -> str:
    return "".join(c.char for c in chars)


def percent(prob: float) -> int:
    """A probability as the API's confidence, an int 0-100."""
    return max(0, min(100, round(prob * 100)))


def prob_of(char: ReadChar, candidate: str) -> float | None:
    """The recogniser's probability of `candidate` at `char`'s place, None if not considered."""
    if char.char == candidate:
        return char.prob
    return next((p for alt, p in char.alternatives if alt == candidate), None)
