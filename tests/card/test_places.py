"""Place names corrected with the recogniser's evidence and the number's region: printed forms
stay as printed, only doubted characters change, and ties are never guessed."""

from __future__ import annotations

import pytest

from idcard_ocr.card.correction import DICTIONARY_CONFIDENCE
from idcard_ocr.card.places import CONFIRMED_CONFIDENCE, correct_address, correct_authority
from idcard_ocr.card.reading import Char
from idcard_ocr.card.regions import current_counties

NO_NUMBER = ""


def same(char: str) -> str:
    return char


def read(text: str, prob: float = 0.99) -> list[Char]:
    return [Char(c, prob, ((c, prob),)) for c in text]


def doubted(text: str, prob: float = 0.6) -> list[Char]:
    return read(text, prob)


def seen(char: str, prob: float, *alternatives: tuple[str, float]) -> Char:
    return Char(char, prob, ((char, prob), *alternatives))


def text(chars: tuple[Char, ...]) -> str:
    return "".join(c.char for c in chars)


@pytest.mark.parametrize(
    ("printed", "number"),
    [
        ("上海徐汇区田林路100号", "310104199001010010"),
        ("北京海淀区双榆树东里99区", "110108199611240188"),
        ("北京延庆区八达岭镇", "110119199001010010"),
        ("湖南省长沙县星沙镇", "430121199001010010"),  # must not become 长沙市
        ("河南省开封县朱仙镇", "410224199001010010"),  # must not become 开封市杞县
        ("上海市徐汇区田林路", NO_NUMBER),
    ],
)
@pytest.mark.parametrize("prob", [0.99, 0.6])
def test_printed_forms_stay_as_printed(printed: str, number: str, prob: float) -> None:
    chars = correct_address(read(printed, prob), same, number)
    assert text(chars) == printed
    assert all(c.prob >= prob for c in chars)  # never less believed for being a real name


def test_every_real_county_stays_as_printed() -> None:
    for region in current_counties():
        reading = read(region.name + "幸福路12号", 0.6)
        assert text(correct_address(reading, same, NO_NUMBER)) == region.name + "幸福路12号"


def test_a_doubted_misread_is_fixed_at_the_evidence_confidence() -> None:
    reading = [*read("云南省临"), seen("仓", 0.6, ("沧", 0.3)), *read("市凤庆县凤山镇")]
    chars = correct_address(reading, same, "530921198511234531")
    assert text(chars) == "云南省临沧市凤庆县凤山镇"
    assert chars[4].prob == 0.3
    assert [c.prob for i, c in enumerate(chars) if i != 4] == [0.99] * 11


def test_a_fix_the_recogniser_never_considered_rests_on_the_dictionary() -> None:
    reading = [*read("广东省深"), seen("川", 0.5), *read("市南山区科技园")]
    chars = correct_address(reading, same, NO_NUMBER)
    assert text(chars) == "广东省深圳市南山区科技园"
    assert chars[4].prob == DICTIONARY_CONFIDENCE


@pytest.mark.parametrize(
    ("reading", "corrected"),
    [
        ("广东首深圳市南山匹科技园南路18号", "广东省深圳市南山区科技园南路18号"),  # two levels
        ("北京市朝阳巨建国路88号", "北京市朝阳区建国路88号"),
        ("湖北省仙姚市干河街道", "湖北省仙桃市干河街道"),
        ("广东省东筦市虎门镇", "广东省东莞市虎门镇"),
        ("新疆维吾尔自冶区乌鲁木齐市天山区", "新疆维吾尔自治区乌鲁木齐市天山区"),
        ("广东省深圳市南区科技园", "广东省深圳市南山区科技园"),  # a dropped, doubted place
    ],
)
def test_doubted_near_misses_are_fixed(reading: str, corrected: str) -> None:
    chars = correct_address(doubted(reading), same, NO_NUMBER)
    assert text(chars) == corrected
    assert min(c.prob for c in chars) < 0.9  # what was corrected is never sure


