"""SIGTERM, as systemd sends it to stop or restart the service: the request in flight gets its
whole answer, new connections are refused at once (the port is closed, not left to queue),
and the process exits 0. With one process and with a supervisor of two workers; real engine.
"""

from __future__ import annotations

import socket
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from idcard_ocr.card.model import Side
from idcard_ocr.client import ItemResult
from idcard_ocr.synth.sample import render_sample
from serve_process import ON_LOOPBACK, ServeProcess, client, issue_credential

pytestmark = pytest.mark.model
SEED = 11
IMAGES = 12  # on one recognition thread: seconds of work left when SIGTERM comes
REFUSED_WITHIN_SECONDS = 3.0  # the supervisor looks at its signals every 0.5 s
EXIT_WITHIN_SECONDS = 15.0  # after the last answer


def refused(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return False
    except ConnectionRefusedError:
        return True


def image_read(lines: list[dict[str, Any]]) -> bool:
    return any(line["message"] == "image read" for line in lines)


@pytest.mark.parametrize("workers", [1, 2])
def test_sigterm_answers_the_request_in_flight_refuses_new_ones_and_exits_0(
    tmp_path: Path, workers: int
) -> None:
    database_url = f"sqlite:///{tmp_path / 'store.db'}"
    credential = issue_credential(database_url)
    cards = [render_sample(SEED, index, "clean", Side.FRONT) for index in range(IMAGES)]
    environment = {
        "IDCARD_OCR_RECOGNITION_THREADS": "1",
        "IDCARD_OCR_ITEM_TIMEOUT_SECONDS": "300",  # a loaded machine must not make this 203
        "IDCARD_OCR_LOG_LEVEL": "debug",
    }
    with (
        ServeProcess(
            tmp_path, environment, database_url=database_url, workers=workers, arguments=ON_LOOPBACK
        ) as server,
        ThreadPoolExecutor(1) as caller,
    ):
        base_url = server.started()
        port = int(base_url.rsplit(":", 1)[1])

        def recognise() -> list[ItemResult]:
            with client(base_url, credential, timeout=120) as ours:
                return ours.recognise_images([card.data for card in cards], Side.FRONT)

        in_flight = caller.submit(recognise)
        server.wait_for(image_read, 60)  # admitted, and the first image is read
        server.terminate()
        deadline = time.monotonic() + REFUSED_WITHIN_SECONDS
        while not refused(port):
            assert time.monotonic() < deadline, "still accepting connections after SIGTERM"
            time.sleep(0.05)
        assert not in_flight.done(), "the request ended before the port closed: test too short"

        results = in_flight.result(timeout=120)
        assert [result.code for result in results] == [0] * IMAGES
        for result, card in zip(results, cards, strict=True):
            assert {name: field.text for name, field in result.fields.items()} == card.labels
        assert server.process.wait(timeout=EXIT_WITHIN_SECONDS) == 0
    messages = [line["message"] for line in server.logs()]
    assert "Application shutdown complete." in messages
    assert not [line for line in server.logs() if line["level"] in ("ERROR", "CRITICAL")]
