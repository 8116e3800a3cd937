"""The model runtime: text detection and recognition on onnxruntime, behind two small calls.

`TextDetector.detect(image) -> list of quads` and
`TextRecognizer.recognize(crops) -> LineReading per crop` (text, per-character confidences and
alternatives from the CTC probabilities), and `memory.release()` after a read to give back
what the C allocator kept of it. Nothing here knows about ID cards.
"""

from idcard_ocr.ocr.detector import TextDetector
from idcard_ocr.ocr.models import ModelMissing, OcrModels
from idcard_ocr.ocr.recognizer import CharReading, LineReading, TextRecognizer

__all__ = [
    "CharReading",
    "LineReading",
    "ModelMissing",
    "OcrModels",
    "TextDetector",
    "TextRecognizer",
]
