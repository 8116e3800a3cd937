"""A side's interpretation: its fields in API order, what is unreadable, and the labels seen."""

from __future__ import annotations

from datetime import date

from idcard_ocr.card.interpret import interpret
from idcard_ocr.card.model import BACK_FIELDS, FRONT_FIELDS, Side
from idcard_ocr.card.reading import Char

TODAY = date(2026, 1, 1)


def simplify(char: str) -> str:
    return {"漢": "汉"}.get(char, char)


def read(text: str, prob: float = 0.99) -> list[Char]:
    return [Char(c, prob, ((c, prob),)) for c in text]


SPECIMEN = {
    "name": read("姓名李久熙"),
    "sex": read("女"),
    "nation": read("民族汉"),
    "birth": read("出生1996年11月24日"),
    "address": read("住址北京市海淀区双榆树东里99区2号楼302室"),
    "id": read("公民身份号码110108199611240188"),
}


def test_a_front_read_whole() -> None:
    found = interpret(Side.FRONT, SPECIMEN, simplify, today=TODAY)
    texts = {name: field.text for name, field in found.result.fields.items()}
    assert texts == {
        "name": "李久熙",
        "sex": "女",
        "nation": "汉",
        "birth": "1996/11/24",
        "address": "北京市海淀区双榆树东里99区2号楼302室",
        "id": "110108199611240188",
    }
    assert tuple(found.result.fields) == FRONT_FIELDS
    assert found.unreadable == ()
    assert found.labels == ("姓名", "民族", "出生", "住址", "公民身份号码")
    assert "id_checksum" in found.result.warnings  # the specimen's number fails its check


def test_cut_labels_and_spaces() -> None:
    chars = SPECIMEN | {"name": read("名李 久熙"), "nation": read("族 汉")}
    found = interpret(Side.FRONT, chars, simplify, today=TODAY)
    assert found.result.fields["name"].text == "李久熙"
    assert found.result.fields["nation"].text == "汉"
    assert found.labels[:2] == ("姓名", "民族")


def test_missing_fields_read_as_empty_and_unreadable() -> None:
    found = interpret(Side.FRONT, {}, simplify, today=TODAY)
    assert tuple(found.result.fields) == FRONT_FIELDS
    assert all(field.text == "" for field in found.result.fields.values())
    assert found.unreadable == FRONT_FIELDS
    assert found.labels == ()


def test_a_nation_that_is_no_nation_is_unreadable() -> None:
    found = interpret(Side.FRONT, SPECIMEN | {"nation": read("京汉")}, simplify, today=TODAY)
    assert found.result.fields["nation"].text == "京汉"
    assert found.unreadable == ("nation",)


def test_the_issues_birth_is_taken_from_the_number_and_never_certain() -> None:
    chars = SPECIMEN | {"birth": read("1967年43月0日", 1.0), "id": read("110101196704300014")}
    found = interpret(Side.FRONT, chars, simplify, today=TODAY)
    birth = found.result.fields["birth"]
    assert birth.text == "1967/4/30"
    assert min(birth.confidence) <= 50
    assert "birth" not in found.unreadable


def test_a_birth_before_1900_the_number_prints_too_is_returned_as_printed() -> None:
    chars = SPECIMEN | {"birth": read("1654年12月20日"), "id": read("11204416541220243X")}
    found = interpret(Side.FRONT, chars, simplify, today=TODAY)
    assert found.result.fields["birth"].text == "1654/12/20"
    assert found.result.fields["id"].text == "11204416541220243X"
    assert found.unreadable == ()  # a demo card's date, printed twice (contract.printed_twice)


def test_a_back_read_whole() -> None:
    chars = {
        "authority": read("签发机关上海市公安局徐汇分局"),
        "valid_date": read("有效期限2005.10.08-2025.10.08"),
    }
    found = interpret(Side.BACK, chars, simplify, today=TODAY)
    assert {n: f.text for n, f in found.result.fields.items()} == {
        "authority": "上海市公安局徐汇分局",
        "valid_date": "2005.10.08-2025.10.08",
    }
    assert tuple(found.result.fields) == BACK_FIELDS
    assert found.unreadable == ()
    assert found.labels == ("签发机关", "有效期限")
    assert found.result.warnings == ("expired",)


def test_an_authority_beginning_as_the_label_ends_keeps_its_first_character() -> None:
    for reading in ("关岭布依族苗族自治县公安局", "签发机关关岭布依族苗族自治县公安局"):
        chars = {"authority": read(reading), "valid_date": read("2017.08.12-长期")}
        found = interpret(Side.BACK, chars, simplify, today=TODAY)
        assert found.result.fields["authority"].text == "关岭布依族苗族自治县公安局"


def test_a_label_read_without_its_last_character_keeps_the_value_whole() -> None:
    # hard #173: 签发机关 read 签发机 (关 dropped), so 签发机张 looked like the label with one
    # misread and took 张 from 张掖市…; the parse that leaves a real authority wins.
    chars = {"authority": read("签发机张掖市公安局甘州分局"), "valid_date": read("2017.08.12-长期")}
    found = interpret(Side.BACK, chars, simplify, today=TODAY)
    authority = found.result.fields["authority"]
    assert authority.text == "张掖市公安局甘州分局"
    assert min(authority.confidence) == 99
    assert found.labels == ("签发机关",)


def test_a_front_read_as_a_back_is_unreadable() -> None:
    chars = {"authority": read("3室"), "valid_date": read("2101131956112")}
    found = interpret(Side.BACK, chars, simplify, today=TODAY)
    assert found.unreadable == BACK_FIELDS
    assert found.labels == ()
