"""`idcard-ocr bench accuracy`: read a labelled set with our engine and with the baseline."""

from __future__ import annotations

import json
import resource
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from tqdm import tqdm

from idcard_ocr.bench.baseline import KeywordBaseline
from idcard_ocr.bench.dataset import LabelledImage
from idcard_ocr.bench.scoring import Tally
from idcard_ocr.card.model import Side
from idcard_ocr.errors import IdCardOcrError
from idcard_ocr.vision.reader import CardReader

ReadFn = Callable[[bytes, Side], dict[str, str]]


def measure(
    read: ReadFn, images: Sequence[LabelledImage], label: str, progress: bool = True
) -> Tally:
    """Read every image once, timing each read (the image is already in memory)."""
    tally = Tally()
    for item in tqdm(images, desc=label, disable=not progress, leave=False):
        data = item.data
        start = time.perf_counter()
        try:
            fields = read(data, item.side)
        except IdCardOcrError as exc:
            tally.add(None, item.labels, (time.perf_counter() - start) * 1000)
            tally.fail(exc.code)
            continue
        tally.add(fields, item.labels, (time.perf_counter() - start) * 1000)
    return tally


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run(
    images: Sequence[LabelledImage], threads: int, baseline_n: int, progress: bool = True
) -> dict[str, object]:
    """Ours over every image, then the baseline over the first `baseline_n`."""
    start = time.perf_counter()
    reader = CardReader.load(threads)
    load_s = time.perf_counter() - start

    def ours(data: bytes, side: Side) -> dict[str, str]:
        return {k: v.text for k, v in reader.read(data, side).fields.items()}

    report: dict[str, object] = {
        "threads": threads,
        "model_load_s": load_s,
        "ours": measure(ours, images, "ours", progress).summary(),
        "peak_rss_mb": peak_rss_mb(),
    }
    if baseline_n > 0:
        subset = images[:baseline_n]
        baseline = KeywordBaseline(threads)
        report["ours_on_baseline_subset"] = measure(ours, subset, "ours", progress).summary()
        report["baseline"] = measure(baseline.read, subset, "baseline", progress).summary()
    return report


def _pct(value: object) -> str:
    return f"{100 * value:6.2f} %" if isinstance(value, float) else "     -  "


def table(report: dict[str, object], title: str) -> str:
    """The report as a plain-text table: one column per system."""
    systems = [k for k in ("ours", "ours_on_baseline_subset", "baseline") if k in report]
    columns = {k: report[k] for k in systems}
    names = {"ours": "ours", "ours_on_baseline_subset": "ours (subset)", "baseline": "baseline"}
    fields = sorted({f for s in columns.values() for f in s["fields"]})  # type: ignore[index]
    head = f"{title}\n{'':28}" + "".join(f"{names[k]:>16}" for k in systems)
    rows = [head, "-" * len(head.splitlines()[-1])]

    def line(label: str, get: Callable[[dict[str, object]], str]) -> None:
        rows.append(f"{label:28}" + "".join(f"{get(columns[k]):>16}" for k in systems))  # type: ignore[arg-type]

    line("cards", lambda s: str(s["cards"]))
    line("field exact match", lambda s: _pct(s["field_exact"]))
    line("whole-card exact", lambda s: _pct(s["card_exact"]))
    line("ID number exact", lambda s: _pct(s["id_exact"]))
    for f in fields:
        line(f"  {f} exact", lambda s, f=f: _pct(s["fields"].get(f, {}).get("exact")))  # type: ignore[attr-defined]
        line(f"  {f} char accuracy", lambda s, f=f: _pct(s["fields"].get(f, {}).get("char_accuracy")))  # type: ignore[attr-defined]
    line("latency p50 (ms)", lambda s: f"{s['latency_ms']['p50']:.0f}")  # type: ignore[index]
    line("latency p90 (ms)", lambda s: f"{s['latency_ms']['p90']:.0f}")  # type: ignore[index]
    line("errors", lambda s: json.dumps(s["failures"]) if s["failures"] else "-")
    rows.append(f"model load {report['model_load_s']:.2f} s; peak RSS (ours) "
                f"{report['peak_rss_mb']:.0f} MB; onnxruntime threads {report['threads']}")
    return "\n".join(rows)


def write_json(report: dict[str, object], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
