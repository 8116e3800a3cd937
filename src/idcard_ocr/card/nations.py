"""The 56 nations as the card prints them, and the names near a reading."""

from __future__ import annotations

from rapidfuzz.distance import Levenshtein

NATIONS: tuple[str, ...] = (
    "汉", "蒙古", "回", "藏", "维吾尔", "苗", "彝", "壮", "布依", "朝鲜",
    "满", "侗", "瑶", "白", "土家", "哈尼", "哈萨克", "傣", "黎", "傈僳",
    "佤", "畲", "高山", "拉祜", "水", "东乡", "纳西", "景颇", "柯尔克孜", "土",
    "达斡尔", "仫佬", "羌", "布朗", "撒拉", "毛南", "仡佬", "锡伯", "阿昌", "普米",
    "塔吉克", "怒", "乌孜别克", "俄罗斯", "鄂温克", "德昂", "保安", "裕固", "京", "塔塔尔",
    "独龙", "鄂伦春", "赫哲", "门巴", "珞巴", "基诺",
)  # fmt: skip
# Values printed for groups not (yet) classified among the 56.
EXTRA_NATIONS: tuple[str, ...] = ("穿青人", "其他")
ACCEPTED: frozenset[str] = frozenset(NATIONS + EXTRA_NATIONS)


def near_nations(reading: str) -> list[str]:
    """The accepted names within max(1, len(name) // 3) edits of a reading, nearest first.

    Which one, if any, the reading stands for is for the evidence to say (card.correction).
    """
    if not reading:
        return []  # nothing read is near nothing: every one-character name is one edit away
    found = []
    for name in ACCEPTED:
        allowed = max(1, len(name) // 3)
        edits = Levenshtein.distance(reading, name, score_cutoff=allowed)
        if edits <= allowed:
            found.append((edits, name))
    return [name for _, name in sorted(found)]