def test_nothing_is_inserted_between_confident_characters() -> None:
    # 南区 read surely: 南山区 would put a character between them. It stays, and the
    # characters the real name would change are disputed.
    chars = correct_address(read("广东省深圳市南区科技园"), same, NO_NUMBER)
    assert text(chars) == "广东省深圳市南区科技园"
    assert [c.prob < 0.9 for c in chars[6:8]] == [True, True]


def test_a_confident_misread_is_not_overwritten() -> None:
    chars = correct_address(read("云南省临仓市凤庆县凤山镇"), same, NO_NUMBER)
    assert text(chars) == "云南省临仓市凤庆县凤山镇"
    assert chars[4].prob < 0.9  # no real name reads so: disputed


def test_equally_near_names_are_not_guessed() -> None:
    # 崇明县 (historical) and 崇明区 are equally near.
    reading = [*read("上海市崇明"), seen("具", 0.5), *read("城桥镇")]
    assert text(correct_address(reading, same, NO_NUMBER)) == "上海市崇明具城桥镇"


@pytest.mark.parametrize(
    ("number", "county"), [("310230198001010010", "崇明县"), ("310151198001010010", "崇明区")]
)
def test_the_numbers_region_prefers_the_county_it_names(number: str, county: str) -> None:
    reading = [*read("上海市崇明"), seen("具", 0.5), *read("城桥镇")]
    assert text(correct_address(reading, same, number)) == f"上海市{county}城桥镇"


def test_a_snap_into_another_province_than_the_numbers_needs_strong_evidence() -> None:
    beijing = "110105194912310021"
    guessed = [*read("广东"), seen("首", 0.5), *read("深圳市南山区科技园")]
    assert text(correct_address(guessed, same, beijing)) == "广东首深圳市南山区科技园"
    weak = [*read("广东"), seen("首", 0.5, ("省", 0.1)), *read("深圳市南山区科技园")]
    assert text(correct_address(weak, same, beijing)) == "广东首深圳市南山区科技园"
    strong = [*read("广东"), seen("首", 0.5, ("省", 0.3)), *read("深圳市南山区科技园")]
    assert text(correct_address(strong, same, beijing)) == "广东省深圳市南山区科技园"
    # Without a number, the dictionary alone may fix it.
    assert text(correct_address(guessed, same, NO_NUMBER)) == "广东省深圳市南山区科技园"


# --- authority -------------------------------------------------------------------------------
@pytest.mark.parametrize("reading", ["井县公安局", "井经县公安局"])
def test_a_confident_misread_authority_is_never_snapped_to_another_place(reading: str) -> None:
    chars = correct_authority(read(reading), same)
    assert text(chars) == reading  # never 荥经县公安局
    assert chars[0].prob < 0.9 and chars[1].prob < 0.9  # but the gazetteer disputes it


def test_an_authority_fix_the_recogniser_supports_is_made() -> None:
    reading = [*read("井"), seen("经", 0.6, ("陉", 0.3)), *read("县公安局")]
    chars = correct_authority(reading, same)
    assert text(chars) == "井陉县公安局"
    assert chars[1].prob == 0.3


def test_a_confident_character_rules_out_near_authorities() -> None:
    # 井 read surely rules out 荥经县; 井陉县 and 井研县 remain, as near as each other.
    reading = [*read("井"), seen("经", 0.6), *read("县公安局")]
    assert text(correct_authority(reading, same)) == "井经县公安局"
    weak = [*read("井"), seen("经", 0.6, ("研", 0.05), ("陉", 0.07)), *read("县公安局")]
    assert text(correct_authority(weak, same)) == "井经县公安局"
    clear = [*read("井"), seen("经", 0.6, ("陉", 0.12), ("研", 0.03)), *read("县公安局")]
    chars = correct_authority(clear, same)
    assert text(chars) == "井陉县公安局"
    assert chars[1].prob == 0.12


