"""The application factory: the one place the API's parts are built from `Settings`.

Nothing is built at import time; the engine's models load once per process, in the lifespan.
"""

from __future__ import annotations

import math
import time
from collections.abc import AsyncIterator, Callable
from contextlib import AsyncExitStack, asynccontextmanager

from anyio import to_thread
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from idcard_ocr.api.addresses import Resolver
from idcard_ocr.api.admission import Admission, AdmissionPolicy, ServiceTime
from idcard_ocr.api.authorization import Authorizer, SignaturePolicy
from idcard_ocr.api.body import BodyPace
from idcard_ocr.api.endpoint import IdCardEndpoint, RequestLimits
from idcard_ocr.api.fetch import FetchPolicy, UrlFetcher
from idcard_ocr.api.metrics import (
    ServiceMetrics,
    forget_dead_workers,
    multiprocess_dir,
    worker_exited,
)
from idcard_ocr.api.pipeline import OcrPipeline
from idcard_ocr.api.pool import RecognitionPool
from idcard_ocr.api.reader import Reader
from idcard_ocr.api.readiness import Readiness
from idcard_ocr.api.request_id import RequestIds
from idcard_ocr.api.response import error_body
from idcard_ocr.api.routes import router
from idcard_ocr.api.unread_body import CloseOnUnreadBody
from idcard_ocr.errors import BadRequest, IdCardOcrError, ServerBusy
from idcard_ocr.settings import Settings
from idcard_ocr.store.blocklist import Blocklist
from idcard_ocr.store.credentials import CredentialStore
from idcard_ocr.store.database import Database
from idcard_ocr.store.hot_state import HotState
from idcard_ocr.store.usage import UsageLedger


def create_app(
    settings: Settings | None = None,
    *,
    reader: Reader | None = None,
    resolver: Resolver | None = None,
    clock: Callable[[], float] = time.time,
) -> FastAPI:
    """The ASGI app; `reader` and `resolver` replace the real engine and DNS in tests."""
    settings = settings or Settings()
    metrics = ServiceMetrics()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with AsyncExitStack() as stack:
            _share_metrics(stack)
            database = await to_thread.run_sync(Database.open, settings.database_url)
            stack.callback(database.close)
            hot_state = HotState.open(database, settings.redis_url, settings.redis_timeout_seconds)
            stack.callback(hot_state.close)
            engine = reader if reader is not None else await _loaded_reader(settings)
            pool = RecognitionPool(
                metrics.watched_reads(engine),
                admission(settings, metrics),
                settings.item_timeout_seconds,
            )
            stack.callback(pool.shutdown)
            fetcher = UrlFetcher(fetch_policy(settings), resolver)
            stack.push_async_callback(fetcher.aclose)
            pipeline = OcrPipeline(
                metrics.timed_fetches(fetcher), Blocklist(database), pool, settings.max_image_bytes
            )
            app.state.endpoint = _endpoint(settings, database, hot_state, pipeline, clock, metrics)
            app.state.database = database
            app.state.readiness = Readiness(database, hot_state.redis)
            app.state.readiness.models_loaded = True
            yield

    app = FastAPI(
        title="idcard-ocr",
        summary="Chinese resident ID card OCR, legacy Tencent Cloud /ocr/idcard API",
        lifespan=lifespan,
    )
    app.state.metrics = metrics
    app.include_router(router)
    app.add_exception_handler(IdCardOcrError, _error_response)
    app.add_exception_handler(HTTPException, _http_error_response)
    app.add_middleware(CloseOnUnreadBody)
    app.add_middleware(RequestIds)  # outermost: its id is on every log line of the request
    return app


def app_from_environment() -> FastAPI:
    """The factory uvicorn's workers call: settings from the environment only."""
    return create_app(Settings())


def load_reader(settings: Settings) -> Reader:
    """The real engine, imported here so the API works (and tests) without it installed."""
    from idcard_ocr.vision.reader import CardReader

    engine: Reader = CardReader.load(threads=settings.engine_threads)
    return engine


async def _loaded_reader(settings: Settings) -> Reader:
    return await to_thread.run_sync(load_reader, settings)


def admission(settings: Settings, metrics: ServiceMetrics) -> Admission:
    """The pool's door, fed from the first read on; it feeds the queue-depth gauge."""
    policy = AdmissionPolicy(
        threads=settings.recognition_threads,
        max_items=settings.max_queued_items,
        budget=settings.item_timeout_seconds,
        deviations=settings.admission_deviations,
    )
    service_time = ServiceTime(settings.cold_start_item_seconds)
    return Admission(policy, service_time, metrics.queue_depth.set)


def fetch_policy(settings: Settings) -> FetchPolicy:
    return FetchPolicy(
        max_bytes=settings.max_image_bytes,
        connect_timeout=settings.fetch_connect_timeout_seconds,
        total_timeout=settings.fetch_timeout_seconds,
        max_redirects=settings.fetch_max_redirects,
        allow_private=settings.url_fetch_allow_private,
    )


def _share_metrics(stack: AsyncExitStack) -> None:
    """In multiprocess mode (`serve --workers N`): drop the gauges of workers that died, and
    this worker's own when it stops."""
    directory = multiprocess_dir()
    if directory is not None:
        forget_dead_workers(directory)
        stack.callback(worker_exited, directory)


def _endpoint(
    settings: Settings,
    database: Database,
    hot_state: HotState,
    pipeline: OcrPipeline,
    clock: Callable[[], float],
    metrics: ServiceMetrics,
) -> IdCardEndpoint:
    policy = SignaturePolicy(settings.clock_skew_seconds, settings.single_use_window_seconds)
    authorizer = Authorizer(policy, hot_state.replay_guard, hot_state.rate_limiter, clock)
    pace = BodyPace(
        settings.body_read_timeout_seconds,
        settings.body_min_bytes_per_second,
        settings.body_read_grace_seconds,
    )
    limits = RequestLimits(
        settings.max_body_bytes, settings.max_items, settings.max_requests_in_flight, pace
    )
    credentials = CredentialStore(database, settings.default_qps)
    usage = UsageLedger(database)
    return IdCardEndpoint(limits, credentials, authorizer, pipeline, usage, clock, metrics)


async def _error_response(_request: Request, exc: Exception) -> JSONResponse:
    # The legacy clients read the body of HTTP 200 answers only.
    assert isinstance(exc, IdCardOcrError)
    headers = None
    if isinstance(exc, ServerBusy) and exc.retry_after is not None:
        # Whole seconds (RFC 9110); legacy clients ignore it, ours waits at least that long.
        headers = {"Retry-After": str(math.ceil(exc.retry_after))}
    return JSONResponse(error_body(exc), headers=headers)


async def _http_error_response(_request: Request, exc: Exception) -> JSONResponse:
    """An unknown path or a wrong method keeps its HTTP status (and `Allow` header), with a
    body in the one shape of every error: `{"code": 3, "message": ...}`."""
    assert isinstance(exc, HTTPException)
    body = error_body(BadRequest(exc.detail.lower()))
    return JSONResponse(body, status_code=exc.status_code, headers=exc.headers)
