"""The real place names as cards print them, and the near misses the gazetteer offers."""

from __future__ import annotations

import pytest

from idcard_ocr.card.gazetteer import (
    address_matches,
    authority_matches,
    is_known_authority,
    names_bureau,
    per_name,
    short_form,
)
from idcard_ocr.card.regions import authority_for, current_counties


def exact(text: str) -> set[str]:
    return {m.name for m in address_matches(text) if m.edits == 0 and m.level == 3}


def near(text: str) -> set[str]:
    return {m.name for m in address_matches(text) if m.edits}


@pytest.mark.parametrize(
    ("reading", "county"),
    [
        ("上海徐汇区田林路100号", "上海徐汇区"),  # municipality without 市
        ("北京海淀区双榆树东里", "北京海淀区"),
        ("北京延庆区八达岭镇", "北京延庆区"),
        ("湖南省长沙县星沙镇", "湖南省长沙县"),  # the city left out
        ("河南省开封县朱仙镇", "河南省开封县"),  # historical, city left out
        ("上海市徐汇区田林路", "上海市徐汇区"),
        ("深圳市南山区科技园", "深圳市南山区"),  # the province left out
        ("广东深圳市南山区", "广东深圳市南山区"),  # a province without 省
        ("新疆乌鲁木齐市天山区", "新疆乌鲁木齐市天山区"),
        ("河北省承德市围场满族蒙古族自治县金车路", "河北省承德市围场满族蒙古族自治县"),
    ],
)
def test_printed_forms_without_a_level_are_real_names(reading: str, county: str) -> None:
    assert county in exact(reading)


def test_every_real_county_is_read_exactly() -> None:
    for region in current_counties():
        found = {m.name for m in address_matches(region.name + "幸福路12号") if m.edits == 0}
        assert region.name in found


@pytest.mark.parametrize(
    ("reading", "offered"),
    [
        ("广东省深川市南山区科技园", "广东省深圳市南山区"),
        ("云南省临仓市凤庆县凤山镇", "云南省临沧市凤庆县"),
        ("广东省深圳市南区科技园", "广东省深圳市南山区"),
        ("湖北省仙姚市干河街道", "湖北省仙桃市"),
        ("新疆维吾尔自冶区乌鲁木齐市天山区", "新疆维吾尔自治区乌鲁木齐市天山区"),
        ("广东首深圳市南山区", "广东省深圳市南山区"),
    ],
)
def test_near_misses_are_offered(reading: str, offered: str) -> None:
    assert offered in near(reading)


@pytest.mark.parametrize(
    "reading",
    [
        "广东省深圳市南山街道",  # 南山街道 is a street, not a misread 南山区
        "河北省张家口市幸福路12号",  # no county read: none is conjured
        "今天天气很好",
        "",
    ],
)
def test_streets_and_unrelated_text_offer_no_county(reading: str) -> None:
    assert not {m for m in address_matches(reading) if m.level == 3 and m.edits}


def test_a_county_near_one_of_another_city_is_not_offered_when_the_city_is_left_out() -> None:
    # 长沙具 is as near 长沙县 (city left out) as 长沙市: only the city is offered, and the
    # evidence must decide (card.places).
    assert near("湖南省长沙具星沙镇") == {"湖南省长沙市"}


def test_short_forms() -> None:
    assert short_form("上海市") == "上海"
    assert short_form("广东省") == "广东"
    assert short_form("广西壮族自治区") == "广西"


def authorities_near(reading: str) -> set[str]:
    return {m.name for m in per_name(authority_matches(reading)) if m.edits}


@pytest.mark.parametrize(
    ("reading", "offered"),
    [
        ("深圳市公安局南山分屈", "深圳市公安局南山分局"),
        ("深川市公安局南山分局", "深圳市公安局南山分局"),
        ("深圳市公女局南山分局", "深圳市公安局南山分局"),  # misread inside 公安局
        ("凤庆县公安扃", "凤庆县公安局"),
        ("广州市公安局天河区分居", "广州市公安局天河区分局"),
        ("井县公安局", "井陉县公安局"),
        ("井经县公安局", "井陉县公安局"),
        ("井经县公安局", "荥经县公安局"),
    ],
)
def test_near_authorities_are_offered(reading: str, offered: str) -> None:
    assert offered in authorities_near(reading)


@pytest.mark.parametrize("reading", ["某某某", "", "公安局"])
def test_unrelated_text_offers_no_authority(reading: str) -> None:
    assert not authorities_near(reading)


def test_every_real_authority_is_known() -> None:
    for region in current_counties():
        assert is_known_authority(authority_for(region)), region.name
    assert is_known_authority("广州市公安局天河区分局")  # the form with 区 is printed too
    assert not is_known_authority("井县公安局")


@pytest.mark.parametrize(
    ("text", "bureau"),
    [
        ("凤庆县公安局", True),
        ("上海市公安局徐汇分局", True),
        ("井县公安局", True),  # shaped like one: the contract cannot know every bureau
        ("3室", False),
        ("北京市朝阳区", False),
        ("公安局", False),
        ("", False),
    ],
)
def test_names_bureau(text: str, bureau: bool) -> None:
    assert names_bureau(text) is bureau
