"""`idcard-ocr block add|list|remove`: images (by SHA-256) the API answers with -5062."""

from __future__ import annotations

import argparse
import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from idcard_ocr.errors import IdCardOcrError
from idcard_ocr.settings import Settings
from idcard_ocr.store.blocklist import Blocklist, normalise_digest
from idcard_ocr.store.database import Database


def register(subcommands: Any) -> None:
    parser = subcommands.add_parser("block", help="block images by their SHA-256")
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    for name, func, text in (
        ("add", add_block, "block an image"),
        ("remove", remove_block, "unblock an image"),
    ):
        action = actions.add_parser(name, help=text)
        target = action.add_mutually_exclusive_group(required=True)
        target.add_argument("sha256", nargs="?", metavar="SHA256")
        target.add_argument("--file", type=Path, help="the image file itself")
        action.set_defaults(func=func)
    listing = actions.add_parser("list", help="list blocked digests")
    listing.set_defaults(func=list_blocks)


def add_block(args: argparse.Namespace) -> int:
    digest = _digest(args)
    with _blocklist() as blocklist:
        added = blocklist.add(digest)
    print(f"blocked {digest}" if added else f"already blocked {digest}")
    return 0


def remove_block(args: argparse.Namespace) -> int:
    digest = _digest(args)
    with _blocklist() as blocklist:
        removed = blocklist.remove(digest)
    print(f"unblocked {digest}" if removed else f"not blocked {digest}")
    return 0 if removed else 1


def list_blocks(_args: argparse.Namespace) -> int:
    with _blocklist() as blocklist:
        for digest in blocklist.digests():
            print(digest)
    return 0


def _digest(args: argparse.Namespace) -> str:
    if args.file is not None:
        try:
            return hashlib.sha256(args.file.read_bytes()).hexdigest()
        except OSError as exc:
            raise SystemExit(f"cannot read {args.file}: {exc.strerror}") from exc
    try:
        return normalise_digest(args.sha256)
    except ValueError as exc:
        raise SystemExit(f"not a SHA-256: {args.sha256}") from exc


@contextmanager
def _blocklist() -> Iterator[Blocklist]:
    """The blocklist of `DATABASE_URL`; store errors end the command with a message."""
    try:
        database = Database.open(Settings().database_url)
        try:
            yield Blocklist(database)
        finally:
            database.close()
    except IdCardOcrError as exc:
        raise SystemExit(f"error {exc.code}: {exc.message}") from exc
