"""The second script of bilingual cards from autonomous regions: Uyghur, Tibetan, Mongolian,
Yi, Zhuang and Korean beside the Chinese labels and values.

The second script is never part of a label the API returns; it is there so the reader
learns to ignore it. Words of values are random syllables of the script (the renderer
transliterates nothing); the labels carry real translations where we have them. Yi labels
are fixed syllable strings drawn once per label. A script whose font is not installed
(or whose shaping needs libraqm that Pillow lacks) is skipped, never drawn as boxes.
"""

from __future__ import annotations

import functools
import random
from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageFont, features

from idcard_ocr.synth.fonts import FontFace, first_face, load

RGB = tuple[int, int, int]


@dataclass(frozen=True)
class Script:
    """One second script: how it is written, its fonts and the Debian package shipping them."""

    name: str
    families: tuple[tuple[str, str], ...]  # (family, style) in order of preference
    package: str
    probe: str  # a character the face must draw
    direction: str  # "ltr" or "rtl"
    vertical: bool  # written top to bottom in columns, as Mongolian is
    shaped: bool  # needs complex-text shaping (libraqm)
    syllables: tuple[str, ...]
    joiner: str  # between the syllables of a word
    space: str  # between words


def _split(syllables: str) -> tuple[str, ...]:
    """Space-separated syllables as a tuple."""
    return tuple(syllables.split())


def _yi_syllables() -> tuple[str, ...]:
    """Every syllable of the Yi block (U+A000-U+A48C), in order."""
    return tuple(chr(code) for code in range(0xA000, 0xA48D))


SCRIPTS: tuple[Script, ...] = (
    Script(
        name="uyghur",
        families=(("Noto Sans Arabic", "Regular"), ("Noto Naskh Arabic", "Regular")),
        package="fonts-noto-core",
        probe="ئ",
        direction="rtl",
        vertical=False,
        shaped=True,
        syllables=_split(
            "ئا ئە بى مەت تۇر سۇن غۇل لى مۇ ھەم رەي دى "
            "كە نۇر جان گۈل يول شەھەر ناھىيە يېزا كەنت قا شى"
        ),
        joiner="",
        space=" ",
    ),
    Script(
        name="tibetan",
        families=(("Noto Serif Tibetan", "Regular"), ("Tibetan Machine Uni", "Regular")),
        package="fonts-noto-core",
        probe="ཀ",
        direction="ltr",
        vertical=False,
        shaped=True,
        syllables=_split("བཀྲ ཤིས རྡོ རྗེ སྐལ བཟང ཕུན ཚོགས བསྟན འཛིན ཉི མ ཚེ དབང བློ སྒྲོལ དཀར ལྷ མོ གྲོང ཁྱེར རྫོང ཤང"),
        joiner="་",
        space="་",
    ),
    Script(
        name="mongolian",
        families=(("Noto Sans Mongolian", "Regular"),),
        package="fonts-noto-core",
        probe="ᠠ",
        direction="ltr",
        vertical=True,
        shaped=True,
        syllables=_split(
            "ᠪᠠᠲᠤ ᠮᠥᠩᠬᠡ ᠴᠢᠯᠠᠭᠤ ᠰᠠᠷᠠᠨ ᠭᠡᠷᠡᠯ ᠬᠣᠲᠠ ᠰᠤᠮᠤ ᠬᠣᠰᠢᠭᠤ "
            "ᠠᠶᠢᠮᠠᠭ ᠡᠷᠳᠡᠮ ᠨᠠᠷᠠ ᠲᠤᠶᠠ ᠤᠯᠠᠭᠠᠨ ᠬᠦᠬᠡ ᠴᠠᠭᠠᠨ"
        ),
        joiner="",
        space=" ",
    ),
    Script(
        name="yi",
        families=(("Noto Sans Yi", "Regular"),),
        package="fonts-noto-core",
        probe="ꀀ",
        direction="ltr",
        vertical=False,
        shaped=False,
        syllables=_yi_syllables(),
        joiner="",
        space=" ",
    ),
    Script(
        name="zhuang",
        families=(("Noto Sans", "Regular"), ("DejaVu Sans", "Book")),
        package="fonts-noto-core",
        probe="A",
        direction="ltr",
        vertical=False,
        shaped=False,
        syllables=_split(
            "vangz daeng nding gvangj sih yen mbanj cin hoh swj "
            "lungz cuengh haeux naz raemx bya ndoi ranz mbaw"
        ),
        joiner="",
        space=" ",
    ),
    Script(
        name="korean",
        families=(("Noto Sans CJK KR", "Regular"),),
        package="fonts-noto-cjk",
        probe="한",
        direction="ltr",
        vertical=False,
        shaped=False,
        syllables=tuple("김이박최정강조윤장임민수영지현서준호성길시구동리면읍로번아파트연변룡정화"),
        joiner="",
        space=" ",
    ),
)
SCRIPT_NAMES = tuple(script.name for script in SCRIPTS)

