"""`idcard-ocr bench accuracy`: accuracy and speed on rendered (or given) labelled cards."""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path
from typing import Any

from idcard_ocr.synth.sample import DIFFICULTIES


def register(subcommands: Any) -> None:
    parser = subcommands.add_parser("bench", help="benchmarks that print a table")
    kinds = parser.add_subparsers(dest="bench", required=True, metavar="KIND")
    accuracy = kinds.add_parser("accuracy", help="field accuracy and latency per card")
    accuracy.add_argument("--n", type=int, default=200, help="cards per difficulty")
    accuracy.add_argument(
        "--difficulty", choices=DIFFICULTIES, action="append", help="repeatable; default all"
    )
    accuracy.add_argument("--seed", type=int, default=2026)
    accuracy.add_argument("--data", type=Path, help="read this labelled set instead of rendering")
    accuracy.add_argument("--threads", type=int, default=2)
    accuracy.add_argument("--baseline-n", type=int, default=30, help="cards the baseline reads")
    accuracy.add_argument("--json", type=Path, help="also write the figures to this file")
    accuracy.add_argument("--no-progress", action="store_true")
    accuracy.set_defaults(func=run_accuracy)


def run_accuracy(args: argparse.Namespace) -> int:
    from idcard_ocr.bench import accuracy, dataset

    reports: dict[str, Any] = {}
    sets = [("given", args.data)] if args.data else None
    with tempfile.TemporaryDirectory(prefix="idcard-bench-") as scratch:
        if sets is None:
            from idcard_ocr.synth import write_dataset

            sets = []
            wanted = args.difficulty or DIFFICULTIES
            for difficulty in (d for d in DIFFICULTIES if d in wanted):
                out = Path(scratch) / difficulty
                write_dataset(out, args.n, difficulty, args.seed)  # choices= checked the name
                sets.append((difficulty, out))
        for name, directory in sets:
            images = dataset.load(directory)
            report = accuracy.run(images, args.threads, args.baseline_n, not args.no_progress)
            reports[name] = report
            print(accuracy.table(report, f"{name}: {len(images)} cards"), flush=True)
            print(file=sys.stdout)
    if args.json:
        accuracy.write_json(reports, args.json)
    return 0
