"""The variations of a labelled photo: each written as a JPEG with the photo's own labels."""

from __future__ import annotations

import json
from pathlib import Path

import cv2
import numpy as np

from idcard_ocr.bench.dataset import load
from idcard_ocr.bench.variations import VARIATIONS, write_varied
from idcard_ocr.card.model import Side


def test_every_variation_is_written_with_the_photos_labels(tmp_path: Path) -> None:
    given = tmp_path / "given"
    given.mkdir()
    photo = np.full((300, 480, 3), 200, np.uint8)
    cv2.rectangle(photo, (40, 40), (440, 260), (30, 30, 30), 3)
    cv2.imwrite(str(given / "card.png"), photo)
    fields = {"authority": "北京市公安局海淀分局", "valid_date": "2015.03.19-2035.03.19"}
    record = {"file": "card.png", "card_type": 1, "fields": fields}
    (given / "labels.jsonl").write_text(json.dumps(record, ensure_ascii=False) + "\n")

    assert write_varied(load(given), tmp_path / "varied") == len(VARIATIONS)

    varied = load(tmp_path / "varied")
    assert [v.path.name for v in varied] == [f"card-{name}.jpg" for name in VARIATIONS]
    assert all(v.side is Side.BACK and v.labels == fields for v in varied)
    shapes = {
        v.path.name: cv2.imdecode(np.frombuffer(v.data, np.uint8), cv2.IMREAD_COLOR).shape
        for v in varied
    }
    assert shapes["card-rot90.jpg"] == (480, 300, 3) and shapes["card-half.jpg"] == (150, 240, 3)
    glare = cv2.imread(str(tmp_path / "varied" / "card-glare.jpg"))
    assert glare.max() == 255 and np.median(glare) >= 200  # a spot saturates; the rest is as it was
