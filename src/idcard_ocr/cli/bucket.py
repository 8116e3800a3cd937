"""`idcard-ocr bucket add|list`: the buckets an app's requests may name."""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from idcard_ocr.errors import IdCardOcrError
from idcard_ocr.settings import Settings
from idcard_ocr.store.credentials import CredentialStore
from idcard_ocr.store.database import Database


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
    with _credentials() as store:
        store.add_bucket(args.appid, args.bucket)
    print(f"bucket {args.bucket} added to appid {args.appid}")
    return 0


def list_buckets(args: argparse.Namespace) -> int:
    with _credentials() as store:
        buckets = store.buckets(args.appid)
    if args.json:
        print(json.dumps([{"appid": b.appid, "bucket": b.name} for b in buckets]))
        return 0
    for bucket in buckets:
        print(f"{bucket.appid}  {bucket.name}")
    return 0


@contextmanager
def _credentials() -> Iterator[CredentialStore]:
    """The credential store of `DATABASE_URL`; store errors end the command with a message."""
    settings = Settings()
    try:
        database = Database.open(settings.database_url)
        try:
            yield CredentialStore(database, settings.default_qps)
        finally:
            database.close()
    except IdCardOcrError as exc:
        raise SystemExit(f"error {exc.code}: {exc.message}") from exc
