"""`idcard-ocr synth`: render a labelled set of synthetic cards into a directory."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

# The same as `idcard_ocr.synth.DIFFICULTIES`, kept here so building the parser imports no OpenCV.
DIFFICULTIES = ("clean", "photo", "hard")


def register(subcommands: Any) -> None:
    parser = subcommands.add_parser(
        "synth", help="render synthetic ID cards with labels.jsonl (for tests and benchmarks)"
    )
    parser.add_argument("--out", type=Path, required=True, help="directory to write into")
    parser.add_argument("--n", type=int, default=100, help="number of images (sides alternate)")
    parser.add_argument("--difficulty", choices=DIFFICULTIES, default="clean")
    parser.add_argument("--seed", type=int, default=0, help="same seed, same images")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from idcard_ocr.synth import LABELS_FILE, FontNotFoundError, write_dataset

    if args.n < 0:
        print("synth: --n must not be negative", file=sys.stderr)
        return 2
    try:
        records = write_dataset(args.out, args.n, args.difficulty, args.seed)
    except FontNotFoundError as exc:
        print(f"synth: {exc}", file=sys.stderr)
        return 1
    print(f"wrote {len(records)} {args.difficulty} images and {LABELS_FILE} to {args.out}")
    return 0
