"""GB 11643: check character, shape, parsing and the repair of doubtful digits."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from idcard_ocr.card.idnumber import (
    REAL_PROBABILITY,
    IdNumberInfo,
    check_char,
    is_valid,
    is_well_formed,
    parse,
    repair,
    sex_of,
)
from idcard_ocr.card.reading import Char

CLASSIC = "11010519491231002X"  # the standard's own example: check character X
TODAY = date(2026, 1, 1)


def seen(char: str, prob: float, *alternatives: tuple[str, float]) -> Char:
    return Char(char, prob, ((char, prob), *alternatives))


def sure(number: str) -> list[Char]:
    """Every character read with high confidence."""
    return [seen(char, 0.99, ("0" if char != "0" else "1", 0.005)) for char in number]


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


def test_sex_of_reads_the_17th_digit() -> None:
    assert sex_of(CLASSIC) == "女"
    assert sex_of(with_check("44030519900101001")) == "男"
    assert sex_of("1101051949") is None


def test_repair_fixes_a_doubtful_misread_digit() -> None:
    chars = sure(CLASSIC)
    chars[9] = seen("2", 0.55, ("9", 0.40), ("8", 0.05))  # 1949 read as 1929
    assert repair(chars, today=TODAY) == CLASSIC


def test_repair_fixes_a_doubtful_check_character() -> None:
    chars = sure(CLASSIC)
    chars[17] = seen("4", 0.6, ("x", 0.3))  # a lower-case x counts as X
    assert repair(chars, today=TODAY) == CLASSIC


def test_repair_never_touches_a_confident_digit() -> None:
    chars = sure(CLASSIC)
    chars[3] = seen("2", 0.97, ("1", 0.03))  # wrong, but the recogniser was sure
    assert repair(chars, today=TODAY) is None


def test_repair_takes_no_alternative_without_real_probability() -> None:
    chars = sure(CLASSIC)
    chars[9] = seen("2", 0.6, ("9", REAL_PROBABILITY / 2))
    assert repair(chars, today=TODAY) is None
    chars[9] = seen("2", 0.6, ("9", REAL_PROBABILITY))
    assert repair(chars, today=TODAY) == CLASSIC


def test_repair_changes_at_most_one_position() -> None:
    chars = sure(CLASSIC)
    chars[9] = seen("2", 0.6, ("9", 0.4))
    chars[16] = seen("3", 0.6, ("2", 0.4))
    assert repair(chars, today=TODAY) is None


def test_the_issues_reading_is_not_made_into_someone_elses_number() -> None:
    # Printed 11010519491231002X; read with one digit wrong at 0.97 and two right digits at
    # 0.90 whose alternatives are at 0.05 and 0.03. Repairing the two right digits would make
    # 11020519491231662X, another valid number.
    assert is_valid("11020519491231662X")
    chars = sure(CLASSIC)
    chars[3] = seen("2", 0.97, ("1", 0.02))
    chars[14] = seen("0", 0.90, ("6", 0.05))
    chars[15] = seen("0", 0.90, ("6", 0.03))
    assert repair(chars, today=TODAY) is None
    # Doubted, they still could not be repaired: two positions, and no real probability.
    chars[14] = seen("0", 0.89, ("6", 0.05))
    chars[15] = seen("0", 0.89, ("6", 0.03))
    assert repair(chars, today=TODAY) is None


def test_two_about_equally_likely_repairs_give_none() -> None:
    # Read 11010519491231005X: the 5 back to 2 makes CLASSIC, the 0 before it to 4 makes
    # 11010519491231045X; both pass the check with a real birth date.
    other = "11010519491231045X"
    assert is_valid(other)
    chars = sure("11010519491231005X")
    chars[15] = seen("0", 0.6, ("4", 0.3))
    chars[16] = seen("5", 0.6, ("2", 0.2))
    assert repair(chars, today=TODAY) is None  # 0.3 and 0.2: within a factor 2
    chars[16] = seen("5", 0.6, ("2", 0.35))
    assert repair(chars, today=TODAY) is None
    chars[15] = seen("0", 0.6, ("4", 0.1))
    assert repair(chars, today=TODAY) == CLASSIC  # 0.35 against 0.1
    chars[15] = seen("0", 0.6, ("4", 0.4))
    chars[16] = seen("5", 0.6, ("2", 0.15))
    assert repair(chars, today=TODAY) == other


def test_repair_will_not_invent_a_birth_date() -> None:
    first17 = "11010519491231002"
    chars = sure(with_check(first17))
    chars[11] = seen("3", 0.6, ("1", 0.4))  # month 13 only
    chars[17] = seen("9", 0.5)
    assert repair(chars, today=TODAY) is None


def test_repair_needs_eighteen_positions() -> None:
    assert repair(sure(CLASSIC)[:17]) is None


def test_repair_replaces_a_doubtful_non_digit() -> None:
    chars = sure(CLASSIC)
    chars[13] = seen("O", 0.7, ("1", 0.2))
    assert repair(chars, today=TODAY) == CLASSIC


digits17 = st.text(alphabet="0123456789", min_size=17, max_size=17)


@given(digits17)
def test_every_number_built_with_check_char_is_valid(first17: str) -> None:
    assert is_valid(first17 + check_char(first17))


@given(
    st.dates(min_value=date(1900, 1, 1), max_value=TODAY),
    st.text(alphabet="0123456789", min_size=9, max_size=9),
)
def test_a_valid_reading_has_no_repair(birth: date, rest: str) -> None:
    # The check character catches every single-digit change: one swap cannot stay valid.
    number = with_check(rest[:6] + birth.strftime("%Y%m%d") + rest[6:])
    doubtful = [seen(char, 0.5, ("1", 0.3), ("7", 0.2)) for char in number]
    assert repair(doubtful, today=TODAY) is None


@given(digits17)
def test_check_char_agrees_with_id_validator(first17: str) -> None:
    # An independent implementation (weights as 2^(i-1) mod 11) as an oracle.
    helper = pytest.importorskip("id_validator.helper")
    assert check_char(first17) == helper.generator_check_bit(first17)
