"""Every tunable of the service, read once from the environment (prefix `IDCARD_OCR_`)."""

from __future__ import annotations

import os
from typing import Literal

from pydantic import Field, PositiveFloat, PositiveInt
from pydantic_settings import BaseSettings, SettingsConfigDict

MEBIBYTE = 1_048_576


def _cores() -> int:
    return os.cpu_count() or 1


class Settings(BaseSettings):
    """The defaults live here and nowhere else; `idcard-ocr serve` flags override them."""

    model_config = SettingsConfigDict(env_prefix="IDCARD_OCR_", extra="ignore")

    # Serving
    host: str = "127.0.0.1"
    port: int = Field(default=8080, ge=0, le=65535)
    workers: PositiveInt = 1
    database_url: str = "sqlite:///./idcard-ocr.db"

    # Request limits (the legacy contract: 20 items, 1 MB each)
    max_items: PositiveInt = 20
    max_image_bytes: PositiveInt = MEBIBYTE
    # Whole body, checked while streaming, before parsing: 20 images plus form overhead.
    max_body_bytes: PositiveInt = 24 * MEBIBYTE
    # Requests being read or served at once; more are answered 15 at once (bounds memory).
    max_requests_in_flight: PositiveInt = 32
    # A body holds a slot while it arrives, so it must arrive: all of it within the timeout,
    # and after the grace period at no less than the minimum average rate (20 images of 1 MB
    # in 60 s is 2.8 Mbit/s; 8 KiB/s is 64 kbit/s). A client too slow for either is answered 3.
    body_read_timeout_seconds: PositiveFloat = 60.0
    body_min_bytes_per_second: PositiveInt = 8192
    body_read_grace_seconds: PositiveFloat = 5.0

    # Recognition pool: one thread per core, each image on one onnxruntime thread. Measured on
    # 2 cores, 2 callers x 20 images, configurations interleaved (docs/benchmarks.md, "Engine
    # threads per pool worker"): pool 2 x engine 1 read 9.35 images/s at 202 ms CPU per image,
    # 2 x 2 8.95 at 217 ms (slower in 10 of 10 rounds: 4 engine threads on 2 cores); in a
    # 4-way sweep 1 x 2 read 7.4 and 1 x 1 5.4 against 9.3. Engine threads 2 pay off only for
    # a lone image on an idle server (p50 127 ms instead of 179 ms): set
    # IDCARD_OCR_ENGINE_THREADS=2 for a lightly loaded, latency-first deployment.
    recognition_threads: PositiveInt = Field(default_factory=_cores)
    engine_threads: PositiveInt = 1
    # Items admitted (queued or running) across all requests; beyond it a request gets 15.
    max_queued_items: PositiveInt = 200
    # Budget of a request's items from admission to result, queue wait included. A request
    # whose items are predicted to end later (from the measured read time) is refused with 15
    # before any of its work starts; an idle pool admits any request. An admitted item
    # answers 203 only if its own read runs this long, or if it waits this long while no
    # read of the pool begins or ends (the engine is stuck): never because of load.
    item_timeout_seconds: PositiveFloat = 10.0
    # Seconds per read assumed until the first read is measured (a slow photo on a busy core).
    cold_start_item_seconds: PositiveFloat = 1.5
    # Margin of the predicted wait, in mean deviations of the read time (as RFC 6298's 4 for
    # one sample; it is scaled by the square root of the rounds of reads ahead).
    admission_deviations: float = Field(default=2.0, ge=0)

    # URL fetching
    url_fetch_allow_private: bool = False
    fetch_connect_timeout_seconds: PositiveFloat = 3.0
    fetch_timeout_seconds: PositiveFloat = 3.0
    fetch_max_redirects: int = Field(default=3, ge=0)

    # Signatures and rate limits
    default_qps: PositiveInt = 20
    single_use_window_seconds: PositiveInt = 300
    clock_skew_seconds: int = Field(default=300, ge=0)

    # Shared state. DATABASE_URL above is `sqlite:///path` or `postgresql://user:pw@host/db`
    # (apps, keys, buckets, usage). REDIS_URL (`redis://host:6379/0`) moves single-use
    # signatures and rate limits to Redis; without it they live in the SQL store, so that
    # workers and servers on one store share them either way.
    redis_url: str | None = None
    # Connect and reply timeout of each Redis call; past it the request answers 202.
    redis_timeout_seconds: PositiveFloat = 1.0

    # Logs: JSON lines on stderr (`idcard-ocr serve`); debug, info, warning or error.
    log_level: Literal["debug", "info", "warning", "error"] = "info"
