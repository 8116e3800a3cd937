"""`POST /ocr/idcard` from headers and body stream to the JSON answer, stage by stage."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from anyio import to_thread

from idcard_ocr.api.authorization import Authorizer
from idcard_ocr.api.body import read_body
from idcard_ocr.api.capacity import Capacity
from idcard_ocr.api.pipeline import OcrPipeline
from idcard_ocr.api.request import OcrRequest, parse_request
from idcard_ocr.api.response import ItemResult, result_list_body
from idcard_ocr.api.signature import parse_signature
from idcard_ocr.errors import IdCardOcrError, RateLimited
from idcard_ocr.store.credentials import CredentialStore
from idcard_ocr.store.usage import UsageLedger

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RequestLimits:
    max_body_bytes: int
    max_items: int
    max_in_flight: int


class IdCardEndpoint:
    """Signature, body, authorization, recognition and metering of one request."""

    def __init__(
        self,
        limits: RequestLimits,
        credentials: CredentialStore,
        authorizer: Authorizer,
        pipeline: OcrPipeline,
        usage: UsageLedger,
        clock: Callable[[], float],
    ) -> None:
        self._limits = limits
        self._in_flight = Capacity(limits.max_in_flight)
        self._credentials = credentials
        self._authorizer = authorizer
        self._pipeline = pipeline
        self._usage = usage
        self._clock = clock

    async def answer(
        self, headers: Mapping[str, str], body: AsyncIterator[bytes]
    ) -> dict[str, object]:
        """The `result_list` answer; request-level failures raise `IdCardOcrError`."""
        # Refuse before reading: bodies of waiting requests would be unbounded memory.
        if not self._in_flight.take():
            raise RateLimited("server busy: too many requests in flight")
        try:
            return await self._serve(headers, body)
        except IdCardOcrError as exc:
            log.info("request refused with code %d", exc.code)
            raise
        except Exception as exc:
            # Only the type: messages of foreign exceptions may quote request data.
            log.error("request failed with %s", type(exc).__name__)
            raise IdCardOcrError() from exc
        finally:
            self._in_flight.give_back()

    async def _serve(
        self, headers: Mapping[str, str], body: AsyncIterator[bytes]
    ) -> dict[str, object]:
        signature = parse_signature(headers.get("authorization"))
        content = await read_body(body, headers.get("content-length"), self._limits.max_body_bytes)
        request = parse_request(content, headers.get("content-type", ""), self._limits.max_items)
        access = await to_thread.run_sync(
            self._credentials.access, signature.appid, signature.secret_id, request.bucket
        )
        self._authorizer.authorize(signature, access, request.appid, request.bucket)
        results = await self._pipeline.run(request)
        await self._meter(request, results)
        return result_list_body(results)

    async def _meter(self, request: OcrRequest, results: list[ItemResult]) -> None:
        when = datetime.fromtimestamp(self._clock(), UTC)
        codes = [result.code for result in results]
        await to_thread.run_sync(
            self._usage.record, request.appid, request.bucket, int(request.side), codes, when
        )
