"""Correcting the place names read: an address's leading province, city and county, and the
issuing authority.

The gazetteer offers the real names near the reading; the recogniser's evidence picks one, or
none (`card.correction`). On the front the number's region digits weigh in: they usually,
not always, name the holder's county, so a near miss naming it is the likelier one, and a
snap into another province needs the recogniser's own strong support.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from idcard_ocr.card import gazetteer
from idcard_ocr.card.correction import (
    Correction,
    chosen,
    correct,
    doubted,
    settled,
    standardised,
)
from idcard_ocr.card.reading import CONFIDENT, Char, ReadChar, Simplify, kept, text_of
from idcard_ocr.card.regions import regions_of

# A near miss naming the county of the number's region code is this much more likely.
REGION_WEIGHT = 4.0
# A snap into another province than the number's needs every character it puts in to be
# among the recogniser's alternatives with at least this probability.
STRONG_EVIDENCE = 0.2
LEVELS = 3  # province, city, county: corrected one at a time
# A doubted character the gazetteer confirms is believed as if read confidently.
CONFIRMED_CONFIDENCE = CONFIDENT


@dataclass(frozen=True)
class Home:
    """Where the number says the holder was first registered, as names."""

    provinces: frozenset[str]
    counties: frozenset[tuple[str, str]]  # (province, county)

    @classmethod
    def of(cls, number: str) -> Home:
        """The provinces and counties the number's first six digits stand or stood for."""
        code = number[:6] if len(number) >= 6 and number[:6].isdigit() else ""
        counties = regions_of(code) if code else ()
        provinces = regions_of(code[:2] + "0000") if code else ()
        return cls(
            frozenset(r.province for r in (*provinces, *counties) if r.province),
            frozenset((r.province, r.county) for r in counties if r.county),
        )


def correct_address(read: Sequence[ReadChar], simplify: Simplify, number: str) -> tuple[Char, ...]:
    """The address, simplified where the recogniser saw it so, with near misses of its leading
    names replaced by the real ones, a level at a time, while the evidence picks one.

    Names read as printed stay as they are, and are believed (`confirmed`); an address no
    real place begins is disputed (`checked_start`).
    """
    home = Home.of(number)
    chars: Sequence[ReadChar] = standardised(read, simplify)
    for _ in range(LEVELS):
        matches = gazetteer.address_matches(text_of(chars))
        options = address_options(chars, matches, home)
        best = chosen(options)
        if best is None:
            chars = settled(chars, options)
            break
        chars = best.chars
        matches = gazetteer.address_matches(text_of(chars))
    exact = exact_prefix(matches)
    if exact is None:
        return checked_start(chars)
    return confirmed(read, chars, gazetteer.confirmed_address(exact))


def exact_prefix(matches: Sequence[gazetteer.Match]) -> gazetteer.Match | None:
    """The longest real name the address begins with, exactly as read."""
    return max((m for m in matches if m.edits == 0), key=lambda m: m.length, default=None)


def checked_start(chars: Sequence[ReadChar]) -> tuple[Char, ...]:
    """The address, its first character disputed when no real place begins it.

    Cards print the address from the province (or municipality, or city) down: one that
    starts elsewhere has lost its start (a line not read), however surely the rest was read.
    """
    if not chars:
        return ()
    return (doubted(chars[0]), *(kept(c) for c in chars[1:]))


def confirmed(
    read: Sequence[ReadChar], chars: Sequence[ReadChar], unrivalled: frozenset[int]
) -> tuple[Char, ...]:
    """`chars`, a doubted character read so and left so believed as if read confidently where
    the gazetteer confirms it: the text is a real name, and no other real name has another
    character there. A corrected or disputed character keeps the belief it was given."""
    if len(chars) != len(read):
        return tuple(kept(c) for c in chars)
    return tuple(
        Char(c.char, max(c.prob, CONFIRMED_CONFIDENCE), tuple(c.alternatives))
        if i in unrivalled and (c.char, c.prob) == (r.char, r.prob)
        else kept(c)
        for i, (c, r) in enumerate(zip(chars, read, strict=True))
    )


def address_options(
    read: Sequence[ReadChar], matches: Sequence[gazetteer.Match], home: Home
) -> list[Correction]:
    """The corrections the gazetteer's near misses make, weighed by the number's region.

    What was read right stays: a correction may only go on from the longest exact prefix,
    and there is none to make once the county was read right.
    """
    text = text_of(read)
    exact = exact_prefix(matches)
    if exact is not None and exact.level == 3:
        return []
    near = [
        m
        for m in matches
        if m.edits and (exact is None or (m.name.startswith(exact.name) and m.level > exact.level))
    ]
    options = (weigh(correct(read, m.name + text[m.length :]), m, home) for m in near)
    return [option for option in options if option is not None]


def weigh(option: Correction, match: gazetteer.Match, home: Home) -> Correction | None:
    """The option with the number's evidence: more likely in its county, and dropped when it
    leaves the number's province on anything less than the recogniser's strong support."""
    option = replace(option, explained=match.length)
    if home.provinces and match.province not in home.provinces:
        return option if option.strongly_evidenced(STRONG_EVIDENCE) else None
    if (match.province, match.county) in home.counties:
        return replace(option, weight=REGION_WEIGHT)
    return option


def correct_authority(read: Sequence[ReadChar], simplify: Simplify) -> tuple[Char, ...]:
    """The authority, simplified where the recogniser saw it so, with a near miss of a real
    bureau's name replaced by it when the evidence picks one; the whole reading must be close
    to the real name. A real one read as printed is believed where no other real one differs
    from it (`confirmed`)."""
    chars = standardised(read, simplify)
    text = text_of(chars)
    if gazetteer.is_known_authority(text):
        return confirmed(read, chars, gazetteer.confirmed_authority(text))
    matches = gazetteer.per_name(gazetteer.authority_matches(text))
    return settled(chars, [correct(chars, m.name) for m in matches])
