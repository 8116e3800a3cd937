"""Blocked image digests."""

from __future__ import annotations

import hashlib

import pytest

from idcard_ocr.store.blocklist import Blocklist
from idcard_ocr.store.database import Database

DIGEST = hashlib.sha256(b"an image").hexdigest()


def test_add_list_remove(database: Database) -> None:
    blocklist = Blocklist(database)
    assert blocklist.add(DIGEST.upper())
    assert not blocklist.add(DIGEST)
    assert blocklist.digests() == [DIGEST]
    assert blocklist.blocked({DIGEST, "0" * 64}) == {DIGEST}
    assert blocklist.remove(DIGEST)
    assert not blocklist.remove(DIGEST)
    assert blocklist.blocked({DIGEST}) == set()
    assert blocklist.blocked(set()) == set()


@pytest.mark.parametrize("text", ["", "abc", "g" * 64, DIGEST + "0"])
def test_only_sha256_digests(database: Database, text: str) -> None:
    with pytest.raises(ValueError):
        Blocklist(database).add(text)
