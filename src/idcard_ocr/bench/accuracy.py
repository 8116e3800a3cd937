"""`idcard-ocr bench accuracy`: read a labelled set with our engine and with the baseline.

Beside accuracy and speed it counts how truthful the confidences are (`scoring`: silent
errors, false alarms) and the refusals by code. The engine runs in a process of its own, so
that the peak RSS printed is its own; each card is read `repeat` times in a row and its
latency is the median, since the machines are shared.
"""

from __future__ import annotations

import json
import multiprocessing
import resource
import statistics
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tqdm import tqdm

from idcard_ocr.bench.baseline import KeywordBaseline
from idcard_ocr.bench.dataset import LabelledImage
from idcard_ocr.bench.scoring import CardAnswer, Tally
from idcard_ocr.card.contract import SURE
from idcard_ocr.card.model import Side
from idcard_ocr.errors import IdCardOcrError

ReadFn = Callable[[bytes, Side], CardAnswer]


@dataclass(frozen=True)
class Outcome:
    """One card read `repeat` times: the first answer, the median time, and whether every
    repeat gave the same answer."""

    answer: CardAnswer | None  # None when the system answered with an error
    code: int  # 0 with an answer, else the error's
    ms: float
    stable: bool


@dataclass(frozen=True)
class EnginePass:
    """The engine over a set, in a process of its own: what it answered and what it cost."""

    model_load_s: float
    outcomes: list[Outcome]
    peak_rss_mb: float


def read_all(
    read: ReadFn,
    images: Sequence[LabelledImage],
    label: str,
    progress: bool = True,
    repeat: int = 1,
) -> list[Outcome]:
    """Read every image `repeat` times in a row, timing each read (the bytes already loaded)."""
    outcomes = []
    for item in tqdm(images, desc=label, disable=not progress, leave=False):
        data = item.data
        answers: list[tuple[CardAnswer | None, int]] = []
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            try:
                answers.append((read(data, item.side), 0))
            except IdCardOcrError as exc:
                answers.append((None, exc.code))
            except Exception as exc:  # a bug, not an answer: stop, and say on which photo
                raise RuntimeError(f"{label} crashed on {item.path}: {exc!r}") from exc
            times.append((time.perf_counter() - start) * 1000)
        first = answers[0]
        stable = all(answer == first for answer in answers)
        outcomes.append(Outcome(first[0], first[1], statistics.median(times), stable))
    return outcomes


def tally(
    outcomes: Sequence[Outcome], images: Sequence[LabelledImage], rates_confidence: bool = True
) -> Tally:
    totals = Tally(rates_confidence)
    for outcome, item in zip(outcomes, images, strict=False):
        totals.add(outcome.answer, item.labels, outcome.ms)
        if outcome.code:
            totals.fail(outcome.code)
    return totals


def measure(
    read: ReadFn, images: Sequence[LabelledImage], label: str, progress: bool = True
) -> Tally:
    """Read every image once and tally the answers of a system without confidences."""
    return tally(read_all(read, images, label, progress), images, rates_confidence=False)


