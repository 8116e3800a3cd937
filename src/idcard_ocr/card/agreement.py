"""Two readings of the same side, from two flattenings of the photo: where they agree, a
doubt one of them had is settled; where they disagree, the one chosen is doubted there.

The engine reads a doubtful card from a second outline and keeps the better reading. A field
both read alike carries, character by character, the surer of the two beliefs (one view
framed the line better), unless one of them nearly rejected the character (`_agreed`). A
reading that lost characters (a last address line, a character cut at a line's end) can look
the surer of the two: whatever is chosen, the characters the other reading read otherwise,
and the neighbours of what only the other reading saw, are
believed at most DISPUTED_CONFIDENCE: the caller must look. A difference counts only where the
other reading believed what it read there more than even odds: a character it read otherwise
at 50 or less (道 read 遵 at 47), or a gap beside a character it marked so (the end of a line
it read short, doubted for that), is its own doubt, not evidence against the chosen reading.
A character it read otherwise at 55 still counts (a 9 at 55 against a 0 at 92: the 9 was
right).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from rapidfuzz.distance import Levenshtein

from idcard_ocr.card.contract import SURE
from idcard_ocr.card.correction import DISPUTED_CONFIDENCE
from idcard_ocr.card.model import CardResult, Field
from idcard_ocr.card.reading import percent

# Dates carry one confidence per digit (and per character of 长期), not per separator.
SEPARATORS = frozenset("/.-")
DISPUTED = percent(DISPUTED_CONFIDENCE)
NEARLY_REJECTED = DISPUTED // 2
# Fields no other field of the side is checked against (the number checks the sex and the
# birth, the rules of issue the validity): only these are taken from another reading.
UNCHECKED = frozenset({"name", "nation", "address", "authority"})


def reconciled(chosen: CardResult, other: CardResult) -> CardResult:
    """`chosen`, each field `other` read alike as sure as the surer of the two (`_agreed`),
    each field it read differently doubted where they differ."""
    fields = {
        name: field if name not in other.fields else _reconciled(field, other.fields[name])
        for name, field in chosen.fields.items()
    }
    return CardResult(chosen.side, fields, chosen.warnings)


def completed(
    chosen: CardResult, missing: Iterable[str], others: Sequence[Mapping[str, Field]]
) -> CardResult | None:
    """`chosen` with each `missing` field taken from the other readings that read it whole
    (`others` hold only their well-formed fields): the surest of them, doubted where another
    read it otherwise at SURE or more. None when a missing field is one other fields are
    checked against, or no other reading has it whole.

    One flattening of a photo reads one field (a name beside a second script's line) that
    another cuts or misplaces, and the other way round; each reading alone is refused."""
    fields = dict(chosen.fields)
    for name in missing:
        read = [other[name] for other in others if name in other]
        if name not in UNCHECKED or not read:
            return None
        surest = max(read, key=_least)
        field = surest
        for other in read:
            if other is not surest and _least(other) >= SURE:
                field = _reconciled(field, other)
        fields[name] = field
    return CardResult(chosen.side, fields, chosen.warnings)


def _agreed(mine: int, theirs: int) -> int:
    """The belief in a character two readings read alike: the surer one's, unless either
    believed it NEARLY_REJECTED or less (it saw another character as likely); then the mean.
    Hard card 160's 江, read 工 at 92 by one outline and at 15 by the other, came back sure;
    a right character so doubted by one outline (hard card 78's 霞, 97 and 20) is the price."""
    if min(mine, theirs) > NEARLY_REJECTED:
        return max(mine, theirs)
    return (mine + theirs) // 2


def _least(field: Field) -> int:
    return min(field.confidence, default=0)


def _reconciled(field: Field, other: Field) -> Field:
    if field.text == other.text:
        if len(field.confidence) != len(other.confidence):
            return field
        return Field(field.text, tuple(map(_agreed, field.confidence, other.confidence)))
    mine, theirs = _scored(field.text), _scored(other.text)
    confidence = list(field.confidence)
    if len(mine) != len(confidence):
        return Field(field.text, tuple(min(c, DISPUTED) for c in confidence))
    for op in Levenshtein.opcodes(mine, theirs):
        if op.tag == "equal" or not _evidence_there(other, len(theirs), op.dest_start, op.dest_end):
            continue
        if op.src_start == op.src_end:  # only the other read something here: both neighbours
            touched = range(op.src_start - 1, op.src_start + 1)
        else:
            touched = range(op.src_start, op.src_end)
        for i in touched:
            if 0 <= i < len(confidence):
                confidence[i] = min(confidence[i], DISPUTED)
    return Field(field.text, tuple(confidence))


def _evidence_there(other: Field, length: int, start: int, end: int) -> bool:
    """Whether `other` believed its characters start:end more than even odds (some above
    DISPUTED), or, where it read nothing, both neighbours of the gap. A field whose
    confidences do not match its characters one to one is taken as evidence."""
    confidence = other.confidence
    if len(confidence) != length:
        return True
    if end > start:
        return max(confidence[start:end]) > DISPUTED
    return all(confidence[i] > DISPUTED for i in (start - 1, start) if 0 <= i < length)


def _scored(text: str) -> str:
    """The characters of a value that carry a confidence each."""
    return "".join(c for c in text if c not in SEPARATORS)
