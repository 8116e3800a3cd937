"""`idcard-ocr bench accuracy`: read a labelled set with our engine and with the baseline."""

from __future__ import annotations

import json
import resource
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

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
) -> dict[str, Any]:
    """Ours over every image, then the baseline over the first `baseline_n`."""
    start = time.perf_counter()
    reader = CardReader.load(threads)
    load_s = time.perf_counter() - start

    def ours(data: bytes, side: Side) -> dict[str, str]:
        return {k: v.text for k, v in reader.read(data, side).fields.items()}

    report: dict[str, Any] = {
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


def _rows(summary: dict[str, Any], fields: list[str]) -> list[tuple[str, str]]:
    """One system's column of the table: (row label, cell)."""
    per_field: dict[str, dict[str, Any]] = summary["fields"]
    rows = [
        ("cards", str(summary["cards"])),
        ("field exact match", _pct(summary["field_exact"])),
        ("whole-card exact", _pct(summary["card_exact"])),
        ("ID number exact", _pct(summary["id_exact"])),
    ]
    for name in fields:
        scores = per_field.get(name, {})
        rows.append((f"  {name} exact", _pct(scores.get("exact"))))
        rows.append((f"  {name} char accuracy", _pct(scores.get("char_accuracy"))))
    latency = summary["latency_ms"]
    rows.append(("latency p50 (ms)", f"{latency['p50']:.0f}"))
    rows.append(("latency p90 (ms)", f"{latency['p90']:.0f}"))
    failures = summary["failures"]
    rows.append(("errors", json.dumps(failures) if failures else "-"))
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
        f"model load {report['model_load_s']:.2f} s; peak RSS {report['peak_rss_mb']:.0f} MB; "
        f"onnxruntime threads {report['threads']}"
    )
    return "\n".join(lines)


def write_json(report: dict[str, Any], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
