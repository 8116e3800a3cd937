"""`idcard-ocr bench accuracy|reject|http|load`: accuracy, truthfulness and speed on rendered
(or given) labelled cards; refusal of photos that are not the side asked for; HTTP overhead;
many clients against the server."""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path
from typing import Any

from idcard_ocr.synth.sample import DIFFICULTIES

# `bench.rejection.KINDS`, kept here so that building the parser loads no engine.
REJECT_KINDS = ("other_side", "page", "bank_card", "receipt")


def register(subcommands: Any) -> None:
    parser = subcommands.add_parser("bench", help="benchmarks that print a table")
    kinds = parser.add_subparsers(dest="bench", required=True, metavar="KIND")
    accuracy = kinds.add_parser("accuracy", help="field accuracy and latency per card")
    accuracy.add_argument("--n", type=int, default=200, help="cards per difficulty")
    accuracy.add_argument(
        "--difficulty", choices=DIFFICULTIES, action="append", help="repeatable; default all"
    )
    accuracy.add_argument("--seed", type=int, default=2026)
    accuracy.add_argument(
        "--dir",
        "--data",
        dest="dir",
        type=Path,
        help="read this folder of photos with its labels.jsonl instead of rendering",
    )
    accuracy.add_argument(
        "--variations",
        action="store_true",
        help="with --dir: read each photo also turned, shrunk, recompressed, blurred, "
        "darkened, under glare and tilted (bench.variations), as a set of its own",
    )
    accuracy.add_argument(
        "--threads", type=_positive, help="onnxruntime threads; default the engine's setting"
    )
    accuracy.add_argument("--baseline-n", type=int, default=30, help="cards the baseline reads")
    accuracy.add_argument(
        "--repeat", type=int, default=3, help="reads of each card; its latency is the median"
    )
    accuracy.add_argument("--json", type=Path, help="also write the figures to this file")
    accuracy.add_argument("--no-progress", action="store_true")
    accuracy.set_defaults(func=run_accuracy)
    _register_reject(kinds)
    _register_http(kinds)
    _register_load(kinds)


def run_accuracy(args: argparse.Namespace) -> int:
    from idcard_ocr.bench import accuracy, dataset

    if args.variations and not args.dir:
        print("idcard-ocr bench accuracy: --variations needs --dir", file=sys.stderr)
        return 2
    threads = _engine_threads(args.threads)
    reports: dict[str, Any] = {}
    sets = [(args.dir.resolve().name or "given", args.dir)] if args.dir else None
    with tempfile.TemporaryDirectory(prefix="idcard-bench-") as scratch:
        if sets is None:
            from idcard_ocr.synth import write_dataset

            sets = []
            wanted = args.difficulty or DIFFICULTIES
            for difficulty in (d for d in DIFFICULTIES if d in wanted):
                out = Path(scratch) / difficulty
                write_dataset(out, args.n, difficulty, args.seed)  # choices= checked the name
                sets.append((difficulty, out))
        if args.dir and args.variations:
            from idcard_ocr.bench.variations import write_varied

            varied = Path(scratch) / "varied"
            write_varied(dataset.load(args.dir), varied)
            sets.append((f"{sets[0][0]} varied", varied))
        for name, directory in sets:
            images = dataset.load(directory)
            report = accuracy.run(
                images, threads, args.baseline_n, not args.no_progress, args.repeat
            )
            reports[name] = report
            print(accuracy.table(report, f"{name}: {len(images)} cards"), flush=True)
            print(file=sys.stdout)
    if args.json:
        accuracy.write_json(reports, args.json)
    return 0


def _register_reject(kinds: Any) -> None:
    reject = kinds.add_parser("reject", help="photos that must come back -5107, per kind")
    reject.add_argument("--n", type=_positive, default=200, help="photos per kind")
    reject.add_argument(
        "--kind", choices=REJECT_KINDS, action="append", help="repeatable; default all"
    )
    reject.add_argument("--seed", type=int, default=2026)
    reject.add_argument(
        "--threads", type=_positive, help="onnxruntime threads; default the engine's setting"
    )
    reject.add_argument("--json", type=Path, help="also write the figures to this file")
    reject.add_argument("--no-progress", action="store_true")
    reject.set_defaults(func=run_reject)


def run_reject(args: argparse.Namespace) -> int:
    from idcard_ocr.bench import accuracy, rejection

    wanted = args.kind or REJECT_KINDS
    kinds = [kind for kind in REJECT_KINDS if kind in wanted]
    with tempfile.TemporaryDirectory(prefix="idcard-reject-") as scratch:
        sets = {
            kind: rejection.write_kind(
                Path(scratch) / kind, kind, args.n, args.seed, not args.no_progress
            )
            for kind in kinds
        }
        report = rejection.run(sets, _engine_threads(args.threads), not args.no_progress)
    print(rejection.table(report), flush=True)
    if args.json:
        accuracy.write_json(report, args.json)
    return 0


