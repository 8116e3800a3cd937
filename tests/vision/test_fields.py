"""Field crops from the rows found on a card laid out as real cards are, not as our layout."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

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


# A card printing its values 5.5 mm right of the layout's column, each apart from its label
# (the detector boxes them separately when the gap is that wide); the nation's label stays
# where cards usually print it.
FAR_VALUES = [
    Line(28.3, 44.2, 80.4, 49.6),  # the number
    Line(5.5, 44.3, 26.0, 48.9),  # 公民身份号码
    Line(22.0, 30.4, 41.0, 34.5),  # address, second line
    Line(5.3, 25.0, 12.5, 30.2),  # 住址
    Line(21.9, 25.0, 52.0, 30.2),  # address, first line
    Line(5.5, 19.0, 12.5, 23.3),  # 出生
    Line(22.1, 19.0, 46.0, 23.3),  # birth
    Line(5.5, 12.7, 12.5, 17.4),  # 性别
    Line(22.3, 12.7, 26.4, 17.4),  # 女
    Line(28.5, 12.7, 38.0, 17.4),  # 民族汉
    Line(5.6, 6.7, 12.5, 11.9),  # 姓名
    Line(22.0, 6.7, 30.0, 11.9),  # name
]


def test_the_sex_is_cut_where_the_card_prints_its_values() -> None:
    crops = by_field(front_crops(FAR_VALUES))
    [sex], [nation] = crops["sex"], crops["nation"]
    assert sex.x0 < 22.3 and sex.x1 > 26.4  # the whole 女, not the layout's column
    assert nation.x0 < 28.5  # the nation's crop still takes in its label


def test_one_value_further_right_does_not_move_the_column() -> None:
    """Only values that start together show where a card prints them: a name printed
    apart, with the birth and address joined to their labels, leaves the layout's column."""
    joined = [
        Line(5.3, 25.0, 52.0, 30.2)
        if ln.y0 == 25.0
        else Line(5.5, 19.0, 46.0, 23.3)
        if ln.y0 == 19.0
        else ln
        for ln in FAR_VALUES
        if not (ln.y0 in (25.0, 19.0) and ln.x0 > 20.0)
    ]
    [sex] = by_field(front_crops(joined))["sex"]
    [usual] = by_field(front_crops(SPECIMEN))["sex"]
    assert sex.x0 == pytest.approx(usual.x0, abs=0.5)


def test_a_stamp_in_the_label_column_is_no_address_line() -> None:
    crops = by_field(front_crops(SPECIMEN))
    assert len(crops["address"]) == 2
    assert all(c.y1 < 36.0 for c in crops["address"])


def test_an_address_line_beside_a_stamp_is_kept() -> None:
    beside = [*SPECIMEN[:2], Line(3.0, 33.0, 26.8, 39.8), *SPECIMEN[3:]]
    crops = by_field(front_crops(beside))
    assert len(crops["address"]) == 3


def test_an_address_crop_says_whether_it_ends_where_its_text_does() -> None:
    """A row that runs on into the portrait is cut at its edge: the crop does not end where
    the text does (`vision.washout` then sees no unread text after the last character)."""
    first, second = sorted(by_field(front_crops(SPECIMEN))["address"], key=lambda c: c.y0)
    assert first.ends_text and second.ends_text
    into_portrait = [*SPECIMEN[:4], Line(5.3, 25.0, 70.0, 30.2), *SPECIMEN[5:]]
    first, second = sorted(by_field(front_crops(into_portrait))["address"], key=lambda c: c.y0)
    assert not first.ends_text and first.x1 < 62.0
    assert second.ends_text


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


def test_an_authority_row_gone_unseen_is_cut_one_row_above_the_validity() -> None:
    """The detector dropped the authority's row (a `仅供…使用` line written across it and its
    label): it is cut from the value column, a row above the validity row that was found."""
    lines = [
        Line(30.0, 8.0, 78.0, 13.0),
        Line(27.0, 16.5, 79.0, 24.5),
        Line(15.5, 45.5, 67.0, 49.5),
    ]
    crops = by_field(back_crops(lines))
    [authority], [validity] = crops["authority"], crops["valid_date"]
    assert 28.0 < authority.x0 < 30.0 and authority.x1 >= 82.0
    assert authority.y0 == pytest.approx(39.5) and authority.y1 == pytest.approx(43.5)
    assert validity.x0 < 15.5


def test_a_back_with_no_row_below_its_title_has_no_crops() -> None:
    assert back_crops([Line(30.0, 8.0, 78.0, 13.0), Line(27.0, 16.5, 79.0, 24.5)]) == []


def test_a_crop_beyond_the_card_edge_is_a_sliver_not_empty() -> None:
    rows, cols = Crop("address", 90.0, 60.0, 95.0, 65.0).pixels(16.0, (864, 1370, 3))
    assert rows.stop - rows.start >= 1 and cols.stop - cols.start >= 1
    assert rows.start < 864 and cols.start < 1370


