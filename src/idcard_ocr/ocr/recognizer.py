"""Text recognition of line crops with CTC decoding that keeps each character's probabilities.

The decoder is ours rather than the runtime package's because the engine needs what that one
throws away: per-character probabilities, the runner-up characters at each position (to repair
an ID number that fails its check), and decoding restricted to an alphabet (digits for dates).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
import onnxruntime as ort

from idcard_ocr.ocr import memory
from idcard_ocr.ocr.models import make_session, without_softmax

INPUT_HEIGHT = 48
MIN_INPUT_WIDTH = 64
# A crop thinner than this holds no line of text (a card's rows are 40+ px tall at the
# reader's 16 px/mm); it reads nothing. A row cut 1 px tall at a page's edge was read 57456 px
# wide: 10 s and 1.7 GB for one crop.
MIN_CROP_HEIGHT = 8
# Wider crops are read squeezed to this width: a card's widest, the number, is about 900.
MAX_INPUT_WIDTH = 2048
BATCH_SIZE = 8
# A batch runs at its widest crop's width; start a new batch rather than pad more than this.
MAX_PADDING = 0.25
# Nor let a batch run wider than this in all (crops x width, input pixels): the model's
# memory grows faster than its input, and a page of text, whose lines are read to look for
# labels, ran 8 lines 1060 px wide at once and raised the engine's peak RSS by 255 MB (8
# crops 1000 px wide: 329 MB, 2 of them: 103 MB). No card's crops come near it: the widest
# batch of 180 rendered cards was 6 crops 454 px wide, and all read as they did uncapped.
# Each crop alone instead cost the hard set 0.75 % of its fields (97.50 -> 96.75 %, one
# more silent error): what the model reads in a crop moves with its padding.
MAX_BATCH_WIDTH = 4096
ALTERNATIVES = 4


@dataclass(frozen=True)
class CharReading:
    """One decoded character, its probability, and the best candidates at its position."""

    char: str
    prob: float
    alternatives: tuple[tuple[str, float], ...]
    x: float = 0.0  # centre of the character as a fraction of the crop's width


@dataclass(frozen=True)
class LineReading:
    """What the recogniser read in one crop."""

    chars: tuple[CharReading, ...]

    @property
    def text(self) -> str:
        return "".join(c.char for c in self.chars)

    @property
    def confidences(self) -> tuple[int, ...]:
        return tuple(round(c.prob * 100) for c in self.chars)

    @property
    def mean_prob(self) -> float:
        return sum(c.prob for c in self.chars) / len(self.chars) if self.chars else 0.0

    def slice(self, start: int, stop: int | None = None) -> LineReading:
        return LineReading(self.chars[start:stop])


class TextRecognizer:
    """A PP-OCR CTC recogniser: line crops (BGR) in, `LineReading`s out, batched by width."""

    def __init__(self, session: ort.InferenceSession, charset: Sequence[str]) -> None:
        self._session = session
        self._input = session.get_inputs()[0].name
        # CTC class 0 is the blank; the model's last class is a space.
        self._charset = ("", *charset, " ")
        self._index = {c: i for i, c in enumerate(self._charset) if i}

    @classmethod
    def load(cls, model: Path, threads: int, charset_file: Path | None = None) -> TextRecognizer:
        session = make_session(without_softmax(model), threads)
        memory.release(0)  # the copies of the graph the edit made and freed: 25 MB a model
        if charset_file is not None:
            charset = charset_file.read_text(encoding="utf-8").splitlines()
        else:
            charset = session.get_modelmeta().custom_metadata_map["character"].splitlines()
        return cls(session, charset)

    def knows(self, char: str) -> bool:
        return char in self._index

    def recognize(
        self, crops: Sequence[np.ndarray], alphabets: Sequence[str | None] | None = None
    ) -> list[LineReading]:
        """Read each crop; `alphabets[i]`, when given, restricts crop i to those characters."""
        alphabets = alphabets or [None] * len(crops)
        results: list[LineReading] = [LineReading(())] * len(crops)
        readable = [i for i, c in enumerate(crops) if c.shape[0] >= MIN_CROP_HEIGHT and c.size]
        ratios = [_ratio(crops[i]) for i in readable]
        for group in _batches(ratios):
            batch = [readable[k] for k in group]
            probs, widths = self._run([crops[i] for i in batch], [ratios[k] for k in group])
            for row, used, i in zip(probs, widths, batch, strict=True):
                results[i] = self._decode(row, used, alphabets[i])
        return results

    def _run(
        self, crops: Sequence[np.ndarray], ratios: Sequence[float]
    ) -> tuple[np.ndarray, list[float]]:
        """Class logits (N, T, C), and the fraction of the input width each crop fills, of
        crops whose `_ratio`s are `ratios`."""
        width = max(MIN_INPUT_WIDTH, math.ceil(INPUT_HEIGHT * max(ratios)))
        tensor = np.zeros((len(crops), 3, INPUT_HEIGHT, width), np.float32)
        used: list[float] = []
        for k, (crop, ratio) in enumerate(zip(crops, ratios, strict=True)):
            w = max(1, min(width, math.ceil(INPUT_HEIGHT * ratio)))
            resized = cv2.resize(crop, (w, INPUT_HEIGHT)).astype(np.float32)
            tensor[k, :, :, :w] = resized.transpose(2, 0, 1) / 127.5 - 1.0
            used.append(w / width)
        out: np.ndarray = self._session.run(None, {self._input: tensor})[0]
        return out, used

    def _decode(self, logits: np.ndarray, used: float, alphabet: str | None) -> LineReading:
        classes = np.arange(logits.shape[1])
        if alphabet is not None:
            # The softmax over these classes alone: the probabilities over all of them,
            # renormalised to the alphabet.
            classes = np.array([0, *sorted({self._index[c] for c in alphabet if c in self._index})])
            logits = logits[:, classes]
        best = logits.argmax(axis=1)
        chars: list[CharReading] = []
        t = 0
        while t < len(best):
            if best[t] == 0:
                t += 1
                continue
            end = t
            while end + 1 < len(best) and best[end + 1] == best[t]:
                end += 1
            probs = _softmax(logits[t : end + 1])
            peak = int(probs[:, best[t]].argmax())
            x = ((t + end + 1) / 2) / (len(best) * used)
            chars.append(self._char_at(probs[peak], classes, x))
            t = end + 1
        return LineReading(tuple(chars))

    def _char_at(self, row: np.ndarray, classes: np.ndarray, x: float) -> CharReading:
        keep = min(ALTERNATIVES + 1, row.shape[0])
        top = np.argpartition(row, -keep)[-keep:]
        top = top[np.argsort(-row[top])]
        alternatives = tuple(
            (self._charset[classes[k]], float(row[k])) for k in top if classes[k] != 0
        )[:ALTERNATIVES]
        best = int(row[1:].argmax()) + 1 if row.shape[0] > 1 else 0
        return CharReading(self._charset[classes[best]], float(row[best]), alternatives, x)


def _softmax(logits: np.ndarray) -> np.ndarray:
    """Each row's class probabilities, as the model's own final softmax computed them."""
    exp = np.exp(logits - logits.max(axis=1, keepdims=True))
    probs: np.ndarray = exp / exp.sum(axis=1, keepdims=True)
    return probs


def _ratio(crop: np.ndarray) -> float:
    """The crop's width over its height, as the model will read it (at most MAX_INPUT_WIDTH)."""
    return min(int(crop.shape[1]) / max(int(crop.shape[0]), 1), MAX_INPUT_WIDTH / INPUT_HEIGHT)


def _batches(ratios: Sequence[float]) -> list[list[int]]:
    """Indices grouped by similar width, so that little of a batch is padding."""
    order = sorted(range(len(ratios)), key=lambda i: ratios[i])
    batches: list[list[int]] = []
    for i in order:
        batch = batches[-1] if batches else None
        if batch is not None and len(batch) < BATCH_SIZE:
            widest = ratios[i] * (len(batch) + 1)
            if INPUT_HEIGHT * widest > MAX_BATCH_WIDTH:
                batches.append([i])
                continue
            if sum(ratios[j] for j in batch) + ratios[i] >= widest * (1 - MAX_PADDING):
                batch.append(i)
                continue
        batches.append([i])
    return batches
