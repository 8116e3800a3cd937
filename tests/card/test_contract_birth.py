"""A birth before 1900 is well-formed only when the number prints the same date."""

from __future__ import annotations

from datetime import date

from idcard_ocr.card.contract import unreadable
from idcard_ocr.card.model import CardResult, Field, Side

TODAY = date(2026, 12, 2)


def front(birth: str, number: str) -> CardResult:
    values = {"name": "韦小宝", "sex": "男", "nation": "汉", "birth": birth,
              "address": "北京市东城区景山前街4号", "id": number}  # fmt: skip
    return CardResult(Side.FRONT, {k: Field(v) for k, v in values.items()})


def test_a_demo_card_born_in_1654_by_both_birth_and_number_is_well_formed() -> None:
    assert unreadable(front("1654/12/20", "11204416541220243X"), today=TODAY) == ()


def test_a_birth_before_1900_the_number_does_not_print_is_not() -> None:
    assert unreadable(front("1654/12/20", "112044199612202438"), today=TODAY) == ("birth",)


def test_a_birth_after_today_is_never_well_formed() -> None:
    assert unreadable(front("2030/1/1", "110105203001010011"), today=TODAY) == ("birth",)
