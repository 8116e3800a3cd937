"""Scores of readings against labels: exact match and character accuracy per field."""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance; a dozen lines here rather than a dependency for one benchmark."""
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def char_accuracy(read: str, truth: str) -> float:
    if not truth:
        return 1.0 if not read else 0.0
    return max(0.0, 1.0 - edit_distance(read, truth) / len(truth))


@dataclass
class Tally:
    """Running totals of one system over one set."""

    cards: int = 0
    cards_exact: int = 0
    fields_total: int = 0
    fields_exact: int = 0
    failures: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    per_field: dict[str, list[tuple[bool, float]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    latencies_ms: list[float] = field(default_factory=list)

    def add(self, read: Mapping[str, str] | None, truth: Mapping[str, str], ms: float) -> None:
        """One card: `read` is None when the system answered with an error."""
        self.cards += 1
        self.latencies_ms.append(ms)
        exact_all = True
        for name, value in truth.items():
            got = (read or {}).get(name, "")
            exact = got == value
            exact_all &= exact
            self.per_field[name].append((exact, char_accuracy(got, value)))
            self.fields_total += 1
            self.fields_exact += exact
        self.cards_exact += exact_all

    def fail(self, code: int) -> None:
        self.failures[str(code)] += 1

    def summary(self) -> dict[str, object]:
        return {
            "cards": self.cards,
            "field_exact": _ratio(self.fields_exact, self.fields_total),
            "card_exact": _ratio(self.cards_exact, self.cards),
            "id_exact": _field_exact(self.per_field.get("id", [])),
            "fields": {
                name: {
                    "exact": _field_exact(scores),
                    "char_accuracy": statistics.fmean(s for _, s in scores) if scores else None,
                    "n": len(scores),
                }
                for name, scores in sorted(self.per_field.items())
            },
            "latency_ms": percentiles(self.latencies_ms),
            "failures": dict(self.failures),
        }


def percentiles(values: Sequence[float]) -> dict[str, float | None]:
    if not values:
        return {"p50": None, "p90": None, "p99": None}
    ordered = sorted(values)

    def at(q: float) -> float:
        return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]

    return {"p50": at(0.5), "p90": at(0.9), "p99": at(0.99)}


def _ratio(a: int, b: int) -> float | None:
    return a / b if b else None


def _field_exact(scores: Sequence[tuple[bool, float]]) -> float | None:
    return sum(e for e, _ in scores) / len(scores) if scores else None
