"""`idcard-ocr credentials create|list|disable`: key pairs of apps, secrets shown once."""

from __future__ import annotations

import argparse
import dataclasses
import json
from typing import Any

from idcard_ocr.cli._database import credential_store


def register(subcommands: Any) -> None:
    parser = subcommands.add_parser("credentials", help="create, list and disable key pairs")
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    create = actions.add_parser("create", help="issue a key pair (creates app and bucket)")
    create.add_argument("--appid", required=True)
    create.add_argument("--bucket", required=True)
    create.add_argument("--qps", type=_positive, help="the app's requests per second")
    create.set_defaults(func=create_credential)
    listing = actions.add_parser("list", help="list key pairs (never their secrets)")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(func=list_credentials)
    disable = actions.add_parser("disable", help="disable a key pair")
    disable.add_argument("secret_id", metavar="SECRET_ID")
    disable.set_defaults(func=disable_credential)


def create_credential(args: argparse.Namespace) -> int:
    with credential_store() as store:
        issued = store.create(args.appid, args.bucket, args.qps)
    print(json.dumps(dataclasses.asdict(issued)))
    return 0


def list_credentials(args: argparse.Namespace) -> int:
    with credential_store() as store:
        pairs = store.key_pairs()
    rows = [
        {
            "secret_id": pair.secret_id,
            "appid": pair.appid,
            "enabled": pair.enabled,
            "created_at": pair.created_at.isoformat(),
        }
        for pair in pairs
    ]
    if args.json:
        print(json.dumps(rows))
        return 0
    for row in rows:
        state = "enabled" if row["enabled"] else "disabled"
        print(f"{row['secret_id']}  appid={row['appid']}  {state}  {row['created_at']}")
    return 0


def disable_credential(args: argparse.Namespace) -> int:
    with credential_store() as store:
        found = store.disable(args.secret_id)
    print(f"disabled {args.secret_id}" if found else f"no key pair {args.secret_id}")
    return 0 if found else 1


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value
