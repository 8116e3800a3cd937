"""Applying a correction to what was read, without overruling what the recogniser was sure of.

Every correction (a place name, a nation, a repaired number, a simplified character) is the
corrected text aligned to the reading character by character. The alignment says which read
characters it changes, deletes or inserts next to; it is refused when one of them was read
confidently, and each character it puts in carries the evidence for it: the recogniser's own
probability of that character at that place, or a low fixed confidence when only the
dictionary speaks for it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz.distance import Levenshtein

from idcard_ocr.card.reading import (
    CONFIDENT,
    Char,
    ReadChar,
    Simplify,
    is_confident,
    kept,
    prob_of,
    text_of,
)

# The confidence of a character that only the dictionary puts there.
DICTIONARY_CONFIDENCE = 0.40
# A corrected character never looks confidently read.
MOST_CORRECTED = CONFIDENT - 0.01
# How much a change the recogniser did not consider counts when corrections are compared; a
# deleted character counts less: the recogniser rarely sees a character where there is none.
DICTIONARY_ODDS = 0.05
DELETION_ODDS = DICTIONARY_ODDS**2
# A correction is taken only when it is at least this much better supported than the next.
TIE_FACTOR = 2.0
# A confident character the dictionary disputes (no real name reads so) keeps at most this.
DISPUTED_CONFIDENCE = 0.5


def doubted(char: ReadChar) -> Char:
    """`char` believed at most DISPUTED_CONFIDENCE: another source says otherwise."""
    return Char(char.char, min(char.prob, DISPUTED_CONFIDENCE), tuple(char.alternatives))


@dataclass(frozen=True)
class Correction:
    """A corrected text aligned to the reading it corrects."""

    text: str
    chars: tuple[Char, ...]
    touched: frozenset[int]  # read positions changed, deleted, or next to an insertion
    refused: bool  # it would overrule a confidently read character
    # The recogniser's probability of each character put in, 0 where it did not consider it.
    evidence: tuple[float, ...]
    deleted: int  # read characters dropped
    weight: float = 1.0  # outside evidence for the result (e.g. the number's region)
    explained: int = 0  # characters of the reading it makes into real names (addresses)

    @property
    def support(self) -> float:
        """How likely the reading makes this correction, relative to the others (1: none)."""
        odds = math.prod(max(e, DICTIONARY_ODDS) for e in self.evidence)
        return self.weight * odds * DELETION_ODDS**self.deleted

    def strongly_evidenced(self, least: float) -> bool:
        """Whether the recogniser itself gave every character put in at least `least`."""
        return self.deleted == 0 and all(e >= least for e in self.evidence)


def correct(read: Sequence[ReadChar], new: str) -> Correction:
    """`new` aligned to `read`: kept characters keep their belief, new ones carry the evidence."""
    chars: list[Char] = []
    touched: set[int] = set()
    evidence: list[float] = []
    deleted = 0
    refused = False
    for op in Levenshtein.opcodes(text_of(read), new):
        old = read[op.src_start : op.src_end]
        if op.tag == "equal":
            chars.extend(kept(c) for c in old)
            continue
        touched.update(range(op.src_start, op.src_end))
        refused = refused or any(is_confident(c) for c in old)
        if op.tag == "delete":
            deleted += len(old)
            continue
        if op.tag == "insert":
            neighbours = read[max(op.src_start - 1, 0) : op.src_start + 1]
            touched.update(range(max(op.src_start - 1, 0), min(op.src_start + 1, len(read))))
            refused = refused or (len(neighbours) == 2 and all(map(is_confident, neighbours)))
        put_in = new[op.dest_start : op.dest_end]
        for offset, char in enumerate(put_in):
            found = placed(old[offset : offset + 1] if len(old) == len(put_in) else old, char)
            evidence.append(found or 0.0)
            prob = DICTIONARY_CONFIDENCE if found is None else min(found, MOST_CORRECTED)
            chars.append(Char(char, prob))
    return Correction(new, tuple(chars), frozenset(touched), refused, tuple(evidence), deleted)


def placed(places: Sequence[ReadChar], char: str) -> float | None:
    """The recogniser's best probability of `char` at any of `places` (None: not considered).

    A same-length replacement passes one place per character; an uneven one all it replaces.
    """
    found = [p for p in (prob_of(c, char) for c in places) if p is not None]
    return max(found, default=None)


def chosen(options: Sequence[Correction]) -> Correction | None:
    """The allowed correction at least TIE_FACTOR times better supported than any other; among
    about equal ones, the one that makes strictly the most of the reading into real names.

    Corrections to the same text are one; when two differ and are about as likely, none is
    taken: a guess between real names is how someone else's name gets onto a card.
    """
    best: dict[str, Correction] = {}
    for option in options:
        if not option.refused and (
            option.text not in best or rank(option) > rank(best[option.text])
        ):
            best[option.text] = option
    ranked = sorted(best.values(), key=rank, reverse=True)
    if not ranked:
        return None
    tied = [option for option in ranked if TIE_FACTOR * option.support > ranked[0].support]
    most = max(option.explained for option in tied)
    widest = [option for option in tied if option.explained == most]
    return widest[0] if len(widest) == 1 else None


def rank(option: Correction) -> tuple[float, int]:
    return option.support, option.explained


def settled(read: Sequence[ReadChar], options: Sequence[Correction]) -> tuple[Char, ...]:
    """The reading with the correction the evidence picks; else as read, with the characters
    the nearest real names would change marked disputed: the reading is no real name."""
    best = chosen(options)
    if best is not None:
        return best.chars
    return disputed(read, options) if options else tuple(kept(c) for c in read)


def disputed(read: Sequence[ReadChar], options: Sequence[Correction]) -> tuple[Char, ...]:
    """The reading with the places the best supported corrections touch capped in belief."""
    top = max(option.support for option in options)
    touched: set[int] = set()
    for option in options:
        if option.support * TIE_FACTOR > top:
            touched |= option.touched
    return tuple(doubted(c) if i in touched else kept(c) for i, c in enumerate(read))


def standardised(read: Sequence[ReadChar], simplify: Simplify) -> tuple[Char, ...]:
    """Traditional forms read where the recogniser also saw the simplified one, simplified, at
    that alternative's probability; a simplified character also seen in its traditional form
    believed as both together.

    The card prints standard (simplified) characters, but a blurred 悦 reads as 悅 as often
    as not. The recogniser's own alternatives decide, not the converter alone, which maps a
    few characters that are standard in names (乾) to another (干). A script fold is not a
    guess at another character: it may change one read confidently (别 read as 別 at 0.94),
    and what it puts in still carries only its own evidence.
    """
    merged = [variants_merged(c, simplify) for c in read]
    return correct(merged, "".join(simplified(c, simplify) for c in read)).chars


def variants_merged(char: ReadChar, simplify: Simplify) -> Char:
    """The character believed as much as every form of it the recogniser saw at its place:
    绛 at 0.86 with 絳 at 0.11 is 绛 at 0.97, since the card prints no 絳."""
    if simplify(char.char) != char.char:
        return kept(char)
    others = sum(
        p for alt, p in char.alternatives if alt != char.char and simplify(alt) == char.char
    )
    return Char(char.char, min(1.0, char.prob + others), tuple(char.alternatives))


def simplified(char: ReadChar, simplify: Simplify) -> str:
    """The simplified form of a character when the recogniser considered it there."""
    simple = simplify(char.char)
    if len(simple) != 1 or simple == char.char or prob_of(char, simple) is None:
        return char.char
    return simple


# Pieces of the `仅供…使用` / `仅供办理…业务使用` line people write or stamp across a card's
# photocopy. A free-text value never prints them, so where one is read inside a value, the
# line crossed it: its characters are doubted (the value's text is left as read).
OVERLAY_PIECES = ("仅供", "使用", "业务使", "务使用", "办理")


def overlay_doubted(chars: Sequence[ReadChar]) -> tuple[Char, ...]:
    """`chars`, with any piece of a photocopy's `仅供…使用` line believed at most
    DISPUTED_CONFIDENCE."""
    text = text_of(chars)
    crossed: set[int] = set()
    for piece in OVERLAY_PIECES:
        start = text.find(piece)
        while start >= 0:
            crossed.update(range(start, start + len(piece)))
            start = text.find(piece, start + 1)
    return tuple(doubted(c) if i in crossed else kept(c) for i, c in enumerate(chars))


# The most an overlay line's start leaves after 仅供 at a value's end before the crop ends.
OVERLAY_TAIL = 4


def overlay_tail(chars: Sequence[ReadChar], words: frozenset[str]) -> int:
    """Where a `仅供…` line read at the end of a value starts, or the value's length.

    Only a short tail that holds none of the value's own `words` (号, 组, ...) and no digit is
    taken for the line's: a longer one may be the value's next line, read after the overlay.
    """
    text = text_of(chars)
    start = text.rfind(OVERLAY_PIECES[0])
    tail = text[start + len(OVERLAY_PIECES[0]) :]
    if start <= 0 or len(tail) > OVERLAY_TAIL:
        return len(text)
    if any(c.isdigit() or c in words for c in tail):
        return len(text)
    return start


# How an overlay line starts: a value never begins with these.
OVERLAY_START = ("仅供", "仅")


def overlay_span(chars: Sequence[ReadChar], end: str) -> tuple[int, int]:
    """Where a value that ends at its last `end` (an authority at 局) lies in `chars`, less
    the pieces of a photocopy's `仅供…使用` line read before its start or after that end.

    Only what the line put there is left out: a tail after `end` that holds one of its
    pieces, and the 仅 or 仅供 it starts with.
    """
    text = text_of(chars)
    start = next((len(head) for head in OVERLAY_START if text.startswith(head)), 0)
    stop = text.rfind(end) + len(end)
    if stop < len(end) or not any(piece in text[stop:] for piece in OVERLAY_PIECES):
        stop = len(text)
    return (start, stop) if stop - start >= 2 else (0, len(text))
