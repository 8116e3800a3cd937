"""The emblem side's field rules: the authority corrected only on evidence, the validity
period from the digits read and never with invented ones."""

from __future__ import annotations

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


def test_an_overlay_read_into_the_authority_is_doubted() -> None:
    field = authority(read("闽清县公安局开户业务使用"), simplify)
    assert field.confidence[:6] == (99,) * 6
    assert max(field.confidence[-4:]) <= 50
