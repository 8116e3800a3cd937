"""Text detection: where the text lines are in an image (PP-OCRv6 small DB detector)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import onnxruntime as ort

# The DB pre- and post-processing of the same model family, maintained with the weights.
from rapidocr.ch_ppocr_det.utils import DBPostProcess, DetPreProcess

from idcard_ocr.ocr.models import make_session

# The model's input for each byte value, exactly as `DetPreProcess` normalises it (the same
# expression, in its float64). Its normalisation computes that per pixel in float64 and
# took 5 ms of each detection; a table lookup gives the same values in well under 1.
_NORMALISED = (
    DetPreProcess().normalize(np.arange(256, dtype=np.uint8).reshape(256, 1))[:, 0]
).astype(np.float32)


@dataclass(frozen=True)
class DetectedText:
    """Text-line quadrilaterals (N, 4, 2) in input pixels, clockwise from top-left, and scores."""

    quads: np.ndarray
    scores: tuple[float, ...]

    def __len__(self) -> int:
        return len(self.scores)


class TextDetector:
    """Runs the detector on one BGR image scaled so that its longer side is `max_side`."""

    def __init__(self, session: ort.InferenceSession) -> None:
        self._session = session
        self._input = session.get_inputs()[0].name
        self._post = DBPostProcess(
            thresh=0.3,
            box_thresh=0.5,
            max_candidates=300,
            unclip_ratio=1.6,
            score_mode="fast",
            use_dilation=True,
        )

    @classmethod
    def load(cls, model: Path, threads: int) -> TextDetector:
        return cls(make_session(model, threads))

    def detect(self, image: np.ndarray, max_side: int = 960) -> DetectedText:
        height, width = image.shape[:2]
        resized = DetPreProcess(limit_side_len=max_side, limit_type="max").resize(image)
        if resized is None:
            return DetectedText(np.zeros((0, 4, 2), np.float32), ())
        tensor = _NORMALISED[np.ascontiguousarray(resized.transpose(2, 0, 1))][np.newaxis]
        pred = self._session.run(None, {self._input: tensor})[0]
        boxes, scores = self._post(pred, (height, width))
        quads = np.asarray(boxes, dtype=np.float32).reshape(-1, 4, 2)
        return DetectedText(quads, tuple(float(s) for s in scores))