# What each label says in the second script, where we know it (Yi labels are drawn once).
_LABELS: dict[str, dict[str, str]] = {
    "uyghur": {
        "姓名": "ئىسمى",
        "性别": "جىنسى",
        "民族": "مىللىتى",
        "出生": "تۇغۇلغان ۋاقتى",
        "住址": "ئادرېسى",
        "公民身份号码": "كىملىك نومۇرى",
        "签发机关": "تارقاتقان ئورگان",
        "有效期限": "ئىناۋەتلىك مۇددىتى",
        "中华人民共和国": "جۇڭخۇا خەلق جۇمھۇرىيىتى",
        "居民身份证": "ئاھالە كىملىكى",
    },
    "tibetan": {
        "姓名": "མིང་།",
        "性别": "ཕོ་མོ།",
        "民族": "མི་རིགས།",
        "出生": "སྐྱེས་ཚེས།",
        "住址": "སྡོད་གནས།",
        "公民身份号码": "སྤྱི་དམངས་ཐོབ་ཐང་ཨང་རྟགས།",
        "签发机关": "སྤྲོད་མཁན་ལས་ཁུངས།",
        "有效期限": "ནུས་ལྡན་དུས་ཡུན།",
        "中华人民共和国": "ཀྲུང་ཧྭ་མི་དམངས་སྤྱི་མཐུན་རྒྱལ་ཁབ།",
        "居民身份证": "སྡོད་དམངས་ཐོབ་ཐང་ལག་ཁྱེར།",
    },
    "mongolian": {
        "姓名": "ᠨᠡᠷ᠎ᠡ",
        "性别": "ᠬᠦᠢᠰᠦ",
        "民族": "ᠦᠨᠳᠦᠰᠦ",
        "出生": "ᠲᠥᠷᠥᠭᠰᠡᠨ",
        "住址": "ᠬᠠᠶᠢᠭ",
        "公民身份号码": "ᠨᠣᠮᠧᠷ",
        "签发机关": "ᠣᠯᠭᠣᠭᠰᠠᠨ",
        "有效期限": "ᠬᠤᠭᠤᠴᠠᠭ᠎ᠠ",
    },
    "zhuang": {
        "姓名": "Singqmingz",
        "性别": "Singqbied",
        "民族": "Minzcuz",
        "出生": "Okseng",
        "住址": "Dieggyuz",
        "公民身份号码": "Gunghminz sinhfwn haumaj",
        "签发机关": "Giggvan fatcingq",
        "有效期限": "Geizhanh mizyauq",
        "中华人民共和国": "Cunghvaz Yinzminz Gunghozgoz",
        "居民身份证": "Gihminz sinhfwnhcingq",
    },
    "korean": {
        "姓名": "성명",
        "性别": "성별",
        "民族": "민족",
        "出生": "출생",
        "住址": "주소",
        "公民身份号码": "공민신분번호",
        "签发机关": "발급기관",
        "有效期限": "유효기간",
        "中华人民共和国": "중화인민공화국",
        "居民身份证": "주민신분증",
    },
}


@dataclass(frozen=True)
class Bilingual:
    """A bilingual card's choices: its second script, whether that script's lines sit above
    or below the Chinese, and the seed of its words."""

    script: str
    above: bool
    seed: int


def script_named(name: str) -> Script:
    """The script called `name` (one of `SCRIPT_NAMES`)."""
    return next(script for script in SCRIPTS if script.name == name)


def face_for(script: Script) -> FontFace | None:
    """The installed face that draws `script`; None when none is installed, or when the
    script needs shaping and Pillow has no libraqm (it would print unjoined letters)."""
    if script.shaped and not features.check("raqm"):
        return None
    return first_face(script.families, script.probe)


def label_in(script: Script, label: str) -> str:
    """What a Chinese label says in `script`: its translation, else fixed syllables."""
    label = "公民身份号码" if label == "公民身份证号码" else label
    known = _LABELS.get(script.name, {}).get(label)
    if known is not None:
        return known
    return phrase(script, random.Random(f"{script.name}:{label}"), 1)


def phrase(script: Script, rng: random.Random, words: int) -> str:
    """`words` random words of one to three syllables each, as a value's transliteration."""
    chosen = []
    for _ in range(words):
        word = script.joiner.join(rng.choice(script.syllables) for _ in range(rng.randint(1, 3)))
        chosen.append(word.capitalize() if script.name == "zhuang" else word)
    return script.space.join(chosen)


def script_mask(
    text: str, script: Script, face: FontFace, thickness_px: float, max_length_px: float
) -> Image.Image:
    """`text` set in `script` as an 8-bit coverage mask: a line `thickness_px` tall, or for a
    vertical script a column that wide, squeezed along its length to `max_length_px`."""
    font = load(face, max(round(thickness_px / _ink_ratio(script, face)), 1))
    left, top, right, bottom = (round(v) for v in font.getbbox(text, direction=script.direction))
    mask = Image.new("L", (max(right - left, 1) + 2, max(bottom - top, 1) + 2))
    ImageDraw.Draw(mask).text(
        (1 - left, 1 - top), text, fill=255, font=font, direction=script.direction
    )
    if script.vertical:
        mask = mask.transpose(Image.Transpose.ROTATE_270)  # clockwise: reads top to bottom
        if mask.height > max_length_px:
            mask = mask.resize((mask.width, max(round(max_length_px), 1)))
    elif mask.width > max_length_px:
        mask = mask.resize((max(round(max_length_px), 1), mask.height))
    return mask


@functools.cache
def _ink_ratio(script: Script, face: FontFace) -> float:
    """Ink height per px of font size of a typical line of `script` (its label for 姓名)."""
    font: ImageFont.FreeTypeFont = load(face, 100)
    _, top, _, bottom = font.getbbox(label_in(script, "姓名"), direction=script.direction)
    return max(bottom - top, 1) / 100
