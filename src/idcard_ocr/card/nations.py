"""The 56 nations as the card prints them, and snapping a reading to one of them."""

from __future__ import annotations

from collections import Counter

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

# Traditional forms of exactly the characters that occur in the names above (card/ takes no
# dependencies, so OpenCC is out of reach here; no simplified name uses any of these forms).
TRADITIONAL = str.maketrans(
    {
        "漢": "汉", "維": "维", "爾": "尔", "壯": "壮", "鮮": "鲜", "滿": "满", "瑤": "瑶",
        "薩": "萨", "東": "东", "鄉": "乡", "納": "纳", "頗": "颇", "達": "达", "錫": "锡",
        "烏": "乌", "別": "别", "羅": "罗", "溫": "温", "倫": "伦", "獨": "独", "龍": "龙",
        "門": "门", "諾": "诺", "靑": "青",
    }
)  # fmt: skip


def snap_nation(text: str) -> str | None:
    """The nation a reading stands for, or None when it is not close to exactly one.

    Exact names pass; traditional forms and a trailing 族 are folded; otherwise the nearest
    name by edit distance (ties broken by shared characters) wins if it is unique and within
    max(1, len(name) // 3).
    """
    reading = text.strip().removesuffix("族").translate(TRADITIONAL)
    if reading in ACCEPTED:
        return reading
    if not reading:
        return None
    scored = sorted((rank(reading, name), name) for name in ACCEPTED)
    (best, name), runner_up = scored[0], scored[1][0]
    if best == runner_up or best[0] > max(1, len(name) // 3):
        return None
    return name


def rank(reading: str, name: str) -> tuple[int, int]:
    """Edit distance first; between equal distances, the name sharing more characters is closer."""
    shared = sum((Counter(reading) & Counter(name)).values())
    return distance(reading, name), -shared


def distance(a: str, b: str) -> int:
    """Levenshtein distance by character."""
    row = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        prev, row[0] = row[0], i
        for j, char_b in enumerate(b, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (char_a != char_b))
    return row[-1]
