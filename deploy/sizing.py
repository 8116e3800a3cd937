"""Throughput of a running `idcard-ocr serve`, as a deployment sees it: CLIENTS callers each
posting batches of 20 images of CARDS_DIR (made by `idcard-ocr synth`) until all are read.

    python3 deploy/sizing.py URL CREDENTIAL_JSON CARDS_DIR CLIENTS

Prints one JSON line: images, seconds, images per second, request p50 (ms), items not read.
See docs/deploy.md, "Sizing", for how the figures there were made with it.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from idcard_ocr.card.model import Side
from idcard_ocr.client import Client

BATCH = 20


def batches(cards_dir: Path) -> list[tuple[Side, list[bytes]]]:
    """Requests of at most 20 images, one side each (`NNNNN_front.*`, `NNNNN_back.*`)."""
    found = []
    for side, suffix in ((Side.FRONT, "front"), (Side.BACK, "back")):
        images = [path.read_bytes() for path in sorted(cards_dir.glob(f"*_{suffix}.*"))]
        found += [(side, images[i : i + BATCH]) for i in range(0, len(images), BATCH)]
    return found


def main(url: str, credential_file: str, cards_dir: str, clients: int) -> None:
    key = json.loads(Path(credential_file).read_text())
    work = batches(Path(cards_dir))
    request_ms: list[float] = []
    codes: list[int] = []

    def call(request: tuple[Side, list[bytes]]) -> None:
        with Client(url, **key, timeout=600) as client:
            start = time.perf_counter()
            results = client.recognise_images(request[1], request[0])
            request_ms.append((time.perf_counter() - start) * 1000)
            codes.extend(result.code for result in results)

    start = time.perf_counter()
    with ThreadPoolExecutor(clients) as callers:
        list(callers.map(call, work))
    seconds = time.perf_counter() - start
    figures = {
        "images": len(codes),
        "seconds": round(seconds, 2),
        "images_per_s": round(len(codes) / seconds, 2),
        "request_p50_ms": round(statistics.median(request_ms)),
        "not_read": sum(code != 0 for code in codes),
    }
    print(json.dumps(figures), flush=True)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]))
