"""A real server on loopback for the client: SQLite store, uvicorn, and a fixed-answer reader."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from idcard_ocr.api.app import create_app
from idcard_ocr.api.server import running
from idcard_ocr.card.model import CardResult, Field, Side
from idcard_ocr.errors import NotAnIdCard
from idcard_ocr.settings import Settings
from idcard_ocr.store.credentials import CredentialStore, IssuedCredential
from idcard_ocr.store.database import Database


class CardReader:
    """Stands in for the engine: every image reads as a card, except those starting NOTCARD."""

    def read(self, image: bytes, side: Side) -> CardResult:
        if image.startswith(b"NOTCARD"):
            raise NotAnIdCard()
        return CardResult(
            side, {name: Field(f"{name}:{len(image)}", (90,)) for name in side.fields}
        )


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'store.db'}"


@pytest.fixture
def credential(database_url: str) -> IssuedCredential:
    return CredentialStore(Database.open(database_url), 1000).create("1250000000", "photos")


@pytest.fixture
def server(database_url: str, credential: IssuedCredential) -> Iterator[str]:
    settings = Settings(database_url=database_url, url_fetch_allow_private=False)
    with running(create_app(settings, reader=CardReader())) as base:
        yield base
