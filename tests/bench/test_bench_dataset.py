"""`bench.dataset.load`: both label formats, the rendered one and the hand-labelled one."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from idcard_ocr.bench.dataset import load
from idcard_ocr.card.model import Side
from idcard_ocr.synth import write_dataset

# The format of `shared/real-dev/labels.jsonl`, with made-up values.
HAND_LABELLED = [
    {
        "file": "front.jpg",
        "card_type": 0,
        "fields": {
            "name": "张三",
            "sex": "男",
            "nation": "汉",
            "birth": "1990/1/2",
            "address": "北京海淀区某路1号",
            "id": "11010819900102001X",
        },
    },
    {
        "file": "back.png",
        "card_type": 1,
        "fields": {"authority": "北京市公安局海淀分局", "valid_date": "2010.01.01-长期"},
    },
]


def write_labels(directory: Path, records: list[dict[str, object]]) -> None:
    lines = [json.dumps(record, ensure_ascii=False) for record in records]
    (directory / "labels.jsonl").write_text("\n".join(lines) + "\n\n", encoding="utf-8")


def test_hand_labelled_format_loads(tmp_path: Path) -> None:
    write_labels(tmp_path, HAND_LABELLED)

    front, back = load(tmp_path)

    assert front.path == tmp_path / "front.jpg" and front.side is Side.FRONT
    assert front.labels == HAND_LABELLED[0]["fields"]
    assert back.side is Side.BACK and back.labels["valid_date"] == "2010.01.01-长期"
    assert (front.rotation, front.difficulty) == (0, "")


def test_rendered_format_loads(tmp_path: Path) -> None:
    records = write_dataset(tmp_path, 2, "clean", 3)

    images = load(tmp_path)

    assert [i.path.name for i in images] == [r.file for r in records]
    assert [i.labels for i in images] == [r.labels for r in records]
    assert [i.side for i in images] == [Side.FRONT, Side.BACK]
    assert images[0].difficulty == "clean"
    assert images[1].data == (tmp_path / records[1].file).read_bytes()


def test_a_line_without_values_names_its_place(tmp_path: Path) -> None:
    write_labels(tmp_path, [{"file": "a.jpg", "card_type": 0, "values": {}}])

    with pytest.raises(ValueError, match=r"labels\.jsonl:1"):
        load(tmp_path)
