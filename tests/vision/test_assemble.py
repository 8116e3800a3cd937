"""The adapter from recognised crops to the domain: each field's characters gathered from its
crops in order, and interpreted by card.interpret."""

from __future__ import annotations

from idcard_ocr.card.model import Side
from idcard_ocr.ocr import CharReading, LineReading
from idcard_ocr.vision.assemble import assemble
from idcard_ocr.vision.fields import Crop


def line(text: str, prob: float = 0.99) -> LineReading:
    return LineReading(tuple(CharReading(c, prob, ((c, prob),)) for c in text))


def simplify(char: str) -> str:
    return {"悅": "悦"}.get(char, char)


def crop(field: str) -> Crop:
    return Crop(field, 0.0, 0.0, 10.0, 5.0)


def test_fields_are_gathered_from_their_crops_and_interpreted() -> None:
    crops = [crop(f) for f in ("name", "sex", "nation", "birth", "address", "address", "id")]
    readings = [
        line("姓名李久熙"),
        line("女"),
        line("民族汉"),
        line("1996年11月24日"),
        line("北京市海淀区双榆树"),  # an address's lines, concatenated in crop order
        line("东里99区2号楼302室"),
        line("公民身份号码110108199611240188"),
    ]
    found = assemble(Side.FRONT, crops, readings, simplify)
    assert found.result.fields["address"].text == "北京市海淀区双榆树东里99区2号楼302室"
    assert found.result.fields["name"].text == "李久熙"
    assert found.result.fields["nation"].text == "汉"
    assert found.unreadable == ()
    assert found.labels == ("姓名", "民族", "公民身份号码")


def test_the_simplifier_is_used_where_the_recogniser_saw_the_simplified_form() -> None:
    reading = LineReading(
        (CharReading("王", 0.99, ()), CharReading("悅", 0.6, (("悅", 0.6), ("悦", 0.3))))
    )
    found = assemble(Side.FRONT, [crop("name")], [reading], simplify)
    assert found.result.fields["name"].text == "王悦"


def test_a_side_without_crops_is_all_unreadable() -> None:
    found = assemble(Side.BACK, [], [], simplify)
    assert found.unreadable == ("authority", "valid_date")
