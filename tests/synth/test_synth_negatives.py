"""Photos of things that are not ID cards: each kind decodes, fits the API's limit, is the
same for the same (kind, seed, index), and `idcard-ocr synth --negative` writes them."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import cv2
import numpy as np
import pytest

from idcard_ocr.cli import main
from idcard_ocr.cli.synth import NEGATIVE_KINDS as CLI_NEGATIVE_KINDS
from idcard_ocr.synth import LABELS_FILE
from idcard_ocr.synth.bank_card import luhn_complete, random_bank_card, random_face
from idcard_ocr.synth.documents import random_page, random_receipt
from idcard_ocr.synth.negatives import NEGATIVE_KINDS, render_negative
from idcard_ocr.synth.sample import MAX_BYTES


def test_the_kinds_are_the_benchmarks() -> None:
    assert NEGATIVE_KINDS == ("page", "bank_card", "receipt")
    assert CLI_NEGATIVE_KINDS == NEGATIVE_KINDS


@pytest.mark.parametrize("kind", NEGATIVE_KINDS)
def test_each_kind_decodes_and_fits_the_api_limit(kind: str) -> None:
    for index in range(3):
        negative = render_negative(kind, 1, index)
        assert negative.kind == kind and negative.extension == ".jpg"
        assert len(negative.data) <= MAX_BYTES
        decoded = cv2.imdecode(np.frombuffer(negative.data, np.uint8), cv2.IMREAD_COLOR)
        assert decoded is not None and decoded.shape == negative.image.shape
        assert negative.image.dtype == np.uint8 and negative.image.shape[2] == 3
        assert min(negative.image.shape[:2]) >= 400


@pytest.mark.parametrize("kind", NEGATIVE_KINDS)
def test_same_kind_seed_and_index_same_bytes(kind: str) -> None:
    first = render_negative(kind, 4, 2)
    assert render_negative(kind, 4, 2).data == first.data
    assert render_negative(kind, 4, 3).data != first.data
    assert render_negative(kind, 5, 2).data != first.data


def test_an_unknown_kind_is_refused() -> None:
    with pytest.raises(ValueError, match="kind"):
        render_negative("passport", 0, 0)


def _luhn_valid(digits: str) -> bool:
    total = 0
    for i, char in enumerate(reversed(digits)):
        doubled = int(char) * (2 if i % 2 else 1)
        total += doubled // 10 + doubled % 10
    return total % 10 == 0


def test_bank_card_numbers_are_luhn_valid_unionpay_numbers_of_16_to_19_digits() -> None:
    assert luhn_complete("7992739871") == "79927398713"  # the standard worked example
    lengths = set()
    for seed in range(40):
        face = random_face(random.Random(seed))
        digits = face.number.replace(" ", "")
        lengths.add(len(digits))
        assert digits.startswith("62") and _luhn_valid(digits), face.number
        assert re.fullmatch(r"[A-Z]+ [A-Z]+", face.holder)
        assert re.fullmatch(r"(0[1-9]|1[0-2])/\d\d", face.valid_thru)
    assert lengths == {16, 19}
    assert random_bank_card(random.Random(0)).size_mm == (85.6, 54.0)


def test_pages_and_receipts_carry_numbers_among_chinese_lines() -> None:
    page = random_page(random.Random(1))
    receipt = random_receipt(random.Random(1))
    width, height = page.size_mm
    assert 120 <= width <= 210 and height > 60
    assert receipt.size_mm[0] < 82 and receipt.size_mm[1] > receipt.size_mm[0]
    image, mask = page.draw(4.0)
    assert image.shape[:2] == mask.shape == (round(height * 4), round(width * 4))
    assert (image < 100).mean() > 0.01  # lines of ink on the sheet


def test_cli_writes_negatives_with_their_kind(tmp_path: Path) -> None:
    out = tmp_path / "receipts"
    assert main(["synth", "--out", str(out), "--n", "2", "--negative", "receipt"]) == 0
    records = [json.loads(line) for line in (out / LABELS_FILE).read_text().splitlines()]
    assert records == [
        {"file": "00000_receipt.jpg", "kind": "receipt"},
        {"file": "00001_receipt.jpg", "kind": "receipt"},
    ]
    assert (out / "00001_receipt.jpg").read_bytes() == render_negative("receipt", 0, 1).data


def test_cli_refuses_an_unknown_negative_kind(tmp_path: Path) -> None:
    with pytest.raises(SystemExit):
        main(["synth", "--out", str(tmp_path), "--negative", "passport"])
