"""The 56 nations and snapping readings to them."""

from __future__ import annotations

import pytest

from idcard_ocr.card.nations import EXTRA_NATIONS, NATIONS, snap_nation

# The list of domain-notes.md, in its order.
DOMAIN_NOTES = (
    "汉, 蒙古, 回, 藏, 维吾尔, 苗, 彝, 壮, 布依, 朝鲜, 满, 侗, 瑶, 白, 土家, 哈尼, 哈萨克, 傣, 黎, "
    "傈僳, 佤, 畲, 高山, 拉祜, 水, 东乡, 纳西, 景颇, 柯尔克孜, 土, 达斡尔, 仫佬, 羌, 布朗, 撒拉, "
    "毛南, 仡佬, 锡伯, 阿昌, 普米, 塔吉克, 怒, 乌孜别克, 俄罗斯, 鄂温克, 德昂, 保安, 裕固, 京, "
    "塔塔尔, 独龙, 鄂伦春, 赫哲, 门巴, 珞巴, 基诺"
)


def test_all_56_nations_in_order() -> None:
    assert len(NATIONS) == 56 == len(set(NATIONS))
    assert tuple(DOMAIN_NOTES.split(", ")) == NATIONS


@pytest.mark.parametrize("name", NATIONS + EXTRA_NATIONS)
def test_exact_names_pass(name: str) -> None:
    assert snap_nation(name) == name


@pytest.mark.parametrize(
    ("reading", "nation"),
    [
        ("漢", "汉"),
        ("維吾爾", "维吾尔"),
        ("朝鮮", "朝鲜"),
        ("鄂倫春", "鄂伦春"),
        ("獨龍", "独龙"),
        ("門巴", "门巴"),
        ("汉族", "汉"),
        (" 满 ", "满"),
    ],
)
def test_traditional_forms_and_suffix_fold(reading: str, nation: str) -> None:
    assert snap_nation(reading) == nation


@pytest.mark.parametrize(
    ("reading", "nation"),
    [
        ("维吾尕", "维吾尔"),
        ("柯尔克孑", "柯尔克孜"),
        ("哈萨", "哈萨克"),
        ("士家", "土家"),
        ("乌孜别", "乌孜别克"),
        ("塔吉克克", "塔吉克"),
    ],
)
def test_near_misses_snap(reading: str, nation: str) -> None:
    assert snap_nation(reading) == nation


@pytest.mark.parametrize("reading", ["", "X", "漠", "ABC", "民族汉", "哈哈哈", "土豕"])
def test_garbage_and_ambiguous_readings_give_none(reading: str) -> None:
    # One wrong character is as close to 汉 as to 回 or 苗, and 土豕 is one edit from both 土家
    # and 土 with one character in common: no single winner, so no guess.
    assert snap_nation(reading) is None
