"""`idcard-ocr synth`: render a labelled set of synthetic cards into a directory."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

# The same as `idcard_ocr.synth.DIFFICULTIES` and `NEGATIVE_KINDS`, kept here so building the
# parser imports no OpenCV.
DIFFICULTIES = ("clean", "photo", "hard")
NEGATIVE_KINDS = ("page", "bank_card", "receipt")


def register(subcommands: Any) -> None:
    parser = subcommands.add_parser(
        "synth", help="render synthetic ID cards with labels.jsonl (for tests and benchmarks)"
    )
    parser.add_argument("--out", type=Path, required=True, help="directory to write into")
    parser.add_argument("--n", type=int, default=100, help="number of images (sides alternate)")
    parser.add_argument("--difficulty", choices=DIFFICULTIES, default="clean")
    parser.add_argument("--seed", type=int, default=0, help="same seed, same images")
    parser.add_argument(
        "--negative",
        choices=NEGATIVE_KINDS,
        help="render photos of this kind of thing that is not an ID card instead of cards "
        '(labels.jsonl lines are {"file", "kind"}; --difficulty does not apply)',
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from idcard_ocr.synth import LABELS_FILE, FontNotFoundError, write_dataset, write_negatives

    if args.n < 0:
        print("synth: --n must not be negative", file=sys.stderr)
        return 2
    try:
        if args.negative:
            written = len(write_negatives(args.out, args.n, args.negative, args.seed))
            what = f"{args.negative} negative"
        else:
            written = len(write_dataset(args.out, args.n, args.difficulty, args.seed))
            what = args.difficulty
    except FontNotFoundError as exc:
        print(f"synth: {exc}", file=sys.stderr)
        return 1
    print(f"wrote {written} {what} images and {LABELS_FILE} to {args.out}")
    return 0
