"""The 56 nations and the names near a reading."""

from __future__ import annotations

import pytest

from idcard_ocr.card.nations import EXTRA_NATIONS, NATIONS, near_nations

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
def test_exact_names_are_nearest_to_themselves(name: str) -> None:
    assert near_nations(name)[0] == name


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
def test_near_misses_are_offered(reading: str, nation: str) -> None:
    assert nation in near_nations(reading)


def test_a_one_character_misread_is_near_every_one_character_nation() -> None:
    # Which one it was is for the recogniser's evidence to say, not the list.
    assert {"汉", "回", "苗", "满"} <= set(near_nations("汊"))


@pytest.mark.parametrize("reading", ["", "ABCDEF", "民族汉族", "哈哈哈哈"])
def test_far_readings_offer_nothing(reading: str) -> None:
    assert near_nations(reading) == []
