"""`idcard-ocr usage [--month YYYY-MM] [--json]`: images recognised and failed, for the bill."""

from __future__ import annotations

import argparse
import json
import re
from typing import Any

from idcard_ocr.cli._database import open_database
from idcard_ocr.store.usage import UsageLedger, UsageLine

_SIDES = {0: "front", 1: "back"}


def register(subcommands: Any) -> None:
    parser = subcommands.add_parser("usage", help="monthly usage per app, bucket and side")
    parser.add_argument("--month", type=_month, help="YYYY-MM (UTC); default all months")
    parser.add_argument("--json", action="store_true")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    with open_database() as database:
        lines = UsageLedger(database).report(args.month)
    if args.json:
        print(json.dumps([_as_json(line) for line in lines]))
    else:
        _print_table(lines)
    return 0


def _as_json(line: UsageLine) -> dict[str, object]:
    return {
        "month": line.month,
        "appid": line.appid,
        "bucket": line.bucket,
        "side": _SIDES.get(line.side, str(line.side)),
        "recognised": line.recognised,
        "failed": sum(line.failed.values()),
        "failed_by_code": {str(code): count for code, count in sorted(line.failed.items())},
    }


def _print_table(lines: list[UsageLine]) -> None:
    print(f"{'month':7}  {'appid':>12}  {'bucket':16}  {'side':5}  {'ok':>8}  {'failed':>8}  codes")
    for line in lines:
        row = _as_json(line)
        codes = " ".join(f"{code}:{count}" for code, count in sorted(line.failed.items()))
        print(
            f"{line.month:7}  {line.appid:>12}  {line.bucket:16}  {row['side']:5}  "
            f"{line.recognised:>8}  {row['failed']:>8}  {codes}"
        )


def _month(text: str) -> str:
    if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", text):
        raise argparse.ArgumentTypeError("expected YYYY-MM")
    return text
