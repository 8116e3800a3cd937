"""The one way corrections are applied: aligned to the reading, refused where they would
overrule a confident character, and carrying the evidence for what they put in."""

from __future__ import annotations

from dataclasses import replace

from idcard_ocr.card.correction import (
    DICTIONARY_CONFIDENCE,
    DISPUTED_CONFIDENCE,
    chosen,
    correct,
    settled,
    standardised,
)
from idcard_ocr.card.reading import Char

TRADITIONAL = {"悅": "悦", "乾": "干", "漢": "汉"}


def simplify(char: str) -> str:
    return TRADITIONAL.get(char, char)


def read(text: str, prob: float = 0.99) -> list[Char]:
    return [Char(c, prob, ((c, prob),)) for c in text]


def doubted(char: str, prob: float, *alternatives: tuple[str, float]) -> Char:
    return Char(char, prob, ((char, prob), *alternatives))


def test_an_unchanged_text_keeps_every_belief() -> None:
    reading = read("北京市")
    correction = correct(reading, "北京市")
    assert correction.chars == tuple(reading)
    assert not correction.refused
    assert correction.support == 1.0


def test_a_replaced_character_carries_the_recognisers_probability_of_it() -> None:
    reading = [*read("深"), doubted("川", 0.6, ("圳", 0.3)), *read("市")]
    correction = correct(reading, "深圳市")
    assert [c.char for c in correction.chars] == list("深圳市")
    assert [c.prob for c in correction.chars] == [0.99, 0.3, 0.99]
    assert correction.touched == {1}
    assert not correction.refused


def test_a_change_the_recogniser_never_considered_rests_on_the_dictionary() -> None:
    reading = [*read("深"), doubted("川", 0.6), *read("市")]
    correction = correct(reading, "深圳市")
    assert correction.chars[1].prob == DICTIONARY_CONFIDENCE
    seen = [*read("深"), doubted("川", 0.6, ("圳", 0.3)), *read("市")]
    assert correction.support < correct(seen, "深圳市").support


def test_a_corrected_character_never_looks_confident() -> None:
    reading = [doubted("川", 0.45, ("圳", 0.899))]  # the second opinion may reorder
    assert correct(reading, "圳").chars[0].prob < 0.9


def test_a_confident_character_is_never_overwritten() -> None:
    correction = correct(read("深川市"), "深圳市")
    assert correction.refused


def test_a_confident_character_is_never_deleted() -> None:
    assert correct(read("汉族"), "汉").refused
    assert not correct([*read("汉"), doubted("族", 0.5)], "汉").refused


def test_nothing_is_inserted_between_two_confident_characters() -> None:
    assert correct(read("井县"), "井陉县").refused
    assert not correct([*read("井"), doubted("县", 0.7)], "井陉县").refused
    # At the end of the reading a character has only one neighbour: the crop may cut it off.
    end = correct(read("哈萨"), "哈萨克")
    assert not end.refused
    assert end.chars[-1].prob == DICTIONARY_CONFIDENCE


def test_the_clearly_best_supported_correction_is_chosen() -> None:
    reading = [*read("井"), doubted("经", 0.6, ("陉", 0.3)), *read("县")]
    supported, guessed = correct(reading, "井陉县"), correct(reading, "井泾县")
    assert chosen([supported, guessed]) == supported


def test_about_equally_supported_corrections_are_a_tie_and_none_is_chosen() -> None:
    reading = [*read("井"), doubted("经", 0.6, ("陉", 0.08), ("泾", 0.06)), *read("县")]
    assert chosen([correct(reading, "井陉县"), correct(reading, "井泾县")]) is None


def test_a_refused_correction_is_never_chosen() -> None:
    reading = read("井经县")
    assert chosen([correct(reading, "荥经县")]) is None


def test_corrections_to_the_same_text_are_one() -> None:
    reading = [*read("深"), doubted("川", 0.6), *read("市")]
    assert chosen([correct(reading, "深圳市"), correct(reading, "深圳市")]) is not None


def test_between_equals_the_one_explaining_more_of_the_reading_wins() -> None:
    reading = [doubted("深", 0.6), doubted("川", 0.6), *read("市南山区")]
    city = replace(correct(reading, "深圳市南山区"), explained=6)
    other = replace(correct(reading, "吴川市南山区"), explained=3)
    assert chosen([city, other]) == city
    assert chosen([city, replace(other, explained=6)]) is None


def test_outside_evidence_weighs_in() -> None:
    reading = [*read("井"), doubted("经", 0.6), *read("县")]
    a, b = correct(reading, "井陉县"), correct(reading, "井泾县")
    assert chosen([a, b]) is None
    assert chosen([replace(a, weight=4.0), b]) == replace(a, weight=4.0)


def test_a_reading_no_correction_can_fix_has_its_disputed_characters_capped() -> None:
    reading = read("井县")
    chars = settled(reading, [correct(reading, "井陉县"), correct(reading, "息县")])
    assert [c.char for c in chars] == ["井", "县"]
    assert all(c.prob == DISPUTED_CONFIDENCE for c in chars)


def test_a_reading_with_nothing_near_is_kept_as_read() -> None:
    reading = read("某某")
    assert settled(reading, []) == tuple(reading)


def test_a_doubted_traditional_form_becomes_the_simplified_one_the_recogniser_saw() -> None:
    reading = [doubted("悅", 0.6, ("悦", 0.35), ("说", 0.01))]
    [char] = standardised(reading, simplify)
    assert (char.char, char.prob) == ("悦", 0.35)


def test_a_character_is_not_simplified_to_one_the_recogniser_never_saw() -> None:
    # 乾 is a standard name character; the converter alone would make it 干.
    reading = [doubted("乾", 0.7, ("韩", 0.01))]
    assert standardised(reading, simplify) == tuple(reading)


def test_a_confident_traditional_form_is_simplified_at_its_evidence_only() -> None:
    # A script fold is not a guess at another character: 别 read as 別 at 0.95.
    reading = [Char("悅", 0.95, (("悅", 0.95), ("悦", 0.04)))]
    [char] = standardised(reading, simplify)
    assert (char.char, char.prob) == ("悦", 0.04)
    alone = [Char("悅", 0.95, (("悅", 0.95),))]
    assert standardised(alone, simplify) == tuple(alone)


def test_a_simplified_character_is_believed_as_every_form_of_it_seen_there() -> None:
    reading = [doubted("悦", 0.8, ("悅", 0.15), ("说", 0.05))]
    [char] = standardised(reading, simplify)
    assert (char.char, round(char.prob, 2)) == ("悦", 0.95)
    plain = [doubted("王", 0.8, ("玉", 0.15))]
    assert standardised(plain, simplify) == tuple(plain)
