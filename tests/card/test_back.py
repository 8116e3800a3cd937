"""The emblem side's field rules: the authority corrected only on evidence, the validity
period from the digits read and never with invented ones."""

from __future__ import annotations

import pytest

from idcard_ocr.card.back import authority, valid_date
from idcard_ocr.card.correction import DICTIONARY_CONFIDENCE
from idcard_ocr.card.reading import Char


def simplify(char: str) -> str:
    return {"區": "区"}.get(char, char)


def read(text: str, prob: float = 0.99) -> list[Char]:
    return [Char(c, prob, ((c, prob),)) for c in text]


def test_a_real_authority_is_kept() -> None:
    field = authority(read("上海市公安局徐汇分局"), simplify)
    assert (field.text, field.confidence) == ("上海市公安局徐汇分局", (99,) * 10)


def test_an_authority_is_simplified_and_corrected_on_the_evidence() -> None:
    chars = [*read("广州市公安局天河"), Char("區", 0.6, (("區", 0.6), ("区", 0.3))), *read("分局")]
    field = authority(chars, simplify)
    assert field.text == "广州市公安局天河区分局"
    assert field.confidence[8] == 30


@pytest.mark.parametrize("label", ["签发", "机关", "签发机关", "关"])
def test_a_piece_of_the_label_read_before_a_real_authority_is_left_out(label: str) -> None:
    # The hard set's 签发漯河市公安局郾城分局: a crop begun inside 签发机关, read at 100.
    field = authority(read(label + "漯河市公安局郾城分局"), simplify)
    assert (field.text, min(field.confidence)) == ("漯河市公安局郾城分局", 99)


def test_doubted_marks_before_a_real_authority_are_left_out_and_the_cut_doubted() -> None:
    # The photo set's 长业南县公安局: two guesses at a stamp's edge, then 南县公安局 at 100.
    field = authority([*read("长业", 0.3), *read("南县公安局")], simplify)
    assert (field.text, field.confidence) == ("南县公安局", (50, 99, 99, 99, 99))


def test_confident_characters_before_a_real_authority_stay() -> None:
    # 东安县公安局 read with its 东 confident must not become 安县 (a county until 2016).
    field = authority([*read("东"), *read("安县公安局")], simplify)
    assert field.text.startswith("东")


def test_a_real_authority_that_begins_like_the_label_keeps_its_start() -> None:
    assert (
        authority(read("关岭布依族苗族自治县公安局"), simplify).text == "关岭布依族苗族自治县公安局"
    )


def test_a_validity_is_read_digit_by_digit() -> None:
    field = valid_date(read("2005.10.08-2025.10.08"))
    assert (field.text, field.confidence) == ("2005.10.08-2025.10.08", (99,) * 16)
    assert valid_date(read("2005100820251008")).text == "2005.10.08-2025.10.08"


def test_a_long_term_validity_has_a_confidence_per_character_of_changqi() -> None:
    field = valid_date(read("2017.08.12-长期"))
    assert (field.text, field.confidence) == ("2017.08.12-长期", (99,) * 10)


def test_a_half_read_changqi_is_completed_at_the_dictionary_confidence() -> None:
    field = valid_date(read("2017.08.12-长"))
    assert field.text == "2017.08.12-长期"
    assert field.confidence[-1] == round(DICTIONARY_CONFIDENCE * 100)


def test_a_qi_before_the_start_date_is_the_label() -> None:
    assert valid_date(read("期2017.08.12-2027.08.12")).text == "2017.08.12-2027.08.12"


def test_missing_digits_are_never_invented() -> None:
    field = valid_date(read("2017.08.12-2027.0"))
    assert (field.text, len(field.confidence)) == ("2017.08.12-2027.0", 13)
    assert valid_date(read("2017.0")).text == "2017.0"
    assert valid_date([]).text == ""


def test_an_overlay_read_after_the_authority_is_dropped_and_its_end_doubted() -> None:
    """The line may hide a branch's name after 公安局: the 局 it cut after is doubted."""
    field = authority(read("闽清县公安局开户业务使用"), simplify)
    assert field.text == "闽清县公安局"
    assert field.confidence == (99, 99, 99, 99, 99, 50)


def test_a_cut_bureau_stays_doubted_where_the_line_may_hide_its_branch() -> None:
    """上海市公安局 is a real authority, but so is 上海市公安局徐汇分局: the gazetteer's word
    does not settle what the line hid after 局."""
    field = authority(read("上海市公安局开户业务使用"), simplify)
    assert field.text == "上海市公安局"
    assert field.confidence[-1] <= 50


def test_an_overlay_read_before_the_authority_is_dropped_and_its_start_doubted() -> None:
    field = authority(read("仅闽清县公安局开户业务使用"), simplify)
    assert field.text == "闽清县公安局"
    assert field.confidence == (50, 99, 99, 99, 99, 50)


def test_an_overlay_inside_the_authority_stays_doubted() -> None:
    field = authority(read("闽清县公安使用局"), simplify)
    assert field.text == "闽清县公安使用局"
    assert max(field.confidence[5:7]) <= 50


def test_a_tail_that_is_no_overlay_is_not_cut() -> None:
    """Only the line's own words are dropped: another tail keeps the value ill-formed."""
    field = authority(read("闽清县公安局门口"), simplify)
    assert field.text == "闽清县公安局门口"
