"""Correcting misread place names against the real ones: an address's leading province, city
and county, and the issuing authority on the back.

Only near misses are corrected (at most one edit per four characters of the real name, never
more than two), only to names that exist or existed, and only the name itself: the rest of the
text stays exactly as read. When two real names are equally close, nothing is guessed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from itertools import combinations

from idcard_ocr.card.regions import MUNICIPALITIES, Region, all_regions, authority_for, is_district

MAX_EDITS = 2
# Address words that no OCR confusion turns into an administrative name: a stretch of the
# reading holding one of them is a street or village, not a misread county.
ADDRESS_WORDS = frozenset("街道路镇乡村号巷弄组栋室")
BUREAU = "公安局"

# province → city ("" under municipalities and for directly administered counties) → counties
Tree = dict[str, dict[str, frozenset[str]]]


@dataclass(frozen=True)
class Match:
    """A real name, how many characters of the reading it stands for, and at what cost."""

    name: str
    level: int  # address: 3 down to the county, 2 the city, 1 the province; authority: 0
    length: int
    edits: int


def budget(name: str) -> int:
    """Edits allowed when matching `name`: one per four characters, at most two."""
    return min(MAX_EDITS, len(name) // 4)


def part_edits(part: str) -> int:
    """Edits one part of a name (a county, an authority's head) may take: one, two from six
    characters, so that a two-character county (蔚县) is never conjured out of two others."""
    return max(1, min(MAX_EDITS, len(part) // 3))


def prefix_distances(name: str, text: str) -> list[int]:
    """Levenshtein distance between `name` and each prefix text[:L], for L = 0..len(text)."""
    row = list(range(len(text) + 1))
    for i, char in enumerate(name, 1):
        prev, row[0] = row[0], i
        for j, other in enumerate(text, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (char != other))
    return row


def distance(a: str, b: str) -> int:
    """Levenshtein distance by character."""
    return prefix_distances(a, b)[-1]


def unique_best(matches: list[Match]) -> Match | None:
    """The match with the fewest edits if no other real name ties with it (one match a name)."""
    ranked = sorted(matches, key=lambda m: m.edits)
    if not ranked or (len(ranked) > 1 and ranked[1].edits == ranked[0].edits):
        return None
    return ranked[0]


# --- addresses -------------------------------------------------------------------------------
@cache
def address_tree() -> Tree:
    """Every province, city and county name, current and historical, as a tree of segments."""
    tree: defaultdict[str, defaultdict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for region in all_regions():
        if region.province:
            counties = tree[region.province][region.city]
            if region.county:
                counties.add(region.county)
    return {p: {c: frozenset(ks) for c, ks in cities.items()} for p, cities in tree.items()}


def snap_address(text: str) -> str:
    """The address with a near miss of its leading province/city/county replaced by the real one.

    The deepest level (county, then city, then province) that matches without a tie wins; an
    exact prefix, or a reading with nothing close, is returned unchanged.
    """
    match = best_prefix(text)
    if match is None or match.edits == 0:
        return text
    return match.name + text[match.length :]


def best_prefix(text: str) -> Match | None:
    """The real prefix to trust: an exact one at the deepest level, else a unique nearest."""
    # Judge each name by its best alignment only: a worse one must not slip past the checks.
    matches = [m for m in per_name(prefix_matches(text)) if acceptable(m, text)]
    read_right = max((m for m in matches if m.edits == 0), key=lambda m: m.length, default=None)
    if read_right is not None:
        # What was read right stays: a correction may only extend the longest exact prefix.
        matches = [m for m in matches if m.name.startswith(read_right.name)]
    for level in (3, 2, 1):
        found = [m for m in matches if m.level == level]
        exact = [m for m in found if m.edits == 0]
        best = max(exact, key=lambda m: m.length) if exact else unique_best(found)
        if best is not None:
            return best
    return None


def per_name(matches: Iterable[Match]) -> list[Match]:
    """Each name once, with its best alignment: fewest edits, then the reading's own length."""
    best: dict[str, Match] = {}
    for m in matches:
        if m.name not in best or cost(m) < cost(best[m.name]):
            best[m.name] = m
    return list(best.values())


def cost(match: Match) -> tuple[int, int]:
    """Edits, then how far the stretch read is from the name's own length."""
    return match.edits, abs(match.length - len(match.name))


def acceptable(match: Match, text: str) -> bool:
    """Within the name's budget, and not reaching into the street or village part.

    `南山街道` is a street, not a misread `南山区`: an address word inside the stretch read, or
    right after it (a county is followed by a town's name, not by 路 or 街), means the reading
    is not the name.
    """
    if match.edits == 0:
        return True
    read = text[: match.length + 1]
    words = any(char in ADDRESS_WORDS and char not in match.name for char in read)
    return match.edits <= budget(match.name) and not words


def prefix_matches(text: str) -> list[Match]:
    """Provinces, cities and counties matching the reading's start, level by level.

    At each level only exact matches are followed when there are any: a fuzzy alternative
    could only overrule what was read correctly.
    """
    matches: list[Match] = []
    tree = address_tree()
    for province, p_len, p_edits in matching(tree, text, 0, 0):
        matches.append(Match(province, 1, p_len, p_edits))
        for city, c_len, c_edits in matching(tree[province], text, p_len, p_edits):
            prefix, end, spent = province + city, p_len + c_len, p_edits + c_edits
            if city:
                matches.append(Match(prefix, 2, end, spent))
            for county, k_len, k_edits in matching(tree[province][city], text, end, spent):
                matches.append(Match(prefix + county, 3, end + k_len, spent + k_edits))
    return matches


def matching(names: Iterable[str], text: str, start: int, used: int) -> list[tuple[str, int, int]]:
    """(name, length, edits) of the names read at `start`: the exact ones if any, else the near.

    The empty name (no city level: municipalities, directly administered counties) always
    matches, taking nothing.
    """
    found = [(n, len(n), 0) for n in names if n and text.startswith(n, start)]
    if not found:
        found = [
            (n, length, edits)
            for n in names
            if n
            for length, edits in near(n, text, start, MAX_EDITS - used)
        ]
    return [*found, ("", 0, 0)] if "" in names else found


def near(name: str, text: str, start: int, allowed: int) -> list[tuple[int, int]]:
    """(length, edits) of each stretch of `text` from `start` that `name` matches within budget."""
    allowed = min(allowed, part_edits(name))
    if allowed <= 0:
        return []
    row = prefix_distances(name, text[start : start + len(name) + allowed])
    low = max(0, len(name) - allowed)
    return [(length, row[length]) for length in range(low, len(row)) if row[length] <= allowed]


# --- issuing authority -----------------------------------------------------------------------
@dataclass(frozen=True)
class Authorities:
    """Real authorities split at 公安局: each head (深圳市, 凤庆县) with its tails (南山分局, "")
    and a symmetric-deletion index (as in SymSpell) to find the heads near a misread one."""

    tails: dict[str, frozenset[str]]
    by_deletion: dict[str, tuple[str, ...]]

    def near_heads(self, head: str, allowed: int) -> set[str]:
        """Heads within `allowed` edits of `head` (and a few more, to be verified)."""
        found: set[str] = set()
        for variant in deletions(head, min(allowed, part_edits(head))):
            found.update(self.by_deletion.get(variant, ()))
        return found


def deletions(word: str, count: int) -> set[str]:
    """`word` with up to `count` characters deleted, never down to nothing."""
    found = {word}
    for removed in range(1, min(count, len(word) - 1) + 1):
        for kept in combinations(range(len(word)), len(word) - removed):
            found.add("".join(word[i] for i in kept))
    return found


@cache
def authorities() -> Authorities:
    """Every issuing authority, current and historical, in the forms cards print."""
    tails: defaultdict[str, set[str]] = defaultdict(set)
    for region in all_regions():
        for form in authority_forms(region):
            head, _, tail = form.partition(BUREAU)
            tails[head].add(tail)
    by_deletion: defaultdict[str, list[str]] = defaultdict(list)
    for head in tails:
        for variant in deletions(head, part_edits(head)):
            by_deletion[variant].append(head)
    return Authorities(
        {h: frozenset(ts) for h, ts in tails.items()},
        {v: tuple(hs) for v, hs in by_deletion.items()},
    )


def authority_forms(region: Region) -> set[str]:
    """authority_for's form, plus the variants cards also print (天河区分局, 密云县分局)."""
    forms = {authority_for(region)}
    seat = region.city or (region.province if region.province in MUNICIPALITIES else "")
    if region.county and seat and (is_district(region.county) or not region.city):
        forms.add(f"{seat}{BUREAU}{region.county}分局")
    return {form for form in forms if BUREAU in form}


def snap_authority(text: str) -> str:
    """The authority with a near miss of a real PSB name replaced by it; else unchanged.

    The whole reading (spaces trimmed) must be close to the real name; nothing is kept around.
    """
    reading = text.strip()
    matches = per_name(authority_matches(reading))
    if any(m.edits == 0 for m in matches):
        return text
    best = unique_best(matches)
    return text if best is None else best.name


def authority_matches(reading: str) -> list[Match]:
    """Real authorities within their budget of the whole reading.

    A head or tail read exactly as a real one is kept; only the others are searched.
    """
    index = authorities()
    matches = []
    for head_read, tail_read, split_edits in bureau_splits(reading):
        heads = {head_read} & index.tails.keys() or index.near_heads(
            head_read, MAX_EDITS - split_edits
        )
        for head in heads:
            used = split_edits + distance(head, head_read)
            tails = {tail_read} & index.tails[head] or index.tails[head]
            for tail in tails:
                name = head + BUREAU + tail
                edits = used + distance(tail, tail_read)
                if edits <= budget(name):
                    matches.append(Match(name, 0, len(reading), edits))
    return matches


def bureau_splits(reading: str) -> list[tuple[str, str, int]]:
    """(head, tail, edits) around 公安局 as read, or around a one-character misread of it."""
    at = reading.find(BUREAU)
    if at > 0:
        return [(reading[:at], reading[at + len(BUREAU) :], 0)]
    width = len(BUREAU)
    return [
        (reading[:i], reading[i + width :], 1)
        for i in range(1, len(reading) - width + 1)
        if sum(a != b for a, b in zip(reading[i : i + width], BUREAU, strict=True)) == 1
    ]
