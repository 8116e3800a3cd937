"""Scores of readings against labels: exact match, character accuracy and truthfulness per field.

Truthfulness asks whether a caller could have told a wrong field from a right one by its
confidences: a wrong field that looks sure is a silent error, a right one that looks unsure
is a false alarm.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from rapidfuzz.distance import Levenshtein

from idcard_ocr.card.contract import SURE
from idcard_ocr.card.model import CardResult


@dataclass(frozen=True)
class CardAnswer:
    """One card as a system answered it with code 0: each field's text and, from a system
    that gives them, each field's per-character confidences (None: it gives none)."""

    texts: Mapping[str, str]
    confidences: Mapping[str, tuple[int, ...]] | None = None

    @classmethod
    def of(cls, result: CardResult) -> CardAnswer:
        fields = result.fields
        return cls(
            {name: f.text for name, f in fields.items()},
            {name: f.confidence for name, f in fields.items()},
        )


@dataclass(frozen=True)
class FieldScore:
    """One field of one card against its label."""

    exact: bool
    char_accuracy: float
    silent: bool  # wrong, on a code-0 answer, every character at least SURE
    false_alarm: bool  # right, some character below SURE


def char_accuracy(read: str, truth: str) -> float:
    if not truth:
        return 1.0 if not read else 0.0
    return max(0.0, 1.0 - Levenshtein.distance(read, truth) / len(truth))


def score_field(answer: CardAnswer | None, name: str, truth: str) -> FieldScore:
    """`answer` is None when the system refused the card (a non-zero code): never silent.

    As `real-dev/score.py` counts it, an empty wrong value with no confidences is silent (it
    came back with code 0 and nothing in it doubts), and a field without a confidence array
    is neither silent nor a false alarm.
    """
    read = answer.texts.get(name, "") if answer else ""
    confidence = answer.confidences.get(name) if answer and answer.confidences else None
    sure = confidence is not None and all(c >= SURE for c in confidence)
    exact = read == truth
    return FieldScore(
        exact=exact,
        char_accuracy=char_accuracy(read, truth),
        silent=not exact and sure,
        false_alarm=exact and confidence is not None and not sure,
    )


@dataclass
class Tally:
    """Running totals of one system over one set.

    `rates_confidence` is False for a system that gives no confidences (the baseline): its
    silent errors and false alarms are unknown, not zero.
    """

    rates_confidence: bool = True
    cards: int = 0
    cards_exact: int = 0
    failures: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    per_field: dict[str, list[FieldScore]] = field(default_factory=lambda: defaultdict(list))
    latencies_ms: list[float] = field(default_factory=list)

    def add(self, answer: CardAnswer | None, truth: Mapping[str, str], ms: float) -> None:
        """One card: `answer` is None when the system answered with an error."""
        self.cards += 1
        self.latencies_ms.append(ms)
        scores = [score_field(answer, name, value) for name, value in truth.items()]
        for name, score in zip(truth, scores, strict=True):
            self.per_field[name].append(score)
        self.cards_exact += all(s.exact for s in scores)

    def fail(self, code: int) -> None:
        self.failures[str(code)] += 1

    def summary(self) -> dict[str, object]:
        every = [s for scores in self.per_field.values() for s in scores]
        return {
            "cards": self.cards,
            "field_exact": _exact(every),
            "card_exact": _ratio(self.cards_exact, self.cards),
            "id_exact": _exact(self.per_field.get("id", [])),
            **self._truthfulness(every),
            "fields": {
                name: {
                    "exact": _exact(scores),
                    "char_accuracy": statistics.fmean(s.char_accuracy for s in scores),
                    "n": len(scores),
                    **self._truthfulness(scores),
                }
                for name, scores in sorted(self.per_field.items())
                if scores
            },
            "latency_ms": percentiles(self.latencies_ms),
            "failures": dict(self.failures),
        }

    def _truthfulness(self, scores: Sequence[FieldScore]) -> dict[str, object]:
        """Silent errors (count, share of fields) and false alarms (count, share of right
        fields); None for a system without confidences."""
        if not self.rates_confidence:
            keys = ("silent_errors", "silent_error_share", "false_alarms", "false_alarm_share")
            return dict.fromkeys(keys)
        silent = _count(s.silent for s in scores)
        alarms = _count(s.false_alarm for s in scores)
        right = _count(s.exact for s in scores)
        return {
            "silent_errors": silent,
            "silent_error_share": _ratio(silent, len(scores)),
            "false_alarms": alarms,
            "false_alarm_share": _ratio(alarms, right),
        }


def percentiles(values: Sequence[float]) -> dict[str, float | None]:
    if not values:
        return {"p50": None, "p90": None, "p99": None}
    ordered = sorted(values)

    def at(q: float) -> float:
        return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]

    return {"p50": at(0.5), "p90": at(0.9), "p99": at(0.99)}


def _count(flags: Iterable[bool]) -> int:
    return sum(1 for flag in flags if flag)


def _ratio(a: int, b: int) -> float | None:
    return a / b if b else None


def _exact(scores: Sequence[FieldScore]) -> float | None:
    return _ratio(_count(s.exact for s in scores), len(scores))
