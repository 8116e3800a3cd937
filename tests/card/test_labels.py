"""Printed labels at the start of a field's reading: taken off, whole, cut or misread once,
and reported when at least half of them was read surely."""

from __future__ import annotations

import pytest

from idcard_ocr.card.labels import strip_label
from idcard_ocr.card.reading import Char


def read(text: str, prob: float = 0.99) -> list[Char]:
    return [Char(c, prob, ((c, prob),)) for c in text]


def value(field: str, chars: list[Char]) -> str:
    return "".join(c.char for c in strip_label(field, chars).value)


@pytest.mark.parametrize(
    ("field", "reading", "rest", "label"),
    [
        ("name", "姓名李久熙", "李久熙", "姓名"),
        ("name", "名李久熙", "李久熙", "姓名"),  # the crop starts inside the label
        ("name", "李久熙", "李久熙", None),
        ("nation", "民族汉", "汉", "民族"),
        ("nation", "族汉", "汉", "民族"),
        ("nation", "汉", "汉", None),
        ("sex", "性别女", "女", "性别"),
        ("birth", "出生1996年11月24日", "1996年11月24日", "出生"),
        ("address", "住址北京市海淀区", "北京市海淀区", "住址"),
        ("id", "公民身份号码110108199611240188", "110108199611240188", "公民身份号码"),
        ("id", "公民身份证号码11204416541220243X", "11204416541220243X", "公民身份证号码"),
        ("id", "身份号码110108199611240188", "110108199611240188", "公民身份号码"),
        ("id", "码110108199611240188", "110108199611240188", None),  # 1 of 6: not found
        ("authority", "签发机关上海市公安局徐汇分局", "上海市公安局徐汇分局", "签发机关"),
        ("valid_date", "有效期限2005.10.08-2025.10.08", "2005.10.08-2025.10.08", "有效期限"),
    ],
)
def test_labels_are_taken_off_and_reported(
    field: str, reading: str, rest: str, label: str | None
) -> None:
    found = strip_label(field, read(reading))
    assert "".join(c.char for c in found.value) == rest
    assert found.label == label


def test_a_label_misread_once_is_taken_off() -> None:
    chars = read("公民身仿号码110108199611240188")
    assert value("id", chars) == "110108199611240188"
    # In a two-character label only where the recogniser doubted the misread character.
    assert value("nation", [*read("民"), Char("旅", 0.6), *read("汉")]) == "汉"
    assert value("nation", read("民旅汉")) == "民旅汉"


def test_a_value_sharing_a_character_with_its_label_keeps_it() -> None:
    assert value("name", read("李名扬")) == "李名扬"


def test_a_label_read_unsurely_is_taken_off_but_not_reported() -> None:
    found = strip_label("nation", [*read("民族", 0.4), *read("汉")])
    assert "".join(c.char for c in found.value) == "汉"
    assert found.label is None


def test_a_label_character_among_the_alternatives_counts_as_read() -> None:
    chars = [Char("庆", 0.6, (("庆", 0.6), ("族", 0.3))), *read("汉")]
    assert value("nation", chars) == "汉"


def test_an_unknown_field_has_no_label() -> None:
    assert value("other", read("姓名")) == "姓名"


def test_a_label_character_barely_considered_does_not_count() -> None:
    # 石 with 姓 among its alternatives at almost nothing is a surname, not the label.
    chars = [
        Char("石", 1.0, (("石", 1.0), ("姓", 0.0001))),
        Char("明", 1.0, (("明", 1.0), ("名", 0.001))),
    ]
    assert value("name", chars) == "石明"
