"""Real place names as cards print them, and the near misses of a reading among them: an
address's leading province, city and county, and the issuing authority on the back.

Only near misses are offered (at most one edit per four characters of the real name, never
more than two), only names that exist or existed, and only the name itself: the rest of the
text stays as read. Which near miss, if any, replaces the reading is for the evidence to say
(`card.places`).

Cards print levels as they were issued: `上海徐汇区` without 市, `湖南省长沙县` without the
city, so a name read exactly in such a form is a real name too.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from itertools import combinations

from rapidfuzz.distance import Levenshtein

from idcard_ocr.card.regions import MUNICIPALITIES, Region, all_regions, authority_for, is_district

MAX_EDITS = 2
# Address words that no OCR confusion turns into an administrative name: a stretch of the
# reading holding one of them is a street or village, not a misread county.
ADDRESS_WORDS = frozenset("街道路镇乡村号巷弄组栋室")
BUREAU = "公安局"
# How cards name the autonomous regions when they leave the level out.
SHORT_PROVINCES = {
    "内蒙古自治区": "内蒙古",
    "广西壮族自治区": "广西",
    "西藏自治区": "西藏",
    "宁夏回族自治区": "宁夏",
    "新疆维吾尔自治区": "新疆",
}
# A public security bureau, or one of its district branches, as the contract accepts it.
BUREAU_RE = re.compile(r"[\u4e00-\u9fff]{2,}公安局(?:[\u4e00-\u9fff]+分局)?")

# province → city ("" under municipalities and for directly administered counties) → counties
Tree = dict[str, dict[str, frozenset[str]]]


@dataclass(frozen=True)
class Match:
    """A real name in the form read, how many characters of the reading it stands for, and at
    what cost; for an address, also its parts: the province named and as printed (form), the
    city and county printed ("" where the card leaves a level out)."""

    name: str
    level: int  # address: 3 down to the county, 2 the city, 1 the province; authority: 0
    length: int
    edits: int
    province: str = ""
    form: str = ""
    city: str = ""
    county: str = ""


def budget(name: str) -> int:
    """Edits allowed when matching `name`: one per four characters, at most two."""
    return min(MAX_EDITS, len(name) // 4)


def part_edits(part: str) -> int:
    """Edits one part of a name (a county, an authority's head) may take: one, two from six
    characters, so that a two-character county (蔚县) is never conjured out of two others."""
    return max(1, min(MAX_EDITS, len(part) // 3))


def per_name(matches: Iterable[Match]) -> list[Match]:
    """Each name once, with its best alignment: fewest edits, then the reading's own length."""
    best: dict[str, Match] = {}
    for m in matches:
        if m.name not in best or cost(m) < cost(best[m.name]):
            best[m.name] = m
    return list(best.values())


def cost(match: Match) -> tuple[int, int, int]:
    """Edits, then how far the stretch read is from the name's own length, then the deeper
    level (石河子市 is a city and, now, a county)."""
    return match.edits, abs(match.length - len(match.name)), -match.level


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


@cache
def province_counties(province: str) -> frozenset[str]:
    """Every county of a province, under whichever city: for addresses that skip the city."""
    return frozenset().union(*address_tree()[province].values())


@cache
def city_provinces() -> dict[str, tuple[str, ...]]:
    """The provinces each city name belongs to: for addresses that skip the province."""
    found: defaultdict[str, list[str]] = defaultdict(list)
    for province, cities in address_tree().items():
        for city in cities:
            if city:
                found[city].append(province)
    return {city: tuple(ps) for city, ps in found.items()}


def after_a_stray_start(text: str) -> bool:
    """Whether `text` is one character and then a province named in full (`上山东省…`).

    No card prints anything before the province: that character is what a crop kept of the
    label (the 止 of 住址, read 上). Full names only: 湖北京山市 is 湖北 and 京山市.
    """
    rest = text[1:]
    return any(rest.startswith(p) for p in address_tree()) and not any(
        text.startswith(p) for p in province_forms()
    )


def short_form(province: str) -> str:
    """The province as cards print it without its level: 上海, 广东, 新疆."""
    if province in SHORT_PROVINCES:
        return SHORT_PROVINCES[province]
    return province.removesuffix("省").removesuffix("市") or province


def address_matches(text: str) -> list[Match]:
    """The real prefixes the reading's start may stand for, each name once, within budget."""
    return [m for m in per_name(prefix_matches(text)) if acceptable(m, text)]


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

    The province is read in full or short form, or left out before a city read exactly; the
    city may be left out before a county. Below the province only exact matches are followed
    when there are any: a fuzzy alternative could only overrule what was read correctly.
    """
    tree = address_tree()
    matches: list[Match] = []
    for province, form, p_len, p_edits in province_matches(text):
        if form:
            matches.append(Match(form, 1, p_len, p_edits, province, form))
        for city, c_len, c_edits in matching(tree[province], text, p_len, p_edits, bool(form)):
            prefix, end, spent = form + city, p_len + c_len, p_edits + c_edits
            if city:
                matches.append(Match(prefix, 2, end, spent, province, form, city))
            for county, k_len, k_edits in county_matches(province, city, text, end, spent):
                matches.append(
                    Match(
                        prefix + county,
                        3,
                        end + k_len,
                        spent + k_edits,
                        province,
                        form,
                        city,
                        county,
                    )
                )
    return matches


def province_matches(text: str) -> list[tuple[str, str, int, int]]:
    """(province, form, length, edits) read at the start: a full or short name exactly, else
    (or to fix a short name's level: 广东首) a full name nearly; or no province (form "")
    before a city read exactly."""
    tree = address_tree()
    exact = [
        (province, form, len(form), 0)
        for province in tree
        for form in {province, short_form(province)}
        if text.startswith(form)
    ]
    fuzzy = [
        (province, province, length, edits)
        for province in {p for p, *_ in exact} or tree
        for length, edits in near(province, text, 0, MAX_EDITS)
        if edits
    ]
    skipped = [
        (province, "", 0, 0)
        for city, provinces in city_provinces().items()
        if text.startswith(city)
        for province in provinces
    ]
    return exact + fuzzy + skipped


def county_matches(
    province: str, city: str, text: str, start: int, used: int
) -> list[tuple[str, int, int]]:
    """(county, length, edits) read at `start` under `city`; with no city read, a county of
    the province read exactly (湖南省长沙县: the card leaves the city out), else one directly
    under the province (湖北省仙桃市) read exactly or nearly.

    A county near one of another city is not looked for there: 长沙具 is as near 长沙县 as
    长沙市, and only the reading's own evidence may tell them apart.
    """
    counties = address_tree()[province]
    if city:
        return matching(counties[city], text, start, used, False)
    exact = [(n, len(n), 0) for n in province_counties(province) if text.startswith(n, start)]
    return exact or matching(counties.get("", frozenset()), text, start, used, False)


def matching(
    names: Iterable[str], text: str, start: int, used: int, skip: bool
) -> list[tuple[str, int, int]]:
    """(name, length, edits) of the names read at `start`: the exact ones if any, else the near.

    With `skip`, the empty name (no city level: municipalities, directly administered
    counties, a city the card leaves out) matches too, taking nothing.
    """
    exact = [(n, len(n), 0) for n in names if n and text.startswith(n, start)]
    if exact:
        return [*exact, ("", 0, 0)] if skip and "" in names else exact
    fuzzy = [
        (n, length, edits)
        for n in names
        if n
        for length, edits in near(n, text, start, MAX_EDITS - used)
    ]
    return [*fuzzy, ("", 0, 0)] if skip else fuzzy


def near(name: str, text: str, start: int, allowed: int) -> list[tuple[int, int]]:
    """(length, edits) of each stretch of `text` from `start` that `name` matches within budget."""
    allowed = min(allowed, part_edits(name))
    window = text[start : start + len(name) + allowed]
    if allowed <= 0 or sum(char in window for char in name) < len(name) - allowed:
        return []  # too few of its characters are there: not worth aligning
    found = []
    for length in range(max(1, len(name) - allowed), len(window) + 1):
        edits = Levenshtein.distance(name, window[:length], score_cutoff=allowed)
        if edits <= allowed:
            found.append((length, edits))
    return found


# --- confirming what was read ----------------------------------------------------------------
def unrivalled(part: str, rivals: Iterable[str]) -> set[int]:
    """Positions of `part` where no other real name differs from it by that character alone:
    a doubted character there could not have been another and still make a real name."""
    same = [r for r in rivals if len(r) == len(part) and r != part]
    return {
        i
        for i in range(len(part))
        if not any(r[:i] == part[:i] and r[i + 1 :] == part[i + 1 :] for r in same)
    }


@cache
def province_forms() -> frozenset[str]:
    return frozenset(f for p in address_tree() for f in (p, short_form(p)))


def confirmed_address(match: Match) -> frozenset[int]:
    """Positions of an exactly read address prefix whose character no other real name under
    the same parent could take: the province among provinces, the city among its province's
    cities, the county among its city's (or province's) counties."""
    cities = address_tree()[match.province]
    counties = cities[match.city] if match.city else province_counties(match.province)
    parts = ((match.form, province_forms()), (match.city, cities), (match.county, counties))
    found: set[int] = set()
    offset = 0
    for part, rivals in parts:
        found |= {offset + i for i in unrivalled(part, rivals)}
        offset += len(part)
    return frozenset(found)


def confirmed_authority(text: str) -> frozenset[int]:
    """Positions of a known authority whose character no other real authority could take."""
    head, bureau, tail = text.partition(BUREAU)
    index = authorities()
    deleted = {head[:i] + head[i + 1 :] for i in range(len(head))}
    near = {h for d in deleted for h in index.by_deletion.get(d, ())}
    heads = unrivalled(head, {h for h in near if tail in index.tails[h]})  # whole authorities
    tails = unrivalled(tail, index.tails.get(head, frozenset()))
    after = len(head) + len(bureau)
    return frozenset({*heads, *range(len(head), after), *(after + i for i in tails)})


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


def is_known_authority(text: str) -> bool:
    """Whether `text` is a real authority in one of the forms cards print."""
    head, bureau, tail = text.partition(BUREAU)
    return bool(bureau) and tail in authorities().tails.get(head, frozenset())


def names_bureau(text: str) -> bool:
    """Whether `text` names a public security bureau: shaped like one, or a known one."""
    return bool(BUREAU_RE.fullmatch(text)) or is_known_authority(text)


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
            used = split_edits + Levenshtein.distance(head, head_read)
            tails = {tail_read} & index.tails[head] or index.tails[head]
            for tail in tails:
                name = head + BUREAU + tail
                edits = used + Levenshtein.distance(tail, tail_read)
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
