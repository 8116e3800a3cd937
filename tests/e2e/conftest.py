"""Fixtures of the end-to-end HTTP tests: the real engine behind a real uvicorn on loopback.

Unlike tests/api, nothing stands in for the model here: the app gets the engine that
`idcard_ocr.api.app.load_reader` builds from the settings, loaded once per test module.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from live_service import PROXY_VARIABLES, Service

from idcard_ocr.api.app import create_app, load_reader
from idcard_ocr.api.server import running
from idcard_ocr.settings import Settings
from idcard_ocr.store.credentials import CredentialStore
from idcard_ocr.store.database import Database

APPID = "1250000000"
BUCKET = "photos"


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    database_url = f"sqlite:///{tmp_path_factory.mktemp('store') / 'store.db'}"
    database = Database.open(database_url)
    try:
        credential = CredentialStore(database, default_qps=1000).create(APPID, BUCKET)
    finally:
        database.close()
    settings = Settings(
        database_url=database_url,
        url_fetch_allow_private=True,  # the image servers of these tests are on loopback
        recognition_threads=2,
    )
    with pytest.MonkeyPatch.context() as patch:
        for name in PROXY_VARIABLES:
            patch.delenv(name, raising=False)
        app = create_app(settings, reader=load_reader(settings))
        with running(app) as base_url:
            yield Service(base_url, database_url, credential)
