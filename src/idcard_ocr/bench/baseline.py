"""The common approach, for comparison: OCR over the whole photo, then keyword rules.

This is what most ID-card OCR scripts do: run a general OCR pipeline (detection, angle
classification, recognition) over the full photo, join the text in reading order, and pick
fields out with the printed labels and regular expressions. It is measured beside our engine
so that the gap stays visible.
"""

from __future__ import annotations

import re
from typing import Any

from idcard_ocr.bench.scoring import CardAnswer
from idcard_ocr.card.model import Side

ID_RE = re.compile(r"\d{17}[\dXx]")
BIRTH_RE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})")
VALID_RE = re.compile(r"(\d{4}\.\d{2}\.\d{2})-(\d{4}\.\d{2}\.\d{2}|长期)")
LABELS = ("姓名", "性别", "民族", "出生", "住址", "公民身份号码")


class KeywordBaseline:
    """RapidOCR's full pipeline on its packaged PP-OCRv6 models, then keyword rules."""

    def __init__(self, threads: int = 2) -> None:
        from rapidocr import RapidOCR

        params: dict[str, Any] = {
            "Global.log_level": "error",
            "EngineConfig.onnxruntime.intra_op_num_threads": threads,
            "EngineConfig.onnxruntime.inter_op_num_threads": 1,
        }
        self._ocr = RapidOCR(params=params)

    def read(self, image: bytes, side: Side) -> CardAnswer:
        """The fields found by keyword; no confidences, as such scripts give none per field."""
        output = self._ocr(image)
        texts = [t.replace(" ", "") for t in (getattr(output, "txts", None) or ())]
        joined = "".join(texts)
        return CardAnswer(_front(joined) if side is Side.FRONT else _back(joined))


def _after(text: str, label: str, stop: tuple[str, ...]) -> str:
    """The text after `label` up to the next of the `stop` labels."""
    start = text.find(label)
    if start < 0:
        return ""
    rest = text[start + len(label) :]
    ends = [rest.find(s) for s in stop if rest.find(s) >= 0]
    return rest[: min(ends)] if ends else rest


def _front(text: str) -> dict[str, str]:
    number = ID_RE.search(text)
    birth = BIRTH_RE.search(text)
    sex = _after(text, "性别", ("民族",))
    return {
        "name": _after(text, "姓名", LABELS[1:]),
        "sex": sex[:1],
        "nation": _after(text, "民族", ("出生",)),
        "birth": "/".join(str(int(g)) for g in birth.groups()) if birth else "",
        "address": _after(text, "住址", ("公民身份号码", "公民")),
        "id": number.group(0).upper() if number else "",
    }


def _back(text: str) -> dict[str, str]:
    valid = VALID_RE.search(text)
    return {
        "authority": _after(text, "签发机关", ("有效期限", "有效")),
        "valid_date": valid.group(0) if valid else "",
    }
