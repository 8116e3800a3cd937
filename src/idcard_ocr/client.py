"""A Python client for the legacy `/ocr/idcard` API: signs, batches by 20, retries code 15.

A busy server refuses a whole request with 15 before doing any of its work (admission
control, `docs/api.md`); the client waits a jittered, growing delay and sends it again
(`RetryPolicy`), so that many refused clients do not come back all at once.

with Client("http://127.0.0.1:8080", appid, secret_id, secret_key, bucket) as client:
    for result in client.recognise_files(["front.jpg"], Side.FRONT):
        print(result.code, result.fields["name"].text if result.ok else result.message)
"""

from __future__ import annotations

import json
import random
import secrets
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any, TypeVar

import httpx

from idcard_ocr.api.signature import sign
from idcard_ocr.card.model import Side
from idcard_ocr.errors import IdCardOcrError, RateLimited, ServerBusy, UnpackFailed

BATCH_SIZE = 20
T = TypeVar("T")
# Told of each retry: the refusal (code 15) and the seconds the client will wait.
RetryHook = Callable[[RateLimited, float], None]


@dataclass(frozen=True)
class RetryPolicy:
    """When a request refused with 15 (or HTTP 503 from a proxy) is sent again.

    "Full jitter" exponential backoff: before retry n the client sleeps a uniform random
    time in [0, min(cap, base * 2**n)], so that clients refused together spread out, added
    to the server's `Retry-After` when it gives one (its guess of when the request would be
    admitted). It gives up, raising the refusal, after `max_retries` retries or when the
    next sleep would pass `max_wait_seconds` of sleeping in all.
    """

    max_retries: int = 6
    base_seconds: float = 0.5
    cap_seconds: float = 8.0
    max_wait_seconds: float = 30.0

    def delay(self, retry: int, jitter: random.Random, retry_after: float = 0.0) -> float:
        """The sleep before retry number `retry` (from 0)."""
        ceiling = min(self.cap_seconds, self.base_seconds * 2**retry)
        return retry_after + jitter.uniform(0.0, ceiling)

    def allows(self, retry: int, waited: float, delay: float) -> bool:
        """Whether retry number `retry` may follow, after `waited` seconds of earlier sleeps."""
        return retry < self.max_retries and waited + delay <= self.max_wait_seconds


@dataclass(frozen=True)
class FieldReading:
    """One field's value and its per-character (per-digit for dates) confidences."""

    text: str
    confidence: tuple[int, ...]


@dataclass(frozen=True)
class ItemResult:
    """The answer for one image or URL; `source` is the echoed filename or URL."""

    code: int
    message: str
    source: str
    fields: Mapping[str, FieldReading] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.code == 0


