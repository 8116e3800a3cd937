"""Keeping per-character confidences in step with a corrected text."""

from __future__ import annotations

from collections.abc import Sequence
from difflib import SequenceMatcher


def realign(
    old: str, confidences: Sequence[int], new: str, *, fill: int | None = None
) -> tuple[int, ...]:
    """One confidence per character of `new`, after a correction turned `old` into it.

    Kept characters keep theirs; a replaced or inserted character gets `fill` if given, else
    the lowest confidence of what it replaced (or of its neighbours, for an insertion), since
    a correction is only as sure as the reading it overrode.
    """
    if len(confidences) != len(old):
        raise ValueError("one confidence per character of the old text is needed")
    result: list[int] = []
    matcher = SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            result.extend(confidences[i1:i2])
        elif j2 > j1:  # replace or insert
            span = confidences[i1:i2] or confidences[max(i1 - 1, 0) : i1 + 1]
            value = fill if fill is not None else min(span, default=0)
            result.extend([value] * (j2 - j1))
    return tuple(result)
