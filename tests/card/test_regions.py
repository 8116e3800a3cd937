"""GB/T 2260 codes: lookups at every level, history, full names and issuing authorities."""

from __future__ import annotations

import pytest

from idcard_ocr.card.regions import Region, all_regions, authority_for, current_counties, lookup


def test_lookup_county_of_a_prefecture_city() -> None:
    assert lookup("440305") == Region(
        "440305", "广东省深圳市南山区", "广东省", "深圳市", "南山区", False
    )


def test_lookup_municipality_district_does_not_repeat_the_city() -> None:
    region = lookup("110105")
    assert region is not None
    assert region.name == "北京市朝阳区"
    assert (region.province, region.city, region.county) == ("北京市", "", "朝阳区")


def test_lookup_province_directly_administered_county() -> None:
    region = lookup("429004")
    assert region is not None
    assert region.name == "湖北省仙桃市"
    assert region.city == ""


@pytest.mark.parametrize(
    ("code", "name"),
    [("440000", "广东省"), ("440300", "广东省深圳市"), ("110000", "北京市"), ("110100", "北京市")],
)
def test_lookup_upper_levels(code: str, name: str) -> None:
    region = lookup(code)
    assert region is not None
    assert region.name == name
    assert not region.historical


def test_lookup_abolished_code_is_historical() -> None:
    # 崇明县 became 崇明区 (310151) in 2016; cards issued there still carry 310230.
    region = lookup("310230")
    assert region is not None
    assert region.name == "上海市崇明县"
    assert region.historical


def test_lookup_reused_code_by_year() -> None:
    # 130123 was 栾城县 in 1986-1992 and is 正定县 since 1993.
    now = lookup("130123")
    then = lookup("130123", year=1990)
    assert now is not None and then is not None
    assert now.county == "正定县" and not now.historical
    assert then.county == "栾城县" and then.historical


def test_lookup_unknown_code() -> None:
    assert lookup("999999") is None
    assert lookup("") is None


def test_current_counties_are_current_real_places_sorted() -> None:
    counties = current_counties()
    codes = [r.code for r in counties]
    assert codes == sorted(codes)
    assert len(counties) > 2800
    assert all(not r.historical and r.name.startswith(r.province) for r in counties)
    assert not any(r.county in ("市辖区", "县") for r in counties)
    assert {"440305", "530921", "429004", "441900"} <= set(codes)
    assert "310230" not in codes


def test_all_regions_include_history() -> None:
    names = {r.name for r in all_regions()}
    assert {"上海市崇明县", "河北省石家庄市栾城县", "广东省深圳市南山区"} <= names


@pytest.mark.parametrize(
    ("code", "authority"),
    [
        ("440305", "深圳市公安局南山分局"),  # district of a prefecture-level city
        ("110105", "北京市公安局朝阳分局"),  # district of a municipality
        ("310115", "上海市公安局浦东分局"),  # 新区 drops both characters
        ("530921", "凤庆县公安局"),  # county
        ("330782", "义乌市公安局"),  # county-level city
        ("429004", "仙桃市公安局"),  # county-level city under the province
        ("140302", "阳泉市公安局城区分局"),  # a one-character stem keeps 区
        ("441900", "东莞市公安局"),  # city without counties
    ],
)
def test_authority_for(code: str, authority: str) -> None:
    region = lookup(code)
    assert region is not None
    assert authority_for(region) == authority
