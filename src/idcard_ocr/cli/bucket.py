"""`idcard-ocr bucket add|list`: the buckets an app's requests may name."""

from __future__ import annotations

import argparse
import json
from typing import Any

from idcard_ocr.cli._database import credential_store


def register(subcommands: Any) -> None:
    parser = subcommands.add_parser("bucket", help="add and list buckets of apps")
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    add = actions.add_parser("add", help="register a bucket for an existing app")
    add.add_argument("--appid", required=True)
    add.add_argument("bucket", metavar="BUCKET")
    add.set_defaults(func=add_bucket)
    listing = actions.add_parser("list", help="list buckets")
    listing.add_argument("--appid", help="only this app's buckets")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(func=list_buckets)


def add_bucket(args: argparse.Namespace) -> int:
    with credential_store() as store:
        store.add_bucket(args.appid, args.bucket)
    print(f"bucket {args.bucket} added to appid {args.appid}")
    return 0


def list_buckets(args: argparse.Namespace) -> int:
    with credential_store() as store:
        buckets = store.buckets(args.appid)
    if args.json:
        print(json.dumps([{"appid": b.appid, "bucket": b.name} for b in buckets]))
        return 0
    for bucket in buckets:
        print(f"{bucket.appid}  {bucket.name}")
    return 0
