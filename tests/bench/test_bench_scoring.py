"""Truthfulness arithmetic of `bench accuracy` on hand-made answers: silent errors and false
alarms per field and per set, refusals by code, and the edit distance behind char accuracy."""

from __future__ import annotations

from pathlib import Path

import pytest

from idcard_ocr.bench.accuracy import Outcome, read_all, table, tally
from idcard_ocr.bench.dataset import LabelledImage
from idcard_ocr.bench.scoring import CardAnswer, Tally, char_accuracy, score_field
from idcard_ocr.card.model import CardResult, Field, Side
from idcard_ocr.errors import NotAnIdCard

TRUTH = {"authority": "井陉县公安局", "valid_date": "2010.01.01-2020.01.01"}
DATE_SURE = (100,) * 16


def back(authority: str, confidence: tuple[int, ...]) -> CardAnswer:
    return CardAnswer(
        {"authority": authority, "valid_date": TRUTH["valid_date"]},
        {"authority": confidence, "valid_date": DATE_SURE},
    )


def test_a_wrong_field_sure_on_every_character_is_silent() -> None:
    score = score_field(back("井县公安局", (100, 95, 90, 99, 100)), "authority", TRUTH["authority"])
    assert not score.exact and score.silent and not score.false_alarm


def test_a_wrong_field_with_one_character_at_89_is_not_silent() -> None:
    score = score_field(back("井县公安局", (100, 89, 90, 99, 100)), "authority", TRUTH["authority"])
    assert not score.exact and not score.silent and not score.false_alarm


def test_an_empty_wrong_value_with_no_confidences_is_silent() -> None:
    score = score_field(back("", ()), "authority", TRUTH["authority"])
    assert score.silent and score.char_accuracy == 0.0


def test_a_refusal_is_never_silent() -> None:
    score = score_field(None, "authority", TRUTH["authority"])
    assert not score.exact and not score.silent and not score.false_alarm


def test_a_right_field_with_a_character_at_89_is_a_false_alarm() -> None:
    score = score_field(
        back("井陉县公安局", (100, 89, 100, 100, 100, 100)), "authority", TRUTH["authority"]
    )
    assert score.exact and score.false_alarm and not score.silent


def test_a_right_field_sure_everywhere_is_no_false_alarm() -> None:
    score = score_field(back("井陉县公安局", (90,) * 6), "authority", TRUTH["authority"])
    assert score.exact and not score.false_alarm and not score.silent


def test_a_system_without_confidences_is_neither() -> None:
    answer = CardAnswer({"authority": "井县公安局", "valid_date": TRUTH["valid_date"]})
    assert not score_field(answer, "authority", TRUTH["authority"]).silent


def test_char_accuracy_counts_a_dropped_character_as_one_edit() -> None:
    assert char_accuracy("井县", "井陉县") == pytest.approx(2 / 3)
    assert char_accuracy("程或怡", "程彧怡") == pytest.approx(2 / 3)
    assert char_accuracy("", "") == 1.0
    assert char_accuracy("x", "") == 0.0


def test_tally_counts_shares_per_field_and_per_set() -> None:
    totals = Tally()
    totals.add(back("井县公安局", (100,) * 5), TRUTH, 10.0)  # authority silent
    totals.add(back("井陉县公安局", (100, 89, 100, 100, 100, 100)), TRUTH, 20.0)  # false alarm
    totals.add(back("井陉县公安局", (100,) * 6), TRUTH, 30.0)  # all right and sure
    totals.add(None, TRUTH, 40.0)  # refused: wrong, never silent
    totals.fail(-5103)

    summary = totals.summary()

    # 8 fields: 5 right (2 authority, 3 valid_date); 1 silent; 1 false alarm.
    assert summary["field_exact"] == pytest.approx(5 / 8)
    assert summary["silent_errors"] == 1
    assert summary["silent_error_share"] == pytest.approx(1 / 8)
    assert summary["false_alarms"] == 1
    assert summary["false_alarm_share"] == pytest.approx(1 / 5)
    authority = summary["fields"]["authority"]  # type: ignore[index]
    assert authority["silent_errors"] == 1 and authority["silent_error_share"] == 0.25
    assert authority["false_alarms"] == 1 and authority["false_alarm_share"] == 0.5
    assert summary["failures"] == {"-5103": 1}
    assert summary["card_exact"] == pytest.approx(2 / 4)


def test_a_system_without_confidences_reports_unknown_not_zero() -> None:
    totals = Tally(rates_confidence=False)
    totals.add(CardAnswer({"authority": "", "valid_date": ""}), TRUTH, 5.0)
    summary = totals.summary()
    assert summary["silent_errors"] is None and summary["false_alarm_share"] is None
    assert summary["fields"]["authority"]["silent_errors"] is None  # type: ignore[index]


def test_answer_keeps_the_engines_confidences() -> None:
    result = CardResult(
        Side.BACK,
        {
            "authority": Field("某公安局", (99, 80, 100, 100)),
            "valid_date": Field("长期", (100, 100)),
        },
    )
    answer = CardAnswer.of(result)
    assert answer.texts == {"authority": "某公安局", "valid_date": "长期"}
    assert answer.confidences == {"authority": (99, 80, 100, 100), "valid_date": (100, 100)}


def test_table_prints_truthfulness_and_a_dash_for_the_baseline() -> None:
    image = LabelledImage(Path("x.jpg"), Side.BACK, TRUTH, 0, "")
    ours = [
        Outcome(back("井县公安局", (100,) * 5), 0, 12.0, True),
        Outcome(None, -5103, 8.0, True),
    ]
    baseline = [Outcome(CardAnswer(TRUTH), 0, 50.0, True)]
    report = {
        "threads": 2,
        "repeat": 1,
        "model_load_s": 0.5,
        "peak_rss_mb": 300.0,
        "unstable_cards": 0,
        "ours": tally(ours, [image, image]).summary(),
        "baseline": tally(baseline, [image], rates_confidence=False).summary(),
    }

    printed = table(report, "set: 2 cards")

    rows = {line[:28].strip(): line[28:].split() for line in printed.splitlines()[3:]}
    assert rows["silent errors (% of fields)"] == ["1", "(25.00", "%)", "-"]
    assert rows["false alarms (% of right)"] == ["0", "(0.00", "%)", "-"]
    assert rows["authority silent errors"] == ["1", "(50.00", "%)", "-"]
    assert rows["refusals (code:count)"] == ["-5103:1", "-"]


def test_an_engine_crash_stops_the_run_and_names_the_photo(tmp_path: Path) -> None:
    photo = tmp_path / "00007.jpg"
    photo.write_bytes(b"photo")

    def crash(data: bytes, side: Side) -> CardAnswer:
        raise ValueError("empty crop")

    with pytest.raises(RuntimeError, match=r"ours crashed on .*00007\.jpg"):
        read_all(crash, [LabelledImage(photo, Side.FRONT, {}, 0, "")], "ours", progress=False)


def test_a_refusal_is_recorded_with_its_code(tmp_path: Path) -> None:
    photo = tmp_path / "a.jpg"
    photo.write_bytes(b"photo")

    def refuse(data: bytes, side: Side) -> CardAnswer:
        raise NotAnIdCard()

    [found] = read_all(refuse, [LabelledImage(photo, Side.BACK, {}, 0, "")], "ours", False, 2)
    assert (found.answer, found.code, found.stable) == (None, -5107, True)
