"""`idcard-ocr block add|list|remove`: images (by SHA-256) the API answers with -5062."""

from __future__ import annotations

import argparse
import hashlib
from pathlib import Path
from typing import Any

from idcard_ocr.cli._database import open_database
from idcard_ocr.store.blocklist import Blocklist, normalise_digest


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
    with open_database() as database:
        blocklist = Blocklist(database)
        added = blocklist.add(digest)
    print(f"blocked {digest}" if added else f"already blocked {digest}")
    return 0


def remove_block(args: argparse.Namespace) -> int:
    digest = _digest(args)
    with open_database() as database:
        blocklist = Blocklist(database)
        removed = blocklist.remove(digest)
    print(f"unblocked {digest}" if removed else f"not blocked {digest}")
    return 0 if removed else 1


def list_blocks(_args: argparse.Namespace) -> int:
    with open_database() as database:
        blocklist = Blocklist(database)
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
