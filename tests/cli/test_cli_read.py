"""`idcard-ocr read`: each `--json` line is the API's `result_list` item for an uploaded file,
and the engine's threads default to the settings'."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from idcard_ocr.card.model import CardResult, Field, Side
from idcard_ocr.cli import main
from idcard_ocr.cli.read import item
from idcard_ocr.errors import IdCardOcrError, NotAnIdCard

GOLDEN = Path(__file__).parents[1] / "fixtures" / "golden"


class FixedReader:
    """Answers every photo with one result, or raises one error."""

    def __init__(self, answer: CardResult | IdCardOcrError) -> None:
        self.answer = answer

    def read(self, data: bytes, side: Side) -> CardResult:
        if isinstance(self.answer, IdCardOcrError):
            raise self.answer
        return self.answer


def golden_item(name: str) -> dict[str, object]:
    item: dict[str, object] = json.loads((GOLDEN / name).read_text(encoding="utf-8"))[
        "result_list"
    ][0]
    return item


def result_of(side: Side, data: dict[str, object]) -> CardResult:
    fields = {
        name: Field(str(data[name]), tuple(data[f"{name}_confidence_all"]))  # type: ignore[arg-type]
        for name in side.fields
    }
    return CardResult(side, fields)


@pytest.mark.parametrize(
    ("name", "side"), [("file_front.json", Side.FRONT), ("file_back.json", Side.BACK)]
)
def test_a_read_card_is_the_apis_item_word_for_word(name: str, side: Side) -> None:
    golden = golden_item(name)
    reader = FixedReader(result_of(side, golden["data"]))  # type: ignore[arg-type]

    answer = item(str(golden["filename"]), reader, b"photo", side)

    assert answer["message"] == "success"
    assert answer == golden


def test_a_refused_photo_carries_the_errors_code_and_message() -> None:
    error = NotAnIdCard("the image shows the back of an ID card")

    answer = item("x.jpg", FixedReader(error), b"photo", Side.FRONT)

    assert answer == {"code": -5107, "message": error.message, "filename": "x.jpg", "data": {}}


def test_threads_default_to_the_engines_setting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from idcard_ocr.vision.reader import CardReader

    loaded: list[int] = []
    golden = golden_item("file_back.json")

    def load(threads: int) -> FixedReader:
        loaded.append(threads)
        return FixedReader(result_of(Side.BACK, golden["data"]))  # type: ignore[arg-type]

    monkeypatch.setattr(CardReader, "load", load)
    monkeypatch.setenv("IDCARD_OCR_ENGINE_THREADS", "3")
    photo = tmp_path / "back.jpg"
    photo.write_bytes(b"photo")

    assert main(["read", str(photo), "--side", "back", "--json"]) == 0
    assert main(["read", str(photo), "--side", "back", "--json", "--threads", "2"]) == 0

    assert loaded == [3, 2]
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [line["message"] for line in lines] == ["success", "success"]
    assert lines[0]["data"] == golden["data"]