class Client:
    """Calls one server as one appid and bucket; request-level errors raise `IdCardOcrError`.

    Transport failures raise `httpx.HTTPError` unchanged.
    """

    def __init__(
        self,
        endpoint: str,
        appid: str,
        secret_id: str,
        secret_key: str,
        bucket: str,
        *,
        timeout: float = 60.0,
        retry: RetryPolicy | None = None,
        on_retry: RetryHook | None = None,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self._url = endpoint.rstrip("/") + "/ocr/idcard"
        self._appid, self._secret_id, self._secret_key = str(appid), secret_id, secret_key
        self._bucket = bucket
        self._retry = retry or RetryPolicy()
        self._on_retry = on_retry
        self._jitter = random.Random()
        self._http = httpx.Client(timeout=timeout, transport=transport, trust_env=False)

    def recognise_files(
        self, paths: Sequence[str | Path], side: Side = Side.FRONT
    ) -> list[ItemResult]:
        """Upload image files; each result echoes the file's name."""
        named = [(Path(path).name, Path(path).read_bytes()) for path in paths]
        return self.recognise_images(named, side)

    def recognise_images(
        self, images: Sequence[bytes | tuple[str, bytes]], side: Side = Side.FRONT
    ) -> list[ItemResult]:
        """Upload images given as bytes or (filename, bytes), in batches of 20."""
        named = [image if isinstance(image, tuple) else ("", image) for image in images]
        results: list[ItemResult] = []
        for batch in _batches(named):
            results += self._post_images(batch, side)
        return results

    def recognise_urls(self, urls: Sequence[str], side: Side = Side.FRONT) -> list[ItemResult]:
        """Have the server fetch and read `urls`, in batches of 20."""
        results: list[ItemResult] = []
        for batch in _batches(list(urls)):
            body = {"appid": self._appid, "bucket": self._bucket, "card_type": int(side)}
            content = json.dumps({**body, "url_list": batch}).encode()
            headers = {"Content-Type": "application/json"}
            results += self._post({"content": content, "headers": headers})
        return results

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    def _post_images(self, batch: list[tuple[str, bytes]], side: Side) -> list[ItemResult]:
        # Zero-padded names: the server answers in dictionary order of part names.
        files = [(f"image[{index:02d}]", image) for index, image in enumerate(batch)]
        data = {"appid": self._appid, "bucket": self._bucket, "card_type": str(int(side))}
        return self._post({"files": files, "data": data})

    def _post(self, request: dict[str, Any]) -> list[ItemResult]:
        retry, waited = 0, 0.0
        while True:
            # A fresh signature each time: its nonce is single-use.
            headers = {**request.get("headers", {}), "Authorization": self._signature()}
            response = self._http.post(self._url, **{**request, "headers": headers})
            try:
                return _results(response)
            except RateLimited as refusal:
                delay = self._retry.delay(retry, self._jitter, _retry_after(response))
                if not self._retry.allows(retry, waited, delay):
                    raise
                if self._on_retry is not None:
                    self._on_retry(refusal, delay)
                time.sleep(delay)
                retry, waited = retry + 1, waited + delay

    def _signature(self) -> str:
        now = int(time.time())
        fields = [
            ("a", self._appid),
            ("b", self._bucket),
            ("k", self._secret_id),
            ("e", str(now + 600)),
            ("t", str(now)),
            ("r", str(secrets.randbelow(10**10))),
            ("f", ""),
        ]
        return sign(self._secret_key, fields)


def _results(response: httpx.Response) -> list[ItemResult]:
    if response.status_code == httpx.codes.SERVICE_UNAVAILABLE:  # a proxy in front is full
        raise ServerBusy("HTTP 503: service unavailable")
    try:
        body = response.json()
    except ValueError as exc:
        raise UnpackFailed(f"HTTP {response.status_code}: answer is not JSON") from exc
    if not isinstance(body, dict) or not isinstance(body.get("result_list"), list):
        code = body.get("code") if isinstance(body, dict) else None
        message = body.get("message") if isinstance(body, dict) else None
        raise error_for(code if isinstance(code, int) else 201, str(message or "bad answer"))
    return [_item(item) for item in body["result_list"]]


def _retry_after(response: httpx.Response) -> float:
    """The server's `Retry-After` in seconds; 0 if absent or a date (ours sends seconds)."""
    try:
        return max(0.0, float(response.headers.get("retry-after", "0")))
    except ValueError:
        return 0.0


def _item(item: dict[str, Any]) -> ItemResult:
    data: dict[str, Any] = item.get("data") or {}
    fields = {
        name: FieldReading(str(value), tuple(data.get(f"{name}_confidence_all", ())))
        for name, value in data.items()
        if not name.endswith("_confidence_all")
    }
    source = item.get("url", item.get("filename", ""))
    return ItemResult(int(item["code"]), str(item.get("message", "")), str(source), fields)


def error_for(code: int, message: str) -> IdCardOcrError:
    """The error class of `code` from the spec's table, carrying the server's message."""
    kind = _ERRORS_BY_CODE.get(code)
    if kind is None:
        return IdCardOcrError(f"code {code}: {message}")
    return kind(message)


def _subclasses(kind: type[IdCardOcrError]) -> Iterator[type[IdCardOcrError]]:
    for sub in kind.__subclasses__():
        yield sub
        yield from _subclasses(sub)


_ERRORS_BY_CODE = {k.code: k for k in _subclasses(IdCardOcrError) if "code" in vars(k)}


def _batches(items: list[T]) -> Iterator[list[T]]:
    for start in range(0, len(items), BATCH_SIZE):
        yield items[start : start + BATCH_SIZE]
