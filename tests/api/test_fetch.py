"""URL fetching: size cap, timeouts, redirects, and the SSRF guard with its pinned connection.

Only loopback and reserved addresses are used; requests to "public" addresses go to an
in-memory transport and never leave the process.
"""

from __future__ import annotations

import asyncio
import ipaddress
from collections.abc import AsyncIterator, Callable

import httpx
import pytest
from fake_reader import FRONT_IMAGE
from recording_transport import Body, RecordingTransport

from idcard_ocr.api.addresses import IPAddress, is_fetchable
from idcard_ocr.api.fetch import FetchPolicy, UrlFetcher
from idcard_ocr.errors import (
    DownloadTimeout,
    EmptyUrl,
    ImageTooLarge,
    ItemError,
    MalformedUrl,
    UrlDownloadFailed,
    UrlUnreachable,
)

MB = 1_048_576


def policy(allow_private: bool, total: float = 1.0) -> FetchPolicy:
    return FetchPolicy(
        max_bytes=MB,
        connect_timeout=total,
        total_timeout=total,
        max_redirects=3,
        allow_private=allow_private,
    )


class ScriptedResolver:
    """Answers each lookup with the next scripted list: a DNS that rebinds."""

    def __init__(self, *answers: list[str]) -> None:
        self.answers = list(answers)
        self.lookups: list[str] = []

    async def resolve(self, host: str, port: int) -> list[IPAddress]:
        self.lookups.append(host)
        return [ipaddress.ip_address(a) for a in self.answers.pop(0)]


def fetch(fetcher: UrlFetcher, url: str) -> bytes:
    async def run() -> bytes:
        try:
            return await fetcher.fetch(url)
        finally:
            await fetcher.aclose()

    return asyncio.run(run())


def error_of(fetcher: UrlFetcher, url: str) -> type[ItemError]:
    with pytest.raises(ItemError) as caught:
        fetch(fetcher, url)
    return type(caught.value)


def image(status: int = 200, headers: dict[str, str] | None = None) -> httpx.Response:
    return httpx.Response(status, headers=headers, stream=Body(FRONT_IMAGE))


def recording(
    respond: Callable[[httpx.Request], httpx.Response],
) -> tuple[RecordingTransport, list[httpx.Request]]:
    transport = RecordingTransport(respond)
    return transport, transport.seen


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/a.jpg",
        "http://127.1/a.jpg",
        "http://2130706433/a.jpg",
        "http://0177.0.0.1/a.jpg",
        "http://0x7f.0.0.1/a.jpg",
        "http://0x7f000001/a.jpg",
        "http://[::1]/a.jpg",
        "http://[::ffff:127.0.0.1]/a.jpg",
        "http://[::ffff:7f00:1]/a.jpg",
        "http://0.0.0.0/a.jpg",
        "http://[::]/a.jpg",
        "http://169.254.169.254/latest/meta-data/",
        "http://[fd00:ec2::254]/latest/meta-data/",
        "http://224.0.0.1/a.jpg",
        "http://240.0.0.1/a.jpg",
        "http://localhost/a.jpg",
        "https://localhost:8443/a.jpg",
    ],
)
def test_non_public_addresses_are_refused(url: str) -> None:
    transport, seen = recording(lambda _: image())
    assert error_of(UrlFetcher(policy(False), transport=transport), url) is UrlUnreachable
    assert seen == []


@pytest.mark.parametrize(
    "address",
    [
        "10.0.0.1",
        "172.16.0.1",
        "192.168.1.1",
        "100.64.0.1",
        "192.0.2.1",
        "fc00::1",
        "fe80::1",
        "ff02::1",
        "2002:7f00:1::",
        "64:ff9b::7f00:1",
        "::ffff:10.0.0.1",
    ],
)
def test_private_and_embedded_private_addresses_are_not_fetchable(address: str) -> None:
    assert not is_fetchable(ipaddress.ip_address(address))


@pytest.mark.parametrize("address", ["8.8.8.8", "2001:4860:4860::8888", "::ffff:8.8.8.8"])
def test_public_addresses_are_fetchable(address: str) -> None:
    assert is_fetchable(ipaddress.ip_address(address))


def test_connection_goes_to_the_checked_address_not_a_rebound_one() -> None:
    resolver = ScriptedResolver(["8.8.8.8"], ["127.0.0.1"])
    transport, seen = recording(lambda _: image())
    fetcher = UrlFetcher(policy(False), resolver=resolver, transport=transport)
    assert fetch(fetcher, "http://images.test:8080/a.jpg?x=1") == FRONT_IMAGE
    assert resolver.lookups == ["images.test"]
    assert seen[0].url.host == "8.8.8.8"
    assert seen[0].url.port == 8080
    assert seen[0].url.raw_path == b"/a.jpg?x=1"
    assert seen[0].headers["Host"] == "images.test:8080"