def test_a_doubted_authority_between_two_real_ones_stays() -> None:
    reading = [seen("井", 0.6), seen("经", 0.6), *read("县公安局")]
    assert text(correct_authority(reading, same)) == "井经县公安局"


def test_the_evidence_may_point_elsewhere() -> None:
    reading = [seen("井", 0.6, ("荥", 0.3)), seen("经", 0.8), *read("县公安局")]
    assert text(correct_authority(reading, same)) == "荥经县公安局"


@pytest.mark.parametrize(
    ("reading", "corrected"),
    [
        ("深圳市公安局南山分屈", "深圳市公安局南山分局"),
        ("深川市公安局南山分局", "深圳市公安局南山分局"),
        ("深圳市公女局南山分局", "深圳市公安局南山分局"),
        ("凤庆县公安扃", "凤庆县公安局"),
        ("广州市公安局天河区分居", "广州市公安局天河区分局"),
    ],
)
def test_doubted_authority_near_misses_are_fixed(reading: str, corrected: str) -> None:
    assert text(correct_authority(doubted(reading), same)) == corrected


@pytest.mark.parametrize(
    "reading",
    ["广州市公安局天河区分局", "北京市公安局朝阳分局", "义鸟市公安局", "某某某", "", "公安局"],
)
def test_real_or_unrelated_authorities_stay(reading: str) -> None:
    # 义鸟市 is as close to 义乌市 as to 义马市: no guess.
    assert text(correct_authority(doubted(reading), same)) == reading


def test_every_real_authority_stays() -> None:
    from idcard_ocr.card.regions import authority_for

    for region in current_counties():
        authority = authority_for(region)
        assert text(correct_authority(doubted(authority), same)) == authority


def test_an_address_no_real_place_begins_has_its_start_disputed() -> None:
    # Its first line was not read: what is left was read surely, but is not the address.
    chars = correct_address(read("街7栋"), same, NO_NUMBER)
    assert text(chars) == "街7栋"
    assert [c.prob for c in chars] == [0.5, 0.99, 0.99]
    assert correct_address([], same, NO_NUMBER) == ()


# --- confirmation ----------------------------------------------------------------------------
def test_a_doubted_place_character_no_other_real_name_could_take_is_confirmed() -> None:
    # 北京市东城区: 西城区 differs from 东城区 at its first character only, nothing at its second.
    reading = [*read("北京市"), seen("东", 0.6), seen("城", 0.6), *read("区景山前街4号")]
    chars = correct_address(reading, same, NO_NUMBER)
    assert text(chars) == "北京市东城区景山前街4号"
    assert (chars[3].prob, chars[4].prob) == (0.6, CONFIRMED_CONFIDENCE)
    # Beyond the place names nothing is confirmed.
    street = [*read("北京市东城区景山"), seen("前", 0.6), *read("街4号")]
    assert correct_address(street, same, NO_NUMBER)[8].prob == 0.6


def test_a_doubted_authority_character_another_real_authority_could_take_is_not_confirmed() -> None:
    rivalled = correct_authority([*read("井"), seen("陉", 0.6), *read("县公安局")], same)
    assert rivalled[1].prob == 0.6  # 井研县公安局 is real too
    alone = correct_authority([*read("鹤"), seen("岗", 0.31), *read("市公安局东山分局")], same)
    assert alone[1].prob == CONFIRMED_CONFIDENCE


def test_a_simplified_character_keeps_its_evidence_and_is_not_confirmed() -> None:
    def simplify(char: str) -> str:
        return {"區": "区"}.get(char, char)

    reading = [*read("广州市公安局天河"), seen("區", 0.6, ("区", 0.3)), *read("分局")]
    chars = correct_authority(reading, simplify)
    assert text(chars) == "广州市公安局天河区分局"
    assert chars[8].prob == 0.3