def peak_rss_mb() -> float:
    """This process's peak resident memory, MB.

    Linux's VmHWM belongs to the process's own memory map; `ru_maxrss` would also count what
    the parent held when it forked this process, before exec (on Linux it survives exec).
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def engine_pass(
    images: Sequence[LabelledImage], threads: int, repeat: int, progress: bool
) -> EnginePass:
    """Load the engine and read the set, each image as the side its label asks for."""
    from idcard_ocr.vision.reader import CardReader  # here: only the engine's process loads it

    start = time.perf_counter()
    reader = CardReader.load(threads)
    load_s = time.perf_counter() - start

    def ours(data: bytes, side: Side) -> CardAnswer:
        return CardAnswer.of(reader.read(data, side))

    outcomes = read_all(ours, images, "ours", progress, repeat)
    return EnginePass(load_s, outcomes, peak_rss_mb())


def read_with_engine(
    images: Sequence[LabelledImage], threads: int, repeat: int = 1, progress: bool = True
) -> EnginePass:
    """`engine_pass` in a fresh process, so that its peak RSS is the engine's alone (models,
    one card in flight), not the renderer's or the baseline's."""
    spawn = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=spawn) as child:
        return child.submit(engine_pass, list(images), threads, repeat, progress).result()


def run(
    images: Sequence[LabelledImage],
    threads: int,
    baseline_n: int,
    progress: bool = True,
    repeat: int = 1,
) -> dict[str, Any]:
    """Ours over every image in a fresh process, then the baseline over the first `baseline_n`."""
    engine = read_with_engine(images, threads, repeat, progress)
    outcomes = engine.outcomes
    report: dict[str, Any] = {
        "threads": threads,
        "repeat": repeat,
        "model_load_s": engine.model_load_s,
        "ours": tally(outcomes, images).summary(),
        "unstable_cards": sum(not o.stable for o in outcomes),
        "peak_rss_mb": engine.peak_rss_mb,
    }
    if baseline_n > 0:
        subset = images[:baseline_n]
        baseline = KeywordBaseline(threads)
        report["ours_on_baseline_subset"] = tally(outcomes[:baseline_n], subset).summary()
        report["baseline"] = measure(baseline.read, subset, "baseline", progress).summary()
    return report


def _pct(value: object) -> str:
    return f"{100 * value:6.2f} %" if isinstance(value, float) else "     -  "


def _share(count: object, share: object) -> str:
    """A count and its share, "-" when unknown (a system without confidences)."""
    if not isinstance(count, int):
        return "-"
    return f"{count} ({100 * share:.2f} %)" if isinstance(share, float) else str(count)


def _codes(failures: dict[str, int]) -> str:
    return " ".join(f"{code}:{n}" for code, n in sorted(failures.items())) or "-"


def _rows(summary: dict[str, Any], fields: list[str]) -> list[tuple[str, str]]:
    """One system's column of the table: (row label, cell)."""
    per_field: dict[str, dict[str, Any]] = summary["fields"]
    rows = [
        ("cards", str(summary["cards"])),
        ("field exact match", _pct(summary["field_exact"])),
        ("whole-card exact", _pct(summary["card_exact"])),
        ("ID number exact", _pct(summary["id_exact"])),
        (
            "silent errors (% of fields)",
            _share(summary["silent_errors"], summary["silent_error_share"]),
        ),
        (
            "false alarms (% of right)",
            _share(summary["false_alarms"], summary["false_alarm_share"]),
        ),
    ]
    for name in fields:
        scores = per_field.get(name, {})
        rows.append((f"  {name} exact", _pct(scores.get("exact"))))
        rows.append((f"  {name} char accuracy", _pct(scores.get("char_accuracy"))))
        silent = _share(scores.get("silent_errors"), scores.get("silent_error_share"))
        rows.append((f"  {name} silent errors", silent))
        alarms = _share(scores.get("false_alarms"), scores.get("false_alarm_share"))
        rows.append((f"  {name} false alarms", alarms))
    latency = summary["latency_ms"]
    rows.append(("latency p50 (ms)", f"{latency['p50']:.0f}"))
    rows.append(("latency p90 (ms)", f"{latency['p90']:.0f}"))
    rows.append(("refusals (code:count)", _codes(summary["failures"])))
    return rows


def table(report: dict[str, Any], title: str) -> str:
    """The report as a plain-text table: one column per system."""
    names = {"ours": "ours", "ours_on_baseline_subset": "ours (subset)", "baseline": "baseline"}
    systems = [k for k in names if k in report]
    fields = sorted({f for k in systems for f in report[k]["fields"]})
    columns = [_rows(report[k], fields) for k in systems]
    head = f"{'':28}" + "".join(f"{names[k]:>16}" for k in systems)
    lines = [title, head, "-" * len(head)]
    for i, (label, _) in enumerate(columns[0]):
        lines.append(f"{label:28}" + "".join(f"{column[i][1]:>16}" for column in columns))
    lines.append(
        f"silent error: wrong, code 0, every character >= {SURE}; false alarm: right, some "
        f"character < {SURE}; -: no confidences"
    )
    lines.append(
        f"model load {report['model_load_s']:.2f} s; engine peak RSS "
        f"{report['peak_rss_mb']:.0f} MB (its own process); onnxruntime threads "
        f"{report['threads']}; each card read {report['repeat']}x, latency its median; "
        f"{report['unstable_cards']} cards read differently across repeats"
    )
    return "\n".join(lines)


def write_json(report: dict[str, Any], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
