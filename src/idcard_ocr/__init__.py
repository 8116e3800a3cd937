"""idcard-ocr: self-hosted Chinese resident ID card OCR behind the legacy /ocr/idcard API."""

__version__ = "0.1.0"
