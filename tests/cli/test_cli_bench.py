"""`idcard-ocr bench`: engine threads default to the settings' (the one place defaults live)."""

from __future__ import annotations

import pytest

from idcard_ocr.cli import build_parser
from idcard_ocr.cli.bench import _engine_threads


@pytest.mark.parametrize("kind", ["accuracy", "reject"])
def test_threads_are_unset_unless_given(kind: str) -> None:
    parser = build_parser()
    assert parser.parse_args(["bench", kind]).threads is None
    assert parser.parse_args(["bench", kind, "--threads", "2"]).threads == 2


def test_unset_threads_take_the_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IDCARD_OCR_ENGINE_THREADS", "3")
    assert _engine_threads(None) == 3
    assert _engine_threads(2) == 2


def test_data_is_kept_as_an_alias_of_dir() -> None:
    parser = build_parser()
    assert str(parser.parse_args(["bench", "accuracy", "--data", "d"]).dir) == "d"
    assert str(parser.parse_args(["bench", "accuracy", "--dir", "d"]).dir) == "d"
