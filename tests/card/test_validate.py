"""Every warning code: produced by a case made for it, absent from a consistent card."""

from __future__ import annotations

from datetime import date

import pytest

from idcard_ocr.card.idnumber import check_char
from idcard_ocr.card.validate import WARNINGS, check_back, check_front

TODAY = date(2026, 1, 1)
NUMBER = "11010519491231002X"  # 北京市朝阳区, born 1949-12-31, a woman
FRONT = {
    "name": "张三",
    "sex": "女",
    "nation": "汉",
    "birth": "1949/12/31",
    "address": "北京市朝阳区建国路88号",
    "id_number": NUMBER,
}


def front(**changes: str) -> tuple[str, ...]:
    values = FRONT | changes
    return check_front(
        values["name"],
        values["sex"],
        values["nation"],
        values["birth"],
        values["address"],
        values["id_number"],
        today=TODAY,
    )


def with_check(first17: str) -> str:
    return first17 + check_char(first17)


def test_a_consistent_front_has_no_warnings() -> None:
    assert front() == ()


FRONT_CASES: list[tuple[dict[str, str], str]] = [
    ({"name": " "}, "name_empty"),
    ({"sex": "南"}, "sex_invalid"),
    ({"nation": "火星"}, "nation_unknown"),
    ({"birth": "1949/13/31"}, "birth_invalid"),
    ({"birth": "1899/12/31"}, "birth_invalid"),
    ({"birth": "2027/1/1"}, "birth_invalid"),
    ({"address": ""}, "address_empty"),
    ({"id_number": "11010519491231002"}, "id_malformed"),
    ({"id_number": "110105194913310021"}, "id_malformed"),  # month 13
    ({"id_number": "110105194912310021"}, "id_checksum"),
    ({"id_number": with_check("99010519491231002")}, "id_region_unknown"),
    ({"id_number": with_check("31023019491231002")}, "id_region_historical"),  # 崇明县
    ({"birth": "1949/12/30"}, "id_birth_mismatch"),
    ({"sex": "男"}, "id_sex_mismatch"),
]


@pytest.mark.parametrize(("changes", "code"), FRONT_CASES)
def test_front_warnings(changes: dict[str, str], code: str) -> None:
    assert code in front(**changes)
    assert code in WARNINGS


def test_a_malformed_number_is_not_checked_further() -> None:
    assert front(id_number="1101051949") == ("id_malformed",)


def test_an_unknown_region_is_only_a_warning() -> None:
    assert front(id_number=with_check("99010519491231002")) == ("id_region_unknown",)


def test_nation_extras_are_accepted() -> None:
    assert front(nation="穿青人") == ()


AUTHORITY = "北京市公安局朝阳分局"


def back(
    valid_date: str, *, birth: date | None = None, authority: str = AUTHORITY
) -> tuple[str, ...]:
    return check_back(authority, valid_date, birth=birth, today=TODAY)


@pytest.mark.parametrize(
    ("valid_date", "birth"),
    [
        ("2017.08.12-2037.08.12", date(1985, 3, 1)),  # 32 at issue: 20 years
        ("2017.08.12-2027.08.12", date(1995, 3, 1)),  # 22: 10 years
        ("2022.08.12-2027.08.12", date(2010, 3, 1)),  # 12: 5 years
        ("2017.08.12-长期", date(1960, 3, 1)),  # 57: long-term
        ("2016.02.29-2026.02.28", date(1995, 3, 1)),  # from 29 February
        ("2016.02.29-2026.03.01", date(1995, 3, 1)),
        ("2021.12.01-2026.12.01", date(2005, 10, 1)),  # applied at 15, issued at 16
    ],
)
def test_a_consistent_back_has_no_warnings(valid_date: str, birth: date) -> None:
    assert back(valid_date, birth=birth) == ()


BACK_CASES: list[tuple[str, date | None, str]] = [
    ("2017.8.12-2037.8.12", None, "validity_malformed"),
    ("2017.08.12-2037.02.30", None, "validity_malformed"),
    ("2017.08.12-2032.08.12", None, "validity_term"),  # 15 years
    ("2017.08.12-2037.08.13", None, "validity_term"),  # a different day
    ("2037.08.12-2017.08.12", None, "validity_term"),  # backwards
    ("2017.08.12-2037.08.12", date(1995, 3, 1), "validity_age"),  # 22 needs 10 years
    ("2017.08.12-长期", date(1985, 3, 1), "validity_age"),  # 32 is not long-term
    ("2017.08.12-2027.08.12", date(2018, 3, 1), "validity_age"),  # issued before birth
    ("2026.03.01-2036.03.01", None, "validity_future"),
    ("2005.08.12-2025.08.12", None, "expired"),
]


@pytest.mark.parametrize(("valid_date", "birth", "code"), BACK_CASES)
def test_back_warnings(valid_date: str, birth: date | None, code: str) -> None:
    assert code in back(valid_date, birth=birth)
    assert code in WARNINGS


def test_the_age_rule_needs_the_birth() -> None:
    assert back("2017.08.12-长期") == ()


@pytest.mark.parametrize(
    "authority", ["", "北京市朝阳区", "公安局", "北京市公安局朝阳", "XX县公安局"]
)
def test_authority_unknown(authority: str) -> None:
    assert "authority_unknown" in back("2017.08.12-长期", authority=authority)


@pytest.mark.parametrize(
    "authority", ["凤庆县公安局", "深圳市公安局南山分局", "广州市公安局天河区分局"]
)
def test_authority_shapes(authority: str) -> None:
    assert back("2017.08.12-长期", authority=authority) == ()


def test_every_documented_code_has_a_case() -> None:
    tested = {code for _, code in FRONT_CASES} | {code for *_, code in BACK_CASES}
    assert tested | {"authority_unknown"} == set(WARNINGS)
