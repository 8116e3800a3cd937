"""`GET /readyz` on the real app and engine, with real backends stopped and started: 503 while
Redis (when configured) or the SQL store does not answer, 200 again once it does, and the
answer never says where the backend lives."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from backend_servers import running_postgres, running_redis
from fastapi.testclient import TestClient

from idcard_ocr.api.app import create_app
from idcard_ocr.settings import Settings

pytestmark = pytest.mark.model
REDIS_TIMEOUT = 1.0
READY = {"models_loaded": True, "store_reachable": True}


def app_client(database_url: str, redis_url: str | None = None) -> TestClient:
    settings = Settings(
        database_url=database_url,
        redis_url=redis_url,
        redis_timeout_seconds=REDIS_TIMEOUT,
        recognition_threads=1,
    )
    return TestClient(create_app(settings))


def assert_leaks_nothing(text: str, *secrets: str) -> None:
    for secret in secrets:
        assert secret not in text
    assert "redis://" not in text and "postgresql://" not in text and "127.0.0.1" not in text


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'store.db'}"


def test_ready_follows_redis_when_it_is_configured(sqlite_url: str) -> None:
    with running_redis() as redis, app_client(sqlite_url, redis.url) as client:
        up = client.get("/readyz")
        assert (up.status_code, up.json()) == (200, {**READY, "redis_reachable": True})

        redis.stop()
        start = time.monotonic()
        down = client.get("/readyz")
        assert time.monotonic() - start < REDIS_TIMEOUT + 1.0
        assert (down.status_code, down.json()) == (503, {**READY, "redis_reachable": False})
        assert_leaks_nothing(down.text, str(redis.port))

        redis.start()  # same port: the client reconnects by itself
        back = client.get("/readyz")
        assert (back.status_code, back.json()) == (200, {**READY, "redis_reachable": True})


def test_without_redis_ready_does_not_mention_it(sqlite_url: str) -> None:
    with app_client(sqlite_url) as client:
        answer = client.get("/readyz")
    assert (answer.status_code, answer.json()) == (200, READY)


def test_ready_follows_the_sql_store() -> None:
    with running_postgres() as postgres:
        url = postgres.create_database()
        with app_client(url) as client:
            assert client.get("/readyz").status_code == 200

            postgres.stop()
            down = client.get("/readyz")
            assert down.status_code == 503
            assert down.json() == {"models_loaded": True, "store_reachable": False}
            assert_leaks_nothing(down.text, str(postgres.port), "idcard")

            postgres.start()
            assert client.get("/readyz").status_code == 200
