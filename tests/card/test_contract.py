"""The answer contract: a field is unreadable unless present and well-formed."""

from __future__ import annotations

from datetime import date

import pytest

from idcard_ocr.card.contract import number_confirms_birth, unreadable
from idcard_ocr.card.model import CardResult, Field, Side

TODAY = date(2026, 1, 1)
FRONT = {
    "name": "张三",
    "sex": "女",
    "nation": "汉",
    "birth": "1949/12/31",
    "address": "北京市朝阳区建国路88号",
    "id": "11010519491231002X",
}
BACK = {"authority": "北京市公安局朝阳分局", "valid_date": "2017.08.12-2037.08.12"}


def front(**changes: str) -> tuple[str, ...]:
    fields = {k: Field(v) for k, v in (FRONT | changes).items()}
    return unreadable(CardResult(Side.FRONT, fields), today=TODAY)


def back(**changes: str) -> tuple[str, ...]:
    fields = {k: Field(v) for k, v in (BACK | changes).items()}
    return unreadable(CardResult(Side.BACK, fields), today=TODAY)


def test_a_well_formed_side_has_nothing_unreadable() -> None:
    assert front() == ()
    assert back() == ()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", ""),
        ("sex", "南"),
        ("sex", ""),
        ("nation", "京汉"),
        ("nation", ""),
        ("birth", "1967/43/0"),
        ("birth", "1654/12/20"),
        ("birth", "2026/1/2"),
        ("birth", "19491231"),
        ("address", ""),
        ("id", "11010519491231002"),
        ("id", "110105194912310021X"),
        ("id", "1101051949123100X2"),
    ],
)
def test_front_fields_that_are_not_well_formed(field: str, value: str) -> None:
    assert front(**{field: value}) == (field,)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("nation", "穿青人"),  # printed for a group not among the 56
        ("id", "110105194912310021"),  # fails its check: still well formed, as printed
        ("birth", "1900/1/1"),
    ],
)
def test_front_values_that_are_well_formed(field: str, value: str) -> None:
    assert front(**{field: value}) == ()


def test_unreadable_fields_are_named_in_api_order() -> None:
    assert front(id="", name="", nation="京汉") == ("name", "nation", "id")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("authority", ""),
        ("authority", "3室"),
        ("authority", "北京市朝阳区"),
        ("valid_date", "2101.13.19-5611.2"),
        ("valid_date", "2017.08.12-2032.08.12"),  # 15 years
        ("valid_date", "2017.08.12-2037.08.13"),  # another day
        ("valid_date", "2037.08.12-2017.08.12"),  # the end before the start
        ("valid_date", "2017.08.12"),
    ],
)
def test_back_fields_that_are_not_well_formed(field: str, value: str) -> None:
    assert back(**{field: value}) == (field,)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("authority", "凤庆县公安局"),
        ("authority", "广州市公安局天河区分局"),
        ("valid_date", "2017.08.12-长期"),
        ("valid_date", "2016.02.29-2026.02.28"),
        ("valid_date", "2005.10.08-2025.10.08"),  # expired: a warning, not unreadable
    ],
)
def test_back_values_that_are_well_formed(field: str, value: str) -> None:
    assert back(**{field: value}) == ()


def sure(**texts: str) -> CardResult:
    return CardResult(Side.FRONT, {k: Field(v, (100,) * len(v)) for k, v in texts.items()})


def test_a_number_that_passes_its_check_and_prints_the_birth_read_confirms_a_front() -> None:
    assert number_confirms_birth(sure(**FRONT))


@pytest.mark.parametrize(
    "changes",
    [
        {"birth": "1949/12/30"},  # another day than the number's
        {"id": "110105194912310021"},  # fails its check
        {"id": "11010519491231002"},  # 17 characters
        {"birth": ""},
    ],
)
def test_a_number_and_a_birth_that_disagree_confirm_nothing(changes: dict[str, str]) -> None:
    assert not number_confirms_birth(sure(**(FRONT | changes)))


def test_a_birth_taken_from_the_number_is_no_second_printing() -> None:
    fields = {k: Field(v, (100,) * len(v)) for k, v in FRONT.items()}
    fields["birth"] = Field(FRONT["birth"], (50,) * len(FRONT["birth"]))
    assert not number_confirms_birth(CardResult(Side.FRONT, fields))
    fields["birth"] = Field(FRONT["birth"], (100,) * len(FRONT["birth"]))
    fields["id"] = Field(FRONT["id"], (100,) * 17 + (60,))
    assert not number_confirms_birth(CardResult(Side.FRONT, fields))
