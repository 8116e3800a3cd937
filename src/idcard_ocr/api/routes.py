"""The HTTP routes: thin functions over the injected parts."""

from __future__ import annotations

from typing import Annotated

from anyio import to_thread
from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import JSONResponse, PlainTextResponse

from idcard_ocr.api.endpoint import IdCardEndpoint
from idcard_ocr.api.metrics import CONTENT_TYPE, ServiceMetrics
from idcard_ocr.api.openapi import OCR_IDCARD, READYZ_RESPONSES
from idcard_ocr.api.readiness import Readiness

router = APIRouter()


def endpoint(request: Request) -> IdCardEndpoint:
    found: IdCardEndpoint = request.app.state.endpoint
    return found


def readiness(request: Request) -> Readiness:
    found: Readiness = request.app.state.readiness
    return found


def service_metrics(request: Request) -> ServiceMetrics:
    found: ServiceMetrics = request.app.state.metrics
    return found


@router.post(
    "/ocr/idcard",
    summary="Recognise ID cards (legacy Tencent Cloud API)",
    description="Always HTTP 200: `{code, message}` for a request error, else `result_list`.",
    openapi_extra=OCR_IDCARD,
)
async def ocr_idcard(
    request: Request, served_by: Annotated[IdCardEndpoint, Depends(endpoint)]
) -> JSONResponse:
    return JSONResponse(await served_by.answer(request.headers, request.stream()))


@router.get("/healthz", summary="The process is alive")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get(
    "/readyz",
    summary="Models loaded, store and Redis (if configured) reachable",
    responses=READYZ_RESPONSES,
)
async def readyz(checks: Annotated[Readiness, Depends(readiness)]) -> JSONResponse:
    report = await checks.report()
    return JSONResponse(report, status_code=200 if all(report.values()) else 503)


@router.get(
    "/metrics",
    summary="Prometheus metrics (text format), of every worker",
    response_class=PlainTextResponse,
)
async def metrics(observed: Annotated[ServiceMetrics, Depends(service_metrics)]) -> Response:
    # Multiprocess mode reads every worker's file: off the event loop.
    return Response(await to_thread.run_sync(observed.exposition), media_type=CONTENT_TYPE)
