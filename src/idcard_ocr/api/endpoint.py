"""`POST /ocr/idcard` from headers and body stream to the JSON answer, stage by stage."""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from anyio import to_thread

from idcard_ocr.api.authorization import Authorizer
from idcard_ocr.api.body import BodyPace, read_body
from idcard_ocr.api.capacity import Capacity
from idcard_ocr.api.metrics import ServiceMetrics
from idcard_ocr.api.pipeline import OcrPipeline
from idcard_ocr.api.request import OcrRequest, parse_request
from idcard_ocr.api.response import ItemResult, result_list_body
from idcard_ocr.api.signature import Signature, parse_signature
from idcard_ocr.errors import IdCardOcrError, ServerBusy
from idcard_ocr.store.credentials import Access, CredentialStore
from idcard_ocr.store.usage import UsageLedger

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RequestLimits:
    max_body_bytes: int
    max_items: int
    max_in_flight: int
    body_pace: BodyPace


class IdCardEndpoint:
    """Signature, body, authorization, recognition and metering of one request.

    The signature is checked against the store before anything else, and only a request that
    passes takes one of the in-flight slots and has its body read: a caller without a valid key
    is answered at once, holding no slot and costing no buffer.
    """

    def __init__(
        self,
        limits: RequestLimits,
        credentials: CredentialStore,
        authorizer: Authorizer,
        pipeline: OcrPipeline,
        usage: UsageLedger,
        clock: Callable[[], float],
        metrics: ServiceMetrics,
    ) -> None:
        self._limits = limits
        self._in_flight = Capacity(limits.max_in_flight, metrics.requests_in_flight.set)
        self._metrics = metrics
        self._credentials = credentials
        self._authorizer = authorizer
        self._pipeline = pipeline
        self._usage = usage
        self._clock = clock

    @property
    def requests_in_flight(self) -> int:
        """Requests holding a slot now: their body being read, or their items served."""
        return self._in_flight.used

    async def answer(
        self, headers: Mapping[str, str], body: AsyncIterator[bytes]
    ) -> dict[str, object]:
        """The `result_list` answer; request-level failures raise `IdCardOcrError`."""
        start = time.perf_counter()
        try:
            answer = await self._serve(headers, body)
        except IdCardOcrError as exc:
            self._answered(exc.code, start)
            if isinstance(exc, ServerBusy):
                self._metrics.admission_refused()
            log.info("request refused with code %d", exc.code)
            raise
        except Exception as exc:
            self._answered(IdCardOcrError.code, start)
            # Only the type: messages of foreign exceptions may quote request data.
            log.error("request failed with %s", type(exc).__name__)
            raise IdCardOcrError() from exc
        self._answered(0, start)
        return answer

    def _answered(self, code: int, start: float) -> None:
        self._metrics.request_answered(code, time.perf_counter() - start)

    async def _serve(
        self, headers: Mapping[str, str], body: AsyncIterator[bytes]
    ) -> dict[str, object]:
        signature = parse_signature(headers.get("authorization"))
        # The bucket is checked once the body names it; `b`, when signed, must name the same.
        access = await self._access(signature, signature.bucket or "")
        self._authorizer.authenticate(signature, access)
        # Refuse before reading: bodies of waiting requests would be unbounded memory.
        if not self._in_flight.take():
            raise ServerBusy("server busy: too many requests in flight")
        try:
            return await self._serve_signed(signature, access, headers, body)
        finally:
            self._in_flight.give_back()

    async def _serve_signed(
        self,
        signature: Signature,
        access: Access,
        headers: Mapping[str, str],
        body: AsyncIterator[bytes],
    ) -> dict[str, object]:
        request = await self._read(headers, body)
        if signature.bucket is None:  # real clients leave `b` out
            access = await self._access(signature, request.bucket)
        # The replay guard and rate limiter ask the SQL store or Redis: off the event loop.
        await to_thread.run_sync(
            self._authorizer.authorize, signature, access, request.appid, request.bucket
        )
        results = await self._pipeline.run(request)
        codes = [result.code for result in results]
        self._metrics.items_answered(request.side, codes)
        log.info("request answered", extra={"items": len(codes), "codes": Counter(codes)})
        await self._meter(request, results)
        return result_list_body(results)

    async def _read(self, headers: Mapping[str, str], body: AsyncIterator[bytes]) -> OcrRequest:
        """The parsed request; the raw body is dropped here, before the items are served."""
        limits = self._limits
        content = await read_body(
            body, headers.get("content-length"), limits.max_body_bytes, limits.body_pace
        )
        return parse_request(content, headers.get("content-type", ""), limits.max_items)

    async def _access(self, signature: Signature, bucket: str) -> Access:
        return await to_thread.run_sync(
            self._credentials.access, signature.appid, signature.secret_id, bucket
        )

    async def _meter(self, request: OcrRequest, results: list[ItemResult]) -> None:
        when = datetime.fromtimestamp(self._clock(), UTC)
        codes = [result.code for result in results]
        await to_thread.run_sync(
            self._usage.record, request.appid, request.bucket, int(request.side), codes, when
        )
