"""Field crops from the rows found on a card laid out as real cards are, not as our layout."""

from __future__ import annotations

from idcard_ocr.vision.fields import Crop, back_crops, front_crops
from idcard_ocr.vision.lines import Line

# Text boxes (mm) found on a real specimen card: label and value often in one box, the
# nation printed right after 民族 (value at ~34 mm), a red 样证 stamp below the address.
SPECIMEN = [
    Line(28.3, 44.2, 80.4, 49.6),  # the number
    Line(5.5, 44.3, 30.2, 48.9),  # 公民身份号码
    Line(3.8, 34.5, 17.9, 42.6),  # 样证
    Line(15.1, 30.4, 41.2, 34.5),  # address, second line
    Line(5.3, 25.0, 50.1, 30.2),  # 住址 + address
    Line(5.5, 19.0, 41.8, 23.3),  # 出生 + birth
    Line(5.5, 12.7, 33.7, 17.4),  # 性别 女 民族汉
    Line(5.6, 6.7, 27.4, 11.9),  # 姓名 + name
]


def by_field(crops: list[Crop]) -> dict[str, list[Crop]]:
    found: dict[str, list[Crop]] = {}
    for crop in crops:
        found.setdefault(crop.field, []).append(crop)
    return found


def test_the_nation_crop_takes_in_its_label_wherever_the_value_sits() -> None:
    crops = by_field(front_crops(SPECIMEN))
    [sex], [nation] = crops["sex"], crops["nation"]
    assert sex.x1 <= nation.x0 + 0.01  # the sex crop ends before the nation label
    assert nation.x0 < 26.0  # the label 民族 starts at ~26 mm on this card
    assert nation.x1 > 33.7  # past the end of the value
    assert nation.alphabet is not None and {"民", "族", "汉", "满"} <= set(nation.alphabet)


def test_a_stamp_in_the_label_column_is_no_address_line() -> None:
    crops = by_field(front_crops(SPECIMEN))
    assert len(crops["address"]) == 2
    assert all(c.y1 < 36.0 for c in crops["address"])


def test_an_address_line_beside_a_stamp_is_kept() -> None:
    beside = [*SPECIMEN[:2], Line(3.0, 33.0, 26.8, 39.8), *SPECIMEN[3:]]
    crops = by_field(front_crops(beside))
    assert len(crops["address"]) == 3


def test_the_number_crop_takes_in_its_label_as_evidence_of_the_side() -> None:
    [number] = by_field(front_crops(SPECIMEN))["id"]
    assert number.x0 < 5.5 and number.x1 > 80.4
    assert number.alphabet is not None and set("公民身份证号码X0123456789") <= set(number.alphabet)


def test_the_back_values_take_in_their_labels() -> None:
    lines = [
        Line(30.0, 8.0, 78.0, 13.0),
        Line(27.0, 16.5, 79.0, 24.5),
        Line(15.5, 39.5, 66.0, 43.5),
        Line(15.5, 45.5, 67.0, 49.5),
    ]
    crops = by_field(back_crops(lines))
    assert crops["authority"][0].x0 < 15.5 and crops["valid_date"][0].x0 < 15.5
    alphabet = crops["valid_date"][0].alphabet
    assert alphabet is not None and set("有效期限长0.-") <= set(alphabet)


def test_a_crop_beyond_the_card_edge_is_a_sliver_not_empty() -> None:
    rows, cols = Crop("address", 90.0, 60.0, 95.0, 65.0).pixels(16.0, (864, 1370, 3))
    assert rows.stop - rows.start >= 1 and cols.stop - cols.start >= 1
    assert rows.start < 864 and cols.start < 1370