def test_tls_keeps_the_name_for_sni() -> None:
    resolver = ScriptedResolver(["8.8.4.4"])
    transport, seen = recording(lambda _: image())
    fetch(
        UrlFetcher(policy(False), resolver=resolver, transport=transport), "https://images.test/a"
    )
    assert seen[0].url.host == "8.8.4.4"
    assert seen[0].extensions["sni_hostname"] == "images.test"
    assert seen[0].headers["Host"] == "images.test"


def test_a_name_with_any_private_address_is_refused() -> None:
    resolver = ScriptedResolver(["8.8.8.8", "127.0.0.1"])
    transport, seen = recording(lambda _: image())
    fetcher = UrlFetcher(policy(False), resolver=resolver, transport=transport)
    assert error_of(fetcher, "http://images.test/a.jpg") is UrlUnreachable
    assert seen == []


def test_every_redirect_is_checked_again() -> None:
    resolver = ScriptedResolver(["8.8.8.8"], ["127.0.0.1"])

    def respond(request: httpx.Request) -> httpx.Response:
        return httpx.Response(302, headers={"Location": "http://inner.test/secret"})

    transport, seen = recording(respond)
    fetcher = UrlFetcher(policy(False), resolver=resolver, transport=transport)
    assert error_of(fetcher, "http://images.test/a.jpg") is UrlUnreachable
    assert resolver.lookups == ["images.test", "inner.test"]
    assert len(seen) == 1


def test_redirect_to_a_metadata_literal_is_refused() -> None:
    resolver = ScriptedResolver(["8.8.8.8"])
    location = {"Location": "http://169.254.169.254/latest/meta-data/"}
    transport, seen = recording(lambda _: httpx.Response(301, headers=location))
    fetcher = UrlFetcher(policy(False), resolver=resolver, transport=transport)
    assert error_of(fetcher, "http://images.test/a.jpg") is UrlUnreachable
    assert len(seen) == 1


def test_redirect_to_another_scheme_is_malformed() -> None:
    resolver = ScriptedResolver(["8.8.8.8"])
    transport, _ = recording(
        lambda _: httpx.Response(302, headers={"Location": "file:///etc/passwd"})
    )
    fetcher = UrlFetcher(policy(False), resolver=resolver, transport=transport)
    assert error_of(fetcher, "http://images.test/a.jpg") is MalformedUrl


def test_unbounded_body_stops_after_the_cap() -> None:
    sent: list[int] = []

    async def chunks() -> AsyncIterator[bytes]:
        for _ in range(100):
            sent.append(1)
            yield b"x" * 65536

    resolver = ScriptedResolver(["8.8.8.8"])
    transport, _ = recording(lambda _: httpx.Response(200, content=chunks()))
    fetcher = UrlFetcher(policy(False), resolver=resolver, transport=transport)
    assert error_of(fetcher, "http://images.test/big") is ImageTooLarge
    assert len(sent) <= 17


def test_at_most_three_redirects(image_server: str) -> None:
    assert fetch(UrlFetcher(policy(True)), f"{image_server}/redirect/3") == FRONT_IMAGE
    assert error_of(UrlFetcher(policy(True)), f"{image_server}/redirect/4") is UrlDownloadFailed


def test_relative_redirect_is_followed(image_server: str) -> None:
    assert fetch(UrlFetcher(policy(True)), f"{image_server}/relative") != b""


def test_size_cap_is_exact(image_server: str) -> None:
    assert len(fetch(UrlFetcher(policy(True)), f"{image_server}/bytes/{MB}")) == MB
    assert error_of(UrlFetcher(policy(True)), f"{image_server}/bytes/{MB + 1}") is ImageTooLarge


def test_total_timeout(image_server: str) -> None:
    fetcher = UrlFetcher(policy(True, total=0.3))
    assert error_of(fetcher, f"{image_server}/stall") is DownloadTimeout


@pytest.mark.parametrize(
    ("url", "error"),
    [
        ("", EmptyUrl),
        ("images.test/a.jpg", MalformedUrl),
        ("http:///a.jpg", MalformedUrl),
        ("http://images.test:99999/a.jpg", MalformedUrl),
        ("http://256.256.256.256/a.jpg", MalformedUrl),
        ("gopher://images.test/", MalformedUrl),
    ],
)
def test_malformed_urls(url: str, error: type[ItemError]) -> None:
    assert error_of(UrlFetcher(policy(False)), url) is error
