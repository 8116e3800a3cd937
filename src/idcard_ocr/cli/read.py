"""`idcard-ocr read PHOTO... --side front|back [--json]`: read ID-card photos locally."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, cast

from idcard_ocr.card.model import Side
from idcard_ocr.errors import IdCardOcrError

SIDES = {"front": Side.FRONT, "back": Side.BACK}


def register(subcommands: Any) -> None:
    parser = subcommands.add_parser("read", help="read ID-card photos with the local engine")
    parser.add_argument("photos", nargs="+", type=Path, metavar="PHOTO")
    parser.add_argument("--side", choices=sorted(SIDES), default="front")
    parser.add_argument("--json", action="store_true", help="one API result_list item per line")
    parser.add_argument(
        "--threads", type=int, help="onnxruntime threads; default the engine's setting"
    )
    parser.set_defaults(func=run)


def item(filename: str, reader: Any, data: bytes, side: Side) -> dict[str, Any]:
    """One `result_list` item, shaped by the API's own code as for an uploaded file."""
    from idcard_ocr.api.request import Upload
    from idcard_ocr.api.response import failure, result_list_body, success

    upload = Upload(filename, data)
    try:
        answer = success(upload, reader.read(data, side).legacy_data())
    except IdCardOcrError as exc:
        answer = failure(upload, exc)
    shaped = cast(list[dict[str, Any]], result_list_body([answer])["result_list"])
    return shaped[0]


def run(args: argparse.Namespace) -> int:
    from idcard_ocr.settings import Settings
    from idcard_ocr.vision.reader import CardReader

    reader = CardReader.load(args.threads or Settings().engine_threads)
    failed = 0
    for photo in args.photos:
        try:
            data = photo.read_bytes()
        except OSError as exc:
            print(f"{photo}: cannot read: {exc.strerror}", file=sys.stderr)
            failed += 1
            continue
        answer = item(photo.name, reader, data, SIDES[args.side])
        failed += answer["code"] != 0
        if args.json:
            print(json.dumps(answer, ensure_ascii=False))
        else:
            _print_human(photo, answer)
    return 1 if failed else 0


def _print_human(photo: Path, answer: dict[str, Any]) -> None:
    if answer["code"] != 0:
        print(f"{photo}: error {answer['code']}: {answer['message']}")
        return
    print(f"{photo}:")
    data = answer["data"]
    for key, value in data.items():
        if not key.endswith("_confidence_all"):
            confidence = data.get(f"{key}_confidence_all") or [0]
            print(f"  {key:12} {value}  (min confidence {min(confidence)})")
