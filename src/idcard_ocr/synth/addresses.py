"""Addresses for synthetic cards: the region's name as the card prints it, then a street or
village tail sized so that the printed address wraps over one, two or three lines."""

from __future__ import annotations

import random
from collections.abc import Callable

from idcard_ocr.card.layout import ADDRESS_CHARS_PER_LINE
from idcard_ocr.card.regions import MUNICIPALITIES, Region

MAX_ADDRESS_CHARS = 3 * ADDRESS_CHARS_PER_LINE
# Share of addresses that wrap over 1, 2 and 3 lines.
LINE_WEIGHTS = (0.15, 0.65, 0.20)

_WORDS = "人民解放建设和平胜利幸福光明新华中山朝阳东风文化青年红旗团结振兴长江黄河滨江春晓金桥翠竹"
_ESTATES = ("花园", "小区", "新村", "家园", "公寓", "雅苑", "名都")

Part = Callable[[random.Random], str]

# Shares of the regions that can be printed without a level that are: a municipality without
# its 市 (上海徐汇区…), a county or county-level city without its prefecture (湖南省长沙县…),
# as demo and specimen cards print them. Together about a fifth of all addresses.
MUNICIPALITY_SHORT_SHARE = 0.5
COUNTY_SHORT_SHARE = 0.29


def printed_region_name(rng: random.Random, region: Region) -> str:
    """The region's name as this card prints it: in full, or without one level."""
    short = short_region_name(region)
    if short is None:
        return region.name
    municipal = region.province in MUNICIPALITIES
    share = MUNICIPALITY_SHORT_SHARE if municipal else COUNTY_SHORT_SHARE
    return short if rng.random() < share else region.name


def short_region_name(region: Region) -> str | None:
    """The region's name without one level (上海徐汇区, 湖南省长沙县), or None when no card
    prints it so (districts of prefecture cities, provinces, cities without counties)."""
    if region.province in MUNICIPALITIES and region.county:
        return region.province.removesuffix("市") + region.county
    if region.city and region.county.endswith(("县", "旗", "市")):
        return region.province + region.county
    return None


def _word(rng: random.Random) -> str:
    i = rng.randrange(0, len(_WORDS) - 1, 2)
    return _WORDS[i : i + 2]


def _urban_parts() -> tuple[Part, ...]:
    """Components of a town address, in printed order."""
    return (
        lambda r: _word(r) + "街道",
        lambda r: _word(r) + r.choice(("路", "街", "大道", "巷")),
        lambda r: f"{r.randint(1, 399)}号",
        lambda r: _word(r) + r.choice(_ESTATES),
        lambda r: f"{r.randint(1, 36)}栋",
        lambda r: f"{r.randint(1, 6)}单元",
        lambda r: f"{r.randint(1, 33)}{r.randint(1, 4):02d}室",
    )


def _rural_parts() -> tuple[Part, ...]:
    """Components of a village address, in printed order."""
    return (
        lambda r: _word(r) + r.choice(("镇", "乡")),
        lambda r: _word(r) + r.choice(("村", "村", "村委会", "村民委员会")),
        lambda r: f"{r.randint(1, 15)}组",
        lambda r: _word(r) + r.choice(("屯", "庄", "社")),
        lambda r: f"{r.randint(1, 120)}号",
    )


def generate_address(rng: random.Random, region_name: str) -> str:
    """`region_name` followed by a plausible tail; total length picks the line count."""
    lines = rng.choices((1, 2, 3), weights=LINE_WEIGHTS)[0]
    lines = max(lines, -(-(len(region_name) + 3) // ADDRESS_CHARS_PER_LINE))
    low = (lines - 1) * ADDRESS_CHARS_PER_LINE + 1
    high = min(lines * ADDRESS_CHARS_PER_LINE, MAX_ADDRESS_CHARS)
    target = rng.randint(max(low, len(region_name) + 3), max(high, len(region_name) + 3))
    parts = _urban_parts() if rng.random() < 0.6 else _rural_parts()
    address = region_name
    for part in parts:
        piece = part(rng)
        # A part that does not fit is left out; a later, shorter one may still fit.
        if len(address) + len(piece) <= target:
            address += piece
    return _pad(rng, address, target)


def _pad(rng: random.Random, address: str, target: int) -> str:
    """Finish with a (sub-)number so the address reaches its target length."""
    prefix = "附" if address.endswith("号") else ""
    digits = min(target - len(address) - len(prefix) - 1, 2 if prefix else 3)
    if digits < 1:
        return address
    return address + f"{prefix}{rng.randint(10 ** (digits - 1), 10**digits - 1)}号"
