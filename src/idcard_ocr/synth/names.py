"""Person names for synthetic cards: Han names (with compound surnames and rare
characters) and long minority names joined by `·`, each paired with a fitting nation."""

from __future__ import annotations

import random
from dataclasses import dataclass

from idcard_ocr.card.nations import NATIONS

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝"
)
COMPOUND_SURNAMES = ("欧阳", "司马", "诸葛", "上官", "东方", "慕容", "皇甫", "令狐")
GIVEN_MALE = "伟强磊军洋勇杰涛明超华平刚辉鹏飞鑫波斌宇浩凯健俊帆帅旭宁龙林峰建国志文博昊然轩睿泽"
GIVEN_FEMALE = "芳娜敏静丽艳娟霞秀玲桂英华红梅琳雪莉倩婷颖琪萱怡欣悦涵佳雨晨思梦诗瑶雯璐蕾薇嘉"
# Characters many OCR models' dictionaries lack (生僻字); see domain-notes.md.
RARE_GIVEN = "燊翀喆赟曌婳彧犇淼"

# Minority names: (nation choices, male given names, female given names, second parts).
_TURKIC = (
    ("维吾尔", "维吾尔", "维吾尔", "乌孜别克", "柯尔克孜", "塔塔尔"),
    ("买买提", "艾买提", "阿不都", "吐尔逊", "玉素甫", "艾力", "依明", "热合曼", "阿布拉", "努尔"),
    ("阿依古丽", "古丽", "热依拉", "帕提古丽", "再努尔", "阿瓦古丽", "米热古丽", "努尔妮萨"),
    ("吐尔逊", "艾买提", "热合曼", "阿不都热依木", "玉素甫", "买买提明", "斯拉木", "吾斯曼"),
)
_TIBETAN = (
    ("藏", "门巴"),
    ("扎西", "多吉", "格桑", "平措", "旦增", "尼玛", "次旺", "洛桑"),
    ("卓玛", "央金", "拉姆", "德吉", "曲珍", "次仁卓玛", "白玛"),
    ("次仁", "多吉", "顿珠", "罗布", "普布", "边巴", "达瓦"),
)
_KAZAKH = (
    ("哈萨克", "塔吉克"),
    ("叶尔兰", "努尔兰", "阿斯哈尔", "别克", "巴合提", "叶尔肯", "马哈提"),
    ("加娜尔", "阿依达娜", "古丽娜尔", "阿克巴依", "萨吾列"),
    ("托合塔尔", "努尔兰", "别克波拉提", "哈力木", "加汗", "吐尔洪"),
)
MINORITY_STYLES = (_TURKIC, _TIBETAN, _KAZAKH)
MAX_NAME_CHARS = 15


@dataclass(frozen=True)
class Person:
    """Who the card belongs to: a name with the sex and nation it fits."""

    name: str
    sex: str
    nation: str


def generate_person(rng: random.Random) -> Person:
    """A person: ~10 % minority names with `·`, otherwise Han names; ~70 % are of nation 汉."""
    sex = rng.choice(("男", "女"))
    if rng.random() < 0.10:
        return _minority_person(rng, sex)
    nation = "汉" if rng.random() < 0.78 else rng.choice(NATIONS)
    return Person(_han_name(rng, sex), sex, nation)


def _han_name(rng: random.Random, sex: str) -> str:
    """A surname (sometimes compound) and one or two given characters (~10 % rare)."""
    surname = rng.choice(COMPOUND_SURNAMES) if rng.random() < 0.06 else rng.choice(SURNAMES)
    pool = GIVEN_MALE if sex == "男" else GIVEN_FEMALE
    given = [rng.choice(pool) for _ in range(1 if rng.random() < 0.3 else 2)]
    if rng.random() < 0.10:
        given[rng.randrange(len(given))] = rng.choice(RARE_GIVEN)
    return surname + "".join(given)


def _minority_person(rng: random.Random, sex: str) -> Person:
    """A `given·father` name built from one style's syllable lists, at most 15 characters."""
    nations, male, female, second = rng.choice(MINORITY_STYLES)
    first = rng.choice(male if sex == "男" else female)
    name = f"{first}·{rng.choice(second)}"
    return Person(name[:MAX_NAME_CHARS], sex, rng.choice(nations))
