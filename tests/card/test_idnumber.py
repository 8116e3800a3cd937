"""GB 11643: check character, shape, parsing and the repair of doubtful digits."""

from __future__ import annotations

import time
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from idcard_ocr.card.idnumber import (
    IdNumberInfo,
    check_char,
    is_valid,
    is_well_formed,
    parse,
    repair,
)

CLASSIC = "11010519491231002X"  # the standard's own example: check character X
TODAY = date(2026, 1, 1)

# An alternative list per position where every digit is read with high confidence.
Candidates = list[list[tuple[str, float]]]


def sure(number: str) -> Candidates:
    return [[(char, 0.99), ("0" if char != "0" else "1", 0.005)] for char in number]


def with_check(first17: str) -> str:
    return first17 + check_char(first17)


def test_check_char_of_the_classic_example_is_x() -> None:
    assert check_char(CLASSIC[:17]) == "X"
    assert is_valid(CLASSIC)


@pytest.mark.parametrize(
    ("first17", "expected"),
    [
        ("00000000000000000", "1"),  # sum 0 → index 0
        ("44030519900101001", "8"),  # sum 180, 180 mod 11 = 4 → index 4
        ("53092119851123453", "X"),
        ("33078220000229002", "8"),
    ],
)
def test_check_char_known_values(first17: str, expected: str) -> None:
    assert check_char(first17) == expected


def test_check_char_rejects_wrong_input() -> None:
    with pytest.raises(ValueError):
        check_char("1234")
    with pytest.raises(ValueError):
        check_char("1101051949123100X")


def test_is_well_formed() -> None:
    assert is_well_formed(CLASSIC)
    assert is_well_formed("110105194912310021")
    assert not is_well_formed("11010519491231002x")  # lower-case x is not printed
    assert not is_well_formed("1101051949123100XX")
    assert not is_well_formed("11010519491231002")
    assert not is_well_formed("11010519491231002X0")
    assert not is_well_formed("11010519491231O02X")


def test_is_valid_rejects_a_wrong_check_character() -> None:
    assert not is_valid("110105194912310021")
    assert not is_valid("11010519491231002")


def test_parse_reads_region_birth_and_sex() -> None:
    assert parse(CLASSIC) == IdNumberInfo("110105", date(1949, 12, 31), "女")
    man = with_check("44030519900101001")
    assert parse(man) == IdNumberInfo("440305", date(1990, 1, 1), "男")


def test_parse_does_not_require_the_check() -> None:
    assert parse("110105194912310021") is not None


@pytest.mark.parametrize(
    "number",
    ["110105194913310021", "110105190002290021", "110105189912310021", "1101051949123100"],
)
def test_parse_refuses_impossible_births_and_bad_shapes(number: str) -> None:
    assert parse(number) is None


def test_parse_refuses_a_birth_after_today() -> None:
    number = with_check("11010520260102002")
    assert parse(number, today=TODAY) is None
    assert parse(number, today=date(2026, 1, 2)) is not None


def test_repair_keeps_a_valid_reading() -> None:
    assert repair(sure(CLASSIC)) == CLASSIC


def test_repair_fixes_a_doubtful_misread_digit() -> None:
    candidates = sure(CLASSIC)
    candidates[9] = [("2", 0.55), ("9", 0.40), ("8", 0.05)]  # 1949 read as 1929
    assert repair(candidates, today=TODAY) == CLASSIC


def test_repair_fixes_a_doubtful_check_character() -> None:
    candidates = sure(CLASSIC)
    candidates[17] = [("4", 0.6), ("x", 0.3)]  # a lower-case x counts as X
    assert repair(candidates, today=TODAY) == CLASSIC


def test_repair_never_touches_a_confident_digit() -> None:
    candidates = sure(CLASSIC)
    candidates[3] = [("2", 0.97), ("1", 0.03)]  # wrong, but the recogniser was sure
    assert repair(candidates, today=TODAY) is None


def test_repair_returns_none_when_the_alternatives_cannot_make_it_valid() -> None:
    candidates = sure(CLASSIC)
    candidates[14] = [("1", 0.5), ("2", 0.4)]  # the true 0 is not among the alternatives
    assert repair(candidates, today=TODAY) is None


def test_repair_respects_max_changes() -> None:
    candidates = sure(CLASSIC)
    candidates[9] = [("2", 0.6), ("9", 0.4)]
    candidates[16] = [("3", 0.6), ("2", 0.4)]
    assert repair(candidates, today=TODAY, max_changes=1) is None
    assert repair(candidates, today=TODAY, max_changes=2) == CLASSIC


def test_repair_prefers_the_most_probable_valid_string() -> None:
    # Digit 17 is doubtful (7, 3 or 1) and so is the check character; the top-1 reading is
    # invalid and two valid strings exist, with probabilities 0.3 * 0.5 and 0.2 * 0.5.
    body = "4403051990010100"
    via_3, via_1 = with_check(body + "3"), with_check(body + "1")
    assert via_3[17] != via_1[17] and check_char(body + "7") not in (via_3[17], via_1[17])
    candidates = sure(via_3)
    candidates[16] = [("7", 0.5), ("3", 0.3), ("1", 0.2)]
    candidates[17] = [(via_1[17], 0.5), (via_3[17], 0.5)]
    assert repair(candidates, today=TODAY) == via_3


def test_repair_will_not_invent_a_birth_date() -> None:
    first17 = "11010519491231002"
    candidates = sure(with_check(first17))
    candidates[11] = [("3", 0.6), ("1", 0.4)]  # month 13 only
    candidates[17] = [("9", 0.5)]
    assert repair(candidates, today=TODAY) is None


def test_repair_needs_eighteen_positions() -> None:
    assert repair(sure(CLASSIC)[:17]) is None
    broken = sure(CLASSIC)
    broken[4] = []
    assert repair(broken) is None


def test_repair_replaces_a_doubtful_non_digit() -> None:
    candidates = sure(CLASSIC)
    candidates[13] = [("O", 0.7), ("1", 0.2)]
    assert repair(candidates, today=TODAY) == CLASSIC


digits17 = st.text(alphabet="0123456789", min_size=17, max_size=17)


@given(digits17)
def test_every_number_built_with_check_char_is_valid(first17: str) -> None:
    assert is_valid(first17 + check_char(first17))


@given(
    st.dates(min_value=date(1900, 1, 1), max_value=TODAY),
    st.text(alphabet="0123456789", min_size=9, max_size=9),
)
def test_repair_of_a_valid_reading_is_identity(birth: date, rest: str) -> None:
    number = with_check(rest[:6] + birth.strftime("%Y%m%d") + rest[6:])
    doubtful = [[(char, 0.5), ("1", 0.3), ("7", 0.2)] for char in number]
    assert repair(doubtful, today=TODAY) == number


@given(digits17)
def test_check_char_agrees_with_id_validator(first17: str) -> None:
    # An independent implementation (weights as 2^(i-1) mod 11) as an oracle.
    helper = pytest.importorskip("id_validator.helper")
    assert check_char(first17) == helper.generator_check_bit(first17)


def test_repair_gives_up_quickly_when_nothing_fits() -> None:
    # Sixteen doubtful positions with five alternatives each, and a confident month 13:
    # every string within two changes is tried and refused.
    number = "110105194913310020"
    candidates = [[(d, 0.3) for d in (c + "0123456789".replace(c, ""))[:5]] for c in number]
    candidates[10], candidates[11] = [("1", 0.99)], [("3", 0.99)]
    start = time.perf_counter()
    assert repair(candidates, today=TODAY) is None
    assert time.perf_counter() - start < 0.5
