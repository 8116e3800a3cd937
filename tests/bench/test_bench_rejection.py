"""`bench reject`: the tally of codes per kind, its table, and the photos it sends."""

from __future__ import annotations

from pathlib import Path

import pytest

from idcard_ocr.bench import rejection
from idcard_ocr.bench.accuracy import Outcome
from idcard_ocr.card.model import Side
from idcard_ocr.cli.bench import REJECT_KINDS
from idcard_ocr.synth.negatives import render_negative
from idcard_ocr.synth.sample import render_sample


def outcome(code: int, ms: float) -> Outcome:
    return Outcome(None, code, ms, True)


def test_tally_shares_the_refused_and_counts_every_other_code() -> None:
    codes = [-5107] * 6 + [0, 0, -5103, -1404]
    found = rejection.tally([outcome(code, 10.0) for code in codes])

    assert found["n"] == 10
    assert found["not_an_id_card"] == 6
    assert found["not_an_id_card_share"] == pytest.approx(0.6)
    assert found["other_codes"] == {"-5103": 1, "-1404": 1, "0": 2}


def test_tally_of_all_refused_has_no_other_codes_and_the_median_latency() -> None:
    found = rejection.tally([outcome(-5107, ms) for ms in (30.0, 5.0, 12.0)])
    assert found["not_an_id_card_share"] == 1.0 and found["other_codes"] == {}
    assert found["latency_ms"]["p50"] == 12.0


def test_table_has_a_row_per_kind() -> None:
    report = {
        "threads": 2,
        "model_load_s": 0.4,
        "peak_rss_mb": 310.0,
        "kinds": {
            "other_side": rejection.tally([outcome(-5107, 100.0), outcome(0, 120.0)]),
            "receipt": rejection.tally([outcome(-5107, 90.0)] * 2),
        },
    }

    lines = rejection.table(report).splitlines()

    assert lines[2].split() == ["other_side", "2", "50.0", "%", "1", "-", "100"]
    assert lines[3].split() == ["receipt", "2", "100.0", "%", "0", "-", "90"]


def test_the_command_line_offers_every_kind() -> None:
    assert REJECT_KINDS == rejection.KINDS == ("other_side", "page", "bank_card", "receipt")


def test_other_side_sends_each_card_as_the_side_it_does_not_show(tmp_path: Path) -> None:
    images = rejection.write_kind(tmp_path, "other_side", 2, 7, progress=False)

    for index, image in enumerate(images):
        card = render_sample(7, index, "photo")
        assert image.side is Side(1 - card.side)
        assert image.data == card.data


def test_things_that_are_not_cards_are_sent_as_front_and_back_in_turn(tmp_path: Path) -> None:
    images = rejection.write_kind(tmp_path, "receipt", 2, 7, progress=False)

    assert [image.side for image in images] == [Side.FRONT, Side.BACK]
    assert images[1].data == render_negative("receipt", 7, 1).data
    assert images[1].path.suffix == ".jpg" and images[1].labels == {}
