"""GB/T 2260 region codes, current and historical, and the names and authorities they stand for.

The table `data/regions.tsv` holds one row per period of a code (a code can be renamed, or
abolished and later reused), so a number keeps meaning where it was first issued even after
its county was renamed, merged or abolished.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from importlib import resources

# Grouping codes that are not places of their own: they never appear in an address.
PLACEHOLDERS = frozenset(
    {"市辖区", "县", "市", "市区", "省直辖县级行政单位", "自治区直辖县级行政单位", "省直辖行政单位"}
)
MUNICIPALITIES = frozenset({"北京市", "天津市", "上海市", "重庆市"})
OPEN = 9999  # end year of a period still in force
BEFORE_LISTS = 0  # start year of a period already in force when the lists began (1980)


@dataclass(frozen=True)
class Region:
    """A region as an address names it: `name` is province + city + county, without repeats."""

    code: str
    name: str
    province: str
    city: str
    county: str
    historical: bool


@dataclass(frozen=True)
class Period:
    """One row of the table: a code's name from `start` to `end` (years, inclusive)."""

    code: str
    name: str
    start: int
    end: int

    @property
    def current(self) -> bool:
        return self.end == OPEN

    def overlaps(self, other: Period) -> bool:
        return self.start <= other.end and other.start <= self.end


@cache
def periods() -> dict[str, tuple[Period, ...]]:
    """Every code's periods, oldest first, read once from the packaged table."""
    table: defaultdict[str, list[Period]] = defaultdict(list)
    text = resources.files(__package__).joinpath("data/regions.tsv").read_text(encoding="utf-8")
    rows = csv.DictReader(
        (line for line in text.splitlines() if not line.startswith("#")), delimiter="\t"
    )
    for row in rows:
        start = int(row["start_year"] or BEFORE_LISTS)
        end = int(row["end_year"] or OPEN)
        # A few source periods end the year before they start; read them as one year.
        table[row["code"]].append(Period(row["code"], row["name"], min(start, end), end))
    return {code: tuple(sorted(ps, key=lambda p: p.start)) for code, ps in table.items()}


def level_of(code: str) -> int:
    """1 for a province, 2 for a prefecture, 3 for a county-level code."""
    if code.endswith("0000"):
        return 1
    return 2 if code.endswith("00") else 3


def lookup(code: str, *, year: int | None = None) -> Region | None:
    """The region a 6-digit code stands (or stood) for, at any level; None if it never existed.

    Without `year` the current period wins, else the latest; with `year` (e.g. the birth
    year) the period in force then, falling back to the same choice. `historical` says the
    chosen period has ended.
    """
    found = periods().get(code)
    if found is None:
        return None
    return region_of(pick(found, year))


def regions_of(code: str) -> tuple[Region, ...]:
    """Every region a code has stood for, one per period, oldest first (none if it never
    existed): what a number's region digits may mean."""
    return tuple(region_of(period) for period in periods().get(code, ()))


def pick(candidates: tuple[Period, ...], year: int | None) -> Period:
    """The period in force in `year` if any, else the current one, else the latest."""
    if year is not None:
        for period in reversed(candidates):
            if period.start <= year <= period.end:
                return period
    current = [p for p in candidates if p.current]
    return current[-1] if current else max(candidates, key=lambda p: p.end)


def parent(code: str, level: int, child: Period) -> str:
    """The name of `code`'s province (level 1) or prefecture (level 2) while `child` was in force.

    Placeholders and missing parents give "", so they never enter an address.
    """
    key = code[:2] + "0000" if level == 1 else code[:4] + "00"
    candidates = periods().get(key, ())
    overlapping = [p for p in candidates if p.overlaps(child)] or list(candidates)
    # The parent's name when the child's period ended, the most recent one on ties.
    chosen = max(overlapping, key=lambda p: (p.start <= child.end <= p.end, p.start), default=None)
    if chosen is None or chosen.name in PLACEHOLDERS:
        return ""
    return chosen.name


def region_of(period: Period) -> Region:
    """The Region of one period, with its parents' names of the same time."""
    level = level_of(period.code)
    own = "" if period.name in PLACEHOLDERS else period.name
    province = own if level == 1 else parent(period.code, 1, period)
    city = own if level == 2 else (parent(period.code, 2, period) if level == 3 else "")
    county = own if level == 3 else ""
    name = province + city + county
    return Region(period.code, name, province, city, county, historical=not period.current)


@cache
def all_regions() -> tuple[Region, ...]:
    """One Region per distinct name a code ever had (current and historical), sorted by code."""
    regions = {region_of(p) for ps in periods().values() for p in ps}
    return tuple(sorted(regions, key=lambda r: (r.code, r.name)))


@cache
def current_counties() -> tuple[Region, ...]:
    """Every county-level region in force now, sorted by code, for the renderer to draw from.

    Prefecture-level cities without counties (东莞市, 中山市, 儋州市, 嘉峪关市) are included:
    they issue cards as a county would, and their numbers carry the city's own code.
    """
    in_force = {code: p for code, ps in periods().items() for p in ps if is_place_in_force(p)}
    with_counties = {code[:4] for code in in_force if level_of(code) == 3}
    chosen = [
        region_of(p)
        for code, p in sorted(in_force.items())
        if level_of(code) == 3 or (level_of(code) == 2 and code[:4] not in with_counties)
    ]
    return tuple(chosen)


def is_place_in_force(period: Period) -> bool:
    """A period still in force that names a real place, not a grouping placeholder."""
    return period.current and period.name not in PLACEHOLDERS


def authority_for(region: Region) -> str:
    """The public security bureau that issues cards for `region`, as printed on the back.

    A district of a prefecture-level city: 深圳市公安局南山分局; of a municipality:
    北京市公安局朝阳分局; a county, county-level city or banner: 凤庆县公安局; a city without
    counties: 东莞市公安局; a municipality itself: 北京市公安局; another province: its 公安厅.
    """
    if region.county:
        seat = region.city or (region.province if region.province in MUNICIPALITIES else "")
        if seat and is_district(region.county):
            return f"{seat}公安局{district_short(region.county)}分局"
        return f"{region.county}公安局"
    if region.city:
        return f"{region.city}公安局"
    if region.province in MUNICIPALITIES:
        return f"{region.province}公安局"
    return f"{region.province}公安厅"


def is_district(county: str) -> bool:
    """A city district (区), as opposed to a county, a county-level city or a 特区/林区."""
    return county.endswith("区") and not county.endswith(("特区", "林区"))


def district_short(county: str) -> str:
    """The district's name as its 分局 carries it: 南山区→南山, 浦东新区→浦东.

    Names that would be left with one character or end in 矿 keep 区 (城区, 井陉矿区).
    """
    for suffix in ("新区", "区"):
        short = county.removesuffix(suffix)
        if short != county and len(short) >= 2 and not short.endswith("矿"):
            return short
    return county
