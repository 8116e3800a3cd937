"""Fetching the image of a URL item: streamed, size-capped, timed, redirect- and SSRF-guarded.

Every hop's host is resolved here and checked by `addresses.is_fetchable`; the request then
goes to the checked address itself (Host header and TLS SNI keep the name), so a second DNS
answer (rebinding) never decides where we connect.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

import httpx

from idcard_ocr.api.addresses import (
    IPAddress,
    Resolver,
    SystemResolver,
    is_fetchable,
    literal_address,
)
from idcard_ocr.api.target import Target, parse_target
from idcard_ocr.errors import (
    DownloadCutShort,
    DownloadTimeout,
    EmptyUrl,
    ImageTooLarge,
    MalformedUrl,
    UrlDownloadFailed,
    UrlUnreachable,
)

_REDIRECTS = frozenset({301, 302, 303, 307, 308})


@dataclass(frozen=True)
class FetchPolicy:
    """Limits of one URL fetch (defaults in `Settings`)."""

    max_bytes: int
    connect_timeout: float
    total_timeout: float
    max_redirects: int
    allow_private: bool


class UrlFetcher:
    """Downloads URL items; raises the spec's item errors (17, 20, -1308, -1403, -150x)."""

    def __init__(
        self,
        policy: FetchPolicy,
        resolver: Resolver | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self._policy = policy
        self._resolver = resolver or SystemResolver()
        timeout = httpx.Timeout(policy.total_timeout, connect=policy.connect_timeout)
        # No keep-alive: a pooled TLS connection to an address must not serve another name.
        # No proxies from the environment: they would connect somewhere we did not check.
        self._client = httpx.AsyncClient(
            transport=transport,
            timeout=timeout,
            follow_redirects=False,
            trust_env=False,
            limits=httpx.Limits(max_keepalive_connections=0),
        )

    async def fetch(self, url: str) -> bytes:
        """The bytes at `url`, following at most `max_redirects` checked redirects."""
        if not url:
            raise EmptyUrl()
        target = parse_target(url)
        try:
            async with asyncio.timeout(self._policy.total_timeout):
                return await self._follow(target)
        except TimeoutError as exc:
            raise DownloadTimeout() from exc

    async def aclose(self) -> None:
        await self._client.aclose()

    async def _follow(self, target: Target) -> bytes:
        for _ in range(self._policy.max_redirects + 1):
            request = await self._pinned_request(target)
            response = await self._send(request)
            try:
                location = _redirect_location(response)
                if location is None:
                    return await self._read(response)
            finally:
                await response.aclose()
            target = target.join(location)
        raise UrlDownloadFailed("too many redirects")

    async def _pinned_request(self, target: Target) -> httpx.Request:
        address = await self._checked_address(target)
        url = httpx.URL(
            scheme=target.scheme, host=str(address), port=target.port, raw_path=target.raw_path
        )
        headers = {"Host": target.host_header, "Accept-Encoding": "identity"}
        extensions = {"sni_hostname": target.host} if target.scheme == "https" else {}
        return self._client.build_request("GET", url, headers=headers, extensions=extensions)

    async def _checked_address(self, target: Target) -> IPAddress:
        try:
            literal = literal_address(target.host)
        except ValueError as exc:
            raise MalformedUrl() from exc
        addresses = [literal] if literal else await self._resolve(target)
        if not self._policy.allow_private and not all(map(is_fetchable, addresses)):
            raise UrlUnreachable("address not allowed")
        return addresses[0]

    async def _resolve(self, target: Target) -> list[IPAddress]:
        try:
            addresses = await self._resolver.resolve(target.host, target.port)
        except (OSError, UnicodeError, ValueError) as exc:
            raise UrlUnreachable("host cannot be resolved") from exc
        if not addresses:
            raise UrlUnreachable("host cannot be resolved")
        return addresses

    async def _send(self, request: httpx.Request) -> httpx.Response:
        try:
            return await self._client.send(request, stream=True)
        except httpx.TimeoutException as exc:
            raise DownloadTimeout() from exc
        except (httpx.InvalidURL, httpx.UnsupportedProtocol) as exc:
            raise MalformedUrl() from exc
        except httpx.HTTPError as exc:
            raise UrlUnreachable() from exc

    async def _read(self, response: httpx.Response) -> bytes:
        if response.status_code >= 300 or response.status_code < 200:
            raise UrlDownloadFailed(f"HTTP status {response.status_code}")
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > self._policy.max_bytes:
            raise ImageTooLarge()
        body = bytearray()
        try:
            async for chunk in response.aiter_raw():
                body.extend(chunk)
                if len(body) > self._policy.max_bytes:
                    raise ImageTooLarge()
        except httpx.TimeoutException as exc:
            raise DownloadTimeout() from exc
        except httpx.HTTPError as exc:
            raise DownloadCutShort() from exc
        return bytes(body)


def _redirect_location(response: httpx.Response) -> str | None:
    if response.status_code in _REDIRECTS:
        location: str = response.headers.get("Location", "")
        if location:
            return location
    return None
