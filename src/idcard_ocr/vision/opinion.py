"""A second reading of the same text, merged with the first character by character.

Two readings are aligned (Levenshtein opcodes); where they agree, the surer of the two
stands; where they disagree, the surer character wins but carries only the belief that
survives the disagreement, so a field the two readings dispute is never returned as
certain. A reading does not win by dropping or adding characters: a stretch where the
two differ in length keeps at most a doubtful confidence, whichever is chosen.
"""

from __future__ import annotations

from collections.abc import Mapping

from rapidfuzz.distance import Levenshtein

from idcard_ocr.ocr import CharReading, LineReading

# Belief left in a stretch the two readings read with different numbers of characters.
LENGTH_DISPUTED = 0.5


def merge(
    first: LineReading, other: LineReading, alike: Mapping[str, str] | None = None
) -> LineReading:
    """`first` corrected and re-weighted by `other`, a reading of the same text.

    `alike` folds characters that are one mark in this field (a name's dot, read as · by one
    model and - by the other) before the readings are compared: they agree.
    """
    if not other.chars:
        return first
    if not first.chars:
        return LineReading(tuple(_capped(other.chars, LENGTH_DISPUTED)))
    fold = alike or {}
    mine_text = "".join(fold.get(c, c) for c in first.text)
    their_text = "".join(fold.get(c, c) for c in other.text)
    merged: list[CharReading] = []
    for op in Levenshtein.opcodes(mine_text, their_text):
        tag, i1 = op.tag, op.src_start
        mine = first.chars[op.src_start : op.src_end]
        theirs = other.chars[op.dest_start : op.dest_end]
        if tag == "equal":
            merged.extend(_agreed(a, b) for a, b in zip(mine, theirs, strict=True))
        elif tag == "insert" and i1 in (0, len(first.chars)):
            continue  # beyond either end: the other crop framed more of the card, not more text
        elif len(mine) == len(theirs):
            merged.extend(_disputed(a, b) for a, b in zip(mine, theirs, strict=True))
        else:
            merged.extend(_capped(_surer(mine, theirs), LENGTH_DISPUTED))
    return LineReading(tuple(merged))


def _agreed(a: CharReading, b: CharReading) -> CharReading:
    return a if a.prob >= b.prob else CharReading(a.char, b.prob, a.alternatives, a.x)


def _disputed(a: CharReading, b: CharReading) -> CharReading:
    """The surer of two different characters, believed only as far as the other is doubted."""
    win, lose = (a, b) if a.prob >= b.prob else (b, a)
    return CharReading(win.char, win.prob * (1.0 - lose.prob), win.alternatives, a.x)


def _surer(
    mine: tuple[CharReading, ...], theirs: tuple[CharReading, ...]
) -> tuple[CharReading, ...]:
    """Of two stretches read differently, the one whose least sure character is surer;
    an empty stretch (a character one reading did not see) never counts as sure."""

    def least(chars: tuple[CharReading, ...]) -> float:
        return min((c.prob for c in chars), default=-1.0)

    return theirs if least(theirs) > least(mine) else mine


def _capped(chars: tuple[CharReading, ...], cap: float) -> list[CharReading]:
    return [CharReading(c.char, min(c.prob, cap), c.alternatives, c.x) for c in chars]
