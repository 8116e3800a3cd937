"""A labelled set of photos, each also as a camera and a counter would vary it.

Real photos are few; the same photo turned, shrunk, recompressed, blurred, darkened, under a
lamp's glare or tilted shows what the engine does with what real counters add, on cards no
renderer drew. Labels are the photo's own: none of these changes what the card prints.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import cv2
import numpy as np

from idcard_ocr.bench.dataset import LabelledImage
from idcard_ocr.synth.dataset import LABELS_FILE

Vary = Callable[[np.ndarray], np.ndarray]
JPEG_QUALITY = 92
LOW_JPEG_QUALITY = 35
TABLE = (90, 110, 130)  # BGR of what shows where a tilt uncovers the frame


def _glare(image: np.ndarray) -> np.ndarray:
    """A lamp's spot that saturates: laminate washes the text under it out to white."""
    height, width = image.shape[:2]
    ys, xs = np.mgrid[0:height, 0:width]
    spread = 2 * (0.12 * width) ** 2
    glow = np.exp(-((xs - 0.6 * width) ** 2 + (ys - 0.4 * height) ** 2) / spread)
    lit: np.ndarray = np.clip(image + 200 * glow[..., None], 0, 255).astype(np.uint8)
    return lit


def _tilt(image: np.ndarray) -> np.ndarray:
    height, width = image.shape[:2]
    turn = cv2.getRotationMatrix2D((width / 2, height / 2), 12, 0.85)
    return cv2.warpAffine(image, turn, (width, height), borderValue=TABLE)


VARIATIONS: dict[str, tuple[Vary, int]] = {
    "rot90": (lambda i: cv2.rotate(i, cv2.ROTATE_90_CLOCKWISE), JPEG_QUALITY),
    "rot180": (lambda i: cv2.rotate(i, cv2.ROTATE_180), JPEG_QUALITY),
    "rot270": (lambda i: cv2.rotate(i, cv2.ROTATE_90_COUNTERCLOCKWISE), JPEG_QUALITY),
    "half": (
        lambda i: cv2.resize(i, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA),
        JPEG_QUALITY,
    ),
    "jpeg35": (lambda i: i, LOW_JPEG_QUALITY),
    "blur": (lambda i: cv2.GaussianBlur(i, (0, 0), 1.6), JPEG_QUALITY),
    "dark": (lambda i: (i.astype(np.float32) * 0.45).astype(np.uint8), JPEG_QUALITY),
    "glare": (_glare, JPEG_QUALITY),
    "tilt12": (_tilt, JPEG_QUALITY),
}


def write_varied(images: list[LabelledImage], out: Path) -> int:
    """Each image under every variation, as JPEG files with their labels in `out`
    (`labels.jsonl`, the hand-labelled format); how many were written."""
    out.mkdir(parents=True, exist_ok=True)
    written = 0
    with (out / LABELS_FILE).open("w", encoding="utf-8") as labels:
        for image in images:
            pixels = cv2.imdecode(np.frombuffer(image.data, np.uint8), cv2.IMREAD_COLOR)
            if pixels is None:
                raise ValueError(f"{image.path}: not an image")
            for name, (vary, quality) in VARIATIONS.items():
                file = f"{image.path.stem}-{name}.jpg"
                ok, encoded = cv2.imencode(
                    ".jpg", vary(pixels), [cv2.IMWRITE_JPEG_QUALITY, quality]
                )
                if not ok:
                    raise ValueError(f"{image.path}: {name} did not encode")
                (out / file).write_bytes(encoded.tobytes())
                record = {"file": file, "card_type": int(image.side), "fields": image.labels}
                labels.write(json.dumps(record, ensure_ascii=False) + "\n")
                written += 1
    return written