# A Zhuang-Chinese card: a line of the second script, nearly as tall as the Chinese, over
# every label and value, so that the label column starts eight rows (boxes in mm).
BILINGUAL = {
    Line(28.3, 44.8, 80.7, 49.3): "420703197309024949",
    Line(5.3, 44.9, 23.0, 49.0): "公民身份号码",
    Line(5.5, 5.4, 12.5, 8.1): "Singqmingz",
    Line(14.5, 5.4, 33.1, 8.1): "Yenmbanj Swjcinyen",
    Line(5.2, 8.0, 11.5, 11.0): "姓名",
    Line(14.8, 7.3, 27.2, 11.2): "段璐雨",
    Line(5.6, 11.0, 12.0, 13.7): "Singqbied",
    Line(26.0, 11.1, 33.0, 13.6): "Minzcuz",
    Line(38.0, 11.0, 50.2, 13.7): "Lungzvangzcin",
    Line(5.3, 13.5, 11.5, 16.5): "性别",
    Line(14.8, 12.9, 18.5, 17.0): "女",
    Line(26.0, 13.5, 32.0, 16.5): "民族",
    Line(38.5, 12.9, 42.1, 17.0): "汉",
    Line(5.4, 18.3, 11.0, 20.5): "Okseng",
    Line(5.3, 20.3, 11.5, 23.3): "出生",
    Line(14.8, 19.4, 49.5, 23.4): "1973年9月2日",
    Line(5.3, 23.9, 11.5, 26.0): "Dieggyuz",
    Line(14.8, 23.9, 52.7, 26.5): "Raemxndoisih Gvangjbyayen",
    Line(5.0, 26.4, 11.5, 29.9): "住址",
    Line(14.8, 26.1, 52.7, 30.0): "湖北省鄂州市华容区东风",
    Line(14.8, 30.5, 47.9, 34.3): "街道黄河大道291号",
}


class ReadsBoxes:
    """Stands in for the recogniser: a crop reads as the box its centre falls in."""

    def __init__(self, boxes: dict[Line, str]) -> None:
        self.boxes = boxes
        self.crops: list[Crop] = []

    def __call__(self, crops: Sequence[Crop]) -> list[str]:
        self.crops.extend(crops)
        return [self._text((c.x0 + c.x1) / 2, (c.y0 + c.y1) / 2) for c in crops]

    def _text(self, x: float, y: float) -> str:
        inside = [t for b, t in self.boxes.items() if b.x0 <= x <= b.x1 and b.y0 <= y <= b.y1]
        return inside[0] if inside else ""


def rows_of(crops: list[Crop]) -> list[str]:
    """Which Chinese value box each crop is cut around (its centre inside, no taller)."""
    values = [box for box, text in BILINGUAL.items() if box.x0 > 14.0 and not text.isascii()]
    return [
        next(
            BILINGUAL[b]
            for b in values
            if b.y0 <= (c.y0 + c.y1) / 2 <= b.y1 and c.y1 - c.y0 <= b.y1 - b.y0 + 0.1
        )
        for c in crops
    ]


def test_the_labels_read_tell_a_second_scripts_rows_from_the_chinese() -> None:
    read = ReadsBoxes(BILINGUAL)
    crops = by_field(front_crops(list(BILINGUAL), read))
    assert read.crops  # the crowded label column was read
    assert rows_of(crops["name"]) == ["段璐雨"]
    assert rows_of(crops["sex"]) == rows_of(crops["nation"]) == ["女"]
    assert rows_of(crops["birth"]) == ["1973年9月2日"]
    assert rows_of(crops["address"]) == ["湖北省鄂州市华容区东风", "街道黄河大道291号"]


def test_labels_that_do_not_read_in_order_leave_the_rows_to_geometry() -> None:
    scrambled = {box: ("住址" if text == "姓名" else text) for box, text in BILINGUAL.items()}
    read = ReadsBoxes(scrambled)
    by_reading = front_crops(list(BILINGUAL), read)
    assert read.crops
    assert by_reading == front_crops(list(BILINGUAL))  # the reading was not used


def test_without_the_four_labels_only_the_label_column_is_read() -> None:
    unlabelled = {
        box: ("文字" if text in ("姓名", "住址") else text) for box, text in BILINGUAL.items()
    }
    read = ReadsBoxes(unlabelled)
    front_crops(list(BILINGUAL), read)
    assert read.crops and all(c.field == "label" for c in read.crops)


def test_a_page_of_text_is_not_read_for_labels() -> None:
    page = [Line(5.0, 3.0 + 2.4 * i, 50.0, 5.0 + 2.4 * i) for i in range(16)]
    page.append(Line(28.3, 44.8, 80.7, 49.3))
    read = ReadsBoxes({})
    front_crops(page, read)
    assert not read.crops


def test_an_uncrowded_label_column_is_not_read() -> None:
    read = ReadsBoxes({})
    assert front_crops(SPECIMEN, read) == front_crops(SPECIMEN)
    assert not read.crops


def test_a_second_scripts_line_under_each_back_value_is_dropped() -> None:
    boxes = {
        Line(30.0, 8.0, 78.0, 13.0): "中华人民共和国",
        Line(27.0, 16.5, 79.0, 24.5): "居民身份证",
        Line(15.5, 38.5, 51.2, 43.2): "签发机关上杭县公安局",
        Line(15.5, 41.5, 45.3, 45.6): "s ylala sos sel lion",
        Line(15.8, 45.1, 55.1, 49.8): "有效期限2015.04.06-长期",
        Line(15.9, 48.4, 45.2, 52.4): "ylala sos",
    }
    crops = by_field(back_crops(list(boxes), ReadsBoxes(boxes)))
    [authority], [validity] = crops["authority"], crops["valid_date"]
    assert (authority.y0, authority.y1) == pytest.approx((38.5, 43.2))
    assert (validity.y0, validity.y1) == pytest.approx((45.1, 49.8))
