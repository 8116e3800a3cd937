"""Synthetic identities agree with themselves: number, birth, sex, region, address, validity."""

from __future__ import annotations

import random
from collections import Counter

import pytest

from idcard_ocr.card import idnumber
from idcard_ocr.card.dates import age_on, validity_end, validity_years
from idcard_ocr.card.layout import ADDRESS_CHARS_PER_LINE
from idcard_ocr.card.nations import NATIONS
from idcard_ocr.card.regions import MUNICIPALITIES, authority_for, lookup
from idcard_ocr.synth.addresses import short_region_name
from idcard_ocr.synth.identity import REFERENCE_DAY, Identity, generate_identity
from idcard_ocr.synth.names import RARE_GIVEN

N = 1500


@pytest.fixture(scope="module")
def identities() -> list[Identity]:
    rng = random.Random(20240601)
    return [generate_identity(rng) for _ in range(N)]


def test_same_seed_same_identity() -> None:
    assert generate_identity(random.Random(5)) == generate_identity(random.Random(5))


def test_number_encodes_region_birth_and_sex(identities: list[Identity]) -> None:
    for person in identities:
        assert idnumber.is_valid(person.id_number), person.id_number
        info = idnumber.parse(person.id_number, today=REFERENCE_DAY)
        assert info is not None
        assert (info.region_code, info.birth, info.sex) == (
            person.region.code,
            person.birth,
            person.sex,
        )


def test_some_numbers_end_in_x(identities: list[Identity]) -> None:
    share = sum(p.id_number.endswith("X") for p in identities) / N
    assert 0.08 <= share <= 0.2


def test_address_starts_with_region_and_wraps_over_up_to_three_lines(
    identities: list[Identity],
) -> None:
    lines: Counter[int] = Counter()
    for person in identities:
        short = short_region_name(person.region)
        assert person.address.startswith(person.region.name) or (
            short is not None and person.address.startswith(short)
        ), person.address
        assert "\n" not in person.address
        assert len(person.address) <= 3 * ADDRESS_CHARS_PER_LINE
        lines[-(-len(person.address) // ADDRESS_CHARS_PER_LINE)] += 1
    assert lines[1] > 0
    assert 0.12 <= lines[3] / N <= 0.35


def test_authority_is_the_regions(identities: list[Identity]) -> None:
    for person in identities:
        assert person.authority == authority_for(person.region)


def test_validity_follows_the_age_rule(identities: list[Identity]) -> None:
    for person in identities:
        assert person.birth < person.valid_start <= REFERENCE_DAY
        years = validity_years(age_on(person.birth, person.valid_start))
        expected = None if years is None else validity_end(person.valid_start, years)
        assert person.valid_end == expected
    assert sum(p.valid_end is None for p in identities) / N >= 0.10


def test_names_cover_rare_characters_compound_surnames_and_minority_names(
    identities: list[Identity],
) -> None:
    names = [p.name for p in identities]
    assert all(2 <= len(name) <= 15 for name in names)
    assert 0.05 <= sum(any(c in RARE_GIVEN for c in n) for n in names) / N <= 0.15
    assert any(n.startswith(("欧阳", "司马")) for n in names)
    dotted = [p for p in identities if "·" in p.name]
    assert 0.06 <= len(dotted) / N <= 0.15
    assert {p.nation for p in dotted} <= {
        "维吾尔",
        "藏",
        "哈萨克",
        "乌孜别克",
        "柯尔克孜",
        "塔塔尔",
        "塔吉克",
        "门巴",
    }


def test_nations_are_mostly_han_and_all_valid(identities: list[Identity]) -> None:
    nations = Counter(p.nation for p in identities)
    assert set(nations) <= set(NATIONS)
    assert 0.6 <= nations["汉"] / N <= 0.75
    assert len(nations) >= 30
    assert {p.sex for p in identities} == {"男", "女"}


@pytest.mark.parametrize(
    ("code", "short"),
    [
        ("310104", "上海徐汇区"),
        ("110119", "北京延庆区"),
        ("430121", "湖南省长沙县"),
        ("330782", "浙江省义乌市"),
        ("330113", None),  # a district of a prefecture city keeps its city
    ],
)
def test_short_region_names_drop_one_level_as_demo_cards_do(code: str, short: str | None) -> None:
    region = lookup(code)
    assert region is not None
    assert short_region_name(region) == short


def test_a_fifth_of_addresses_are_printed_without_a_level(identities: list[Identity]) -> None:
    short = [p for p in identities if not p.address.startswith(p.region.name)]
    assert 0.14 <= len(short) / N <= 0.26
    for person in short:
        assert person.address.startswith(short_region_name(person.region) or "?"), person.address
    municipal = [p.address for p in short if p.region.province in MUNICIPALITIES]
    assert municipal, "no municipality printed without its 市"
    assert all(not address.startswith(tuple(MUNICIPALITIES)) for address in municipal)
