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
    crops = [crop(f) for f in ("name", "sex", "nation", "birth", "id")]
    readings = [
        line("姓名李久熙"),
        line("女"),
        line("民族汉"),
        line("1996年11月24日"),
        line("公民身份号码110108199611240188"),
    ]
    first, second = Crop("address", 14.5, 25.0, 52.0, 30.0), Crop("address", 14.5, 30.0, 52.0, 35.0)
    # An address's lines, concatenated in crop order.
    crops[4:4] = [first, second]
    readings[4:4] = [
        placed("北京市海淀区双榆树", first, pitch(18.1, 9)),
        placed("东里99区2号楼302室", second, pitch(18.1, 12, 2.6)),
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


def placed(text: str, crop: Crop, starts_mm: list[float], prob: float = 0.99) -> LineReading:
    """`text` read in `crop`, each character centred at the given mm on the card."""
    width = crop.x1 - crop.x0
    return LineReading(
        tuple(
            CharReading(c, prob, ((c, prob),), (x - crop.x0) / width)
            for c, x in zip(text, starts_mm, strict=True)
        )
    )


def pitch(start: float, n: int, step: float = 3.2) -> list[float]:
    return [start + step * i for i in range(n)]


FRONT_FIELDS = (
    (crop("name"), line("李久熙")),
    (crop("sex"), line("女")),
    (crop("nation"), line("民族汉")),
    (crop("birth"), line("1996年11月24日")),
)
NUMBER = (crop("id"), line("公民身份号码110108199611240188"))


def read_address(*rows: tuple[Crop, LineReading]) -> str:
    pairs = [*FRONT_FIELDS, *rows, NUMBER]
    found = assemble(Side.FRONT, [c for c, _ in pairs], [r for _, r in pairs], simplify)
    return found.result.fields["address"].text


def test_a_stamp_read_left_of_the_address_column_is_not_address() -> None:
    # The 样证 stamp sits in the label column beside the last line (its box taken in with
    # the line's), or on a line of its own below it.
    first = Crop("address", 14.5, 25.0, 52.0, 30.0)
    second = Crop("address", 14.5, 30.0, 48.0, 35.0)
    beside = Crop("address", 3.0, 35.0, 30.0, 41.0)
    below = Crop("address", 3.0, 35.0, 20.0, 43.0)
    rows = (
        (first, placed("北京市海淀区双榆树东里", first, pitch(18.1, 11))),
        (
            second,
            placed(
                "99区2号楼3单元", second, [17.4, 19.1, 20.8, 22.9, 24.6, 26.3, 28.5, 30.5, 32.8]
            ),
        ),
    )
    stamp_then_room = placed("样证502室", beside, [8.0, 15.0, 17.4, 19.1, 20.8, 22.9], 0.95)
    assert (
        read_address(*rows, (beside, stamp_then_room))
        == "北京市海淀区双榆树东里99区2号楼3单元502室"
    )
    stamp_alone = placed("祥证", below, [8.0, 15.0], 0.5)
    address = read_address(*rows, (below, stamp_alone))
    assert address == "北京市海淀区双榆树东里99区2号楼3单元"


def test_a_line_starting_at_the_column_keeps_all_its_characters() -> None:
    # A card printing its values 1.5 mm left of the layout's column: the first line shows
    # where the column is, and the next line's first character (a half-width digit) is kept.
    first = Crop("address", 14.5, 25.0, 52.0, 30.0)
    second = Crop("address", 12.0, 30.0, 40.0, 35.0)
    starts = [15.85, 17.5, 19.3, 21.4, 23.1, 24.9, 26.7, 28.4, 30.1, 32.1]
    rows = (
        (first, placed("北京市海淀区双榆树东里", first, pitch(16.6, 11))),
        (second, placed("99区2号楼302室", second, starts)),
    )
    assert read_address(*rows) == "北京市海淀区双榆树东里99区2号楼302室"
