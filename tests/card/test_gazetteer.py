"""Snapping misread place names and authorities to real ones, and leaving the rest alone."""

from __future__ import annotations

import time

import pytest

from idcard_ocr.card.gazetteer import snap_address, snap_authority
from idcard_ocr.card.regions import authority_for, current_counties


@pytest.mark.parametrize(
    ("reading", "snapped"),
    [
        ("广东省深川市南山区科技园南路18号", "广东省深圳市南山区科技园南路18号"),  # city
        ("广东首深圳市南山匹科技园南路18号", "广东省深圳市南山区科技园南路18号"),  # two edits
        ("云南省临仓市凤庆县凤山镇", "云南省临沧市凤庆县凤山镇"),
        ("广东省深圳市南区科技园", "广东省深圳市南山区科技园"),  # a dropped character
        ("北京市朝阳巨建国路88号", "北京市朝阳区建国路88号"),  # municipality, no repeated city
        ("湖北省仙姚市干河街道", "湖北省仙桃市干河街道"),  # county-level city under the province
        ("广东省东筦市虎门镇", "广东省东莞市虎门镇"),  # city without counties
        ("新疆维吾尔自冶区乌鲁木齐市天山区", "新疆维吾尔自治区乌鲁木齐市天山区"),
        ("上海市崇明县城桥镇", "上海市崇明县城桥镇"),  # historical and exact: kept
        ("四川省成都市温江县柳城镇", "四川省成都市温江县柳城镇"),
    ],
)
def test_snap_address_fixes_near_misses_and_keeps_the_rest(reading: str, snapped: str) -> None:
    assert snap_address(reading) == snapped


@pytest.mark.parametrize(
    "reading",
    [
        "广东省深圳市南山区科技园南路18号",  # already right
        "北京市朝阳区",
        "天津市滨海新区",
        "湖南省郴州地区资兴县",  # historical prefecture
        "",
        "今天天气很好",  # nothing close
        "广东省深圳市南山街道",  # 南山街道 is a street, not a misread 南山区
        "上海市崇明具城桥镇",  # 崇明县 (historical) and 崇明区 are equally close: no guess
        "河北省张家口市幸福路12号",  # no county read: none is conjured
        "重庆市幸福路12号",
    ],
)
def test_snap_address_leaves_correct_or_unrelated_text_alone(reading: str) -> None:
    assert snap_address(reading) == reading


def test_snap_address_keeps_every_real_prefix() -> None:
    for region in current_counties():
        reading = region.name + "幸福路12号"
        assert snap_address(reading) == reading


def test_snap_address_is_fast() -> None:
    readings = [r.name[:-2] + "囗" + r.name[-1] + "和平街3号" for r in current_counties()[::10]]
    snap_address(readings[0])  # builds the index once
    start = time.perf_counter()
    for reading in readings:
        snap_address(reading)
    assert (time.perf_counter() - start) / len(readings) < 0.002


@pytest.mark.parametrize(
    ("reading", "snapped"),
    [
        ("深圳市公安局南山分屈", "深圳市公安局南山分局"),
        ("深川市公安局南山分局", "深圳市公安局南山分局"),
        ("深圳市公女局南山分局", "深圳市公安局南山分局"),  # misread inside 公安局
        ("凤庆县公安扃", "凤庆县公安局"),
        ("广州市公安局天河区分居", "广州市公安局天河区分局"),  # the form with 区 is real too
        ("北京市公安局朝阳分局", "北京市公安局朝阳分局"),
    ],
)
def test_snap_authority_fixes_near_misses(reading: str, snapped: str) -> None:
    assert snap_authority(reading) == snapped


@pytest.mark.parametrize(
    "reading",
    [
        "广州市公安局天河区分局",
        "北京市公安局朝阳区分局",
        "义鸟市公安局",  # as close to 义乌市 as to 义马市: no guess
        "某某某",
        "",
        "公安局",
    ],
)
def test_snap_authority_leaves_correct_or_unrelated_text_alone(reading: str) -> None:
    assert snap_authority(reading) == reading


def test_snap_authority_keeps_every_real_authority() -> None:
    for region in current_counties():
        authority = authority_for(region)
        assert snap_authority(authority) == authority
