"""What the domain needs of a recognised character: the character, the recogniser's belief in
it, and the runner-up characters it considered at the same place.

The OCR runtime's `CharReading` satisfies this protocol; the domain never imports the runtime.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol


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