def _engine_threads(given: int | None) -> int:
    """The onnxruntime threads asked for, else the engine's setting (its one default)."""
    from idcard_ocr.settings import Settings

    return given or Settings().engine_threads


def _register_http(kinds: Any) -> None:
    http = kinds.add_parser("http", help="the server through the client beside the engine")
    http.add_argument("--n", type=_positive, default=80, help="cards to render (both sides)")
    http.add_argument("--difficulty", choices=DIFFICULTIES, default="photo")
    http.add_argument("--seed", type=int, default=2026)
    http.add_argument("--data", type=Path, help="read this labelled set instead of rendering")
    http.add_argument("--concurrency", type=_positive, default=1, help="clients sending at once")
    http.add_argument("--batch", type=_batch, default=20, help="images per request (1-20)")
    http.add_argument("--repeat", type=_positive, default=3, help="pairs of runs; medians")
    http.add_argument("--threads", type=_positive, help="pool threads; default the server's")
    http.add_argument(
        "--engine-threads",
        type=_positive,
        help="onnxruntime threads per image; default the server's",
    )
    http.add_argument("--json", type=Path, help="also write the figures to this file")
    http.add_argument("--no-progress", action="store_true")
    http.set_defaults(func=run_http)


def run_http(args: argparse.Namespace) -> int:
    from idcard_ocr.bench import accuracy, dataset, http
    from idcard_ocr.settings import Settings

    defaults = Settings()
    parallelism = http.Parallelism(
        threads=args.threads or defaults.recognition_threads,
        engine_threads=args.engine_threads or defaults.engine_threads,
        concurrency=args.concurrency,
        batch=args.batch,
    )
    with tempfile.TemporaryDirectory(prefix="idcard-bench-") as scratch:
        directory = args.data
        if directory is None:
            from idcard_ocr.synth import write_dataset

            directory = Path(scratch) / args.difficulty
            write_dataset(directory, args.n, args.difficulty, args.seed)
        images = dataset.load(directory)
        report = http.run(images, parallelism, args.repeat, not args.no_progress)
    name = "given" if args.data else args.difficulty
    title = f"{name}: {report['cards']} cards ({report['front']} front, {report['back']} back)"
    print(http.table(report, title), flush=True)
    if args.json:
        accuracy.write_json(report, args.json)
    return 0


def _register_load(kinds: Any) -> None:
    load = kinds.add_parser(
        "load", help="many clients with retries against `idcard-ocr serve`, against one"
    )
    load.add_argument("--clients", type=_positive, default=32, help="clients sending at once")
    load.add_argument("--batch", type=_batch, default=20, help="images per request (1-20)")
    load.add_argument("--seconds", type=float, default=120.0, help="how long they send")
    load.add_argument(
        "--baseline-seconds", type=float, default=60.0, help="how long one client sends first"
    )
    load.add_argument("--cards", type=_positive, default=40, help="cards to render (both sides)")
    load.add_argument("--difficulty", choices=DIFFICULTIES, default="photo")
    load.add_argument("--seed", type=int, default=2026)
    load.add_argument(
        "--retry-wait",
        type=float,
        default=3600.0,
        help="seconds a client may wait in all between retries of one request",
    )
    load.add_argument("--json", type=Path, help="also write the figures to this file")
    load.add_argument("--no-progress", action="store_true")
    load.set_defaults(func=run_load)


def run_load(args: argparse.Namespace) -> int:
    from idcard_ocr.bench import accuracy, load
    from idcard_ocr.client import RetryPolicy
    from idcard_ocr.synth import write_dataset

    # The client's own backoff and cap; the number of retries is left to the total wait.
    retry = RetryPolicy(max_retries=1_000_000, max_wait_seconds=args.retry_wait)
    plan = load.LoadPlan(args.clients, args.batch, args.seconds, args.baseline_seconds, retry)
    with tempfile.TemporaryDirectory(prefix="idcard-load-cards-") as scratch:
        directory = Path(scratch) / args.difficulty
        write_dataset(directory, args.cards, args.difficulty, args.seed)
        report = load.run(directory, plan, not args.no_progress)
    report["plan"].update(cards=args.cards, difficulty=args.difficulty, seed=args.seed)
    print(load.table(report), flush=True)
    if args.json:
        accuracy.write_json(report, args.json)
    return 0


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def _batch(text: str) -> int:
    from idcard_ocr.client import BATCH_SIZE

    value = _positive(text)
    if value > BATCH_SIZE:
        raise argparse.ArgumentTypeError(f"a request holds at most {BATCH_SIZE} images")
    return value
