"""Property tests of the URL guard: whatever the URL, the fetcher answers bytes or an item error
of the spec, and no request ever leaves for an address that is not public. Private addresses
are spelled in every notation a resolver or a browser accepts (decimal, octal, hex, short
dotted forms, IPv4 inside IPv6) and hidden behind userinfo and redirects.

Requests go to an in-memory transport: nothing leaves the process.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket

import httpx
from fake_reader import FRONT_IMAGE
from hypothesis import given
from hypothesis import strategies as st
from recording_transport import Body, RecordingTransport

from idcard_ocr.api.addresses import IPAddress, is_fetchable
from idcard_ocr.api.fetch import FetchPolicy, UrlFetcher
from idcard_ocr.errors import ItemError, MalformedUrl, UrlUnreachable

POLICY = FetchPolicy(
    max_bytes=1_048_576,
    connect_timeout=1.0,
    total_timeout=1.0,
    max_redirects=3,
    allow_private=False,
)
PUBLIC = ipaddress.ip_address("93.184.215.14")
PRIVATE_V4 = [
    "127.0.0.0/8",
    "10.0.0.0/8",
    "172.16.0.0/12",
    "192.168.0.0/16",
    "169.254.0.0/16",
    "0.0.0.0/8",
    "100.64.0.0/10",
    "224.0.0.0/4",
    "240.0.0.0/4",
    "192.0.2.0/24",
]
PRIVATE_V6 = ["::1/128", "fe80::/10", "fc00::/7", "::/128", "ff00::/8", "fd00:ec2::254/128"]


def addresses_in(networks: list[str]) -> st.SearchStrategy[IPAddress]:
    def pick(network: str) -> st.SearchStrategy[IPAddress]:
        net = ipaddress.ip_network(network)
        offsets = st.integers(min_value=0, max_value=net.num_addresses - 1)
        return offsets.map(lambda offset: net[offset])

    return st.sampled_from(networks).flatmap(pick)


PRIVATE_V4_ADDRESSES = addresses_in(PRIVATE_V4)
ANY_ADDRESS = st.one_of(
    st.integers(min_value=0, max_value=2**32 - 1).map(ipaddress.IPv4Address),
    st.integers(min_value=0, max_value=2**128 - 1).map(ipaddress.IPv6Address),
    PRIVATE_V4_ADDRESSES,
    addresses_in(PRIVATE_V6),
)


def number(value: int, draw: st.DrawFn) -> str:
    """`value` in decimal, octal (leading 0) or hex (0x, either case)."""
    style = draw(st.sampled_from(["dec", "oct", "hex", "HEX"]))
    if style == "oct":
        return f"0{value:o}"
    if style == "dec":
        return str(value)
    return f"0x{value:x}" if style == "hex" else f"0X{value:X}"


@st.composite
def ipv4_spellings(draw: st.DrawFn, address: ipaddress.IPv4Address) -> str:
    """`address` as inet_aton reads it: 1 to 4 parts, each in its own base."""
    value = int(address)
    parts = draw(st.integers(min_value=1, max_value=4))
    octets = list(address.packed)
    head = octets[: parts - 1]
    tail = int.from_bytes(bytes(octets[parts - 1 :]), "big") if parts < 5 else 0
    if parts == 1:
        tail = value
    return ".".join(number(part, draw) for part in [*head, tail])


@st.composite
def private_hosts(draw: st.DrawFn) -> str:
    """A private address in any notation a URL host may take."""
    address = draw(PRIVATE_V4_ADDRESSES)
    packed = address.packed.hex()
    words = f"{packed[:4]}:{packed[4:]}"
    return draw(
        st.sampled_from(
            [
                draw(ipv4_spellings(address)),
                f"[::ffff:{address}]",
                f"[::ffff:{words}]",
                f"[0:0:0:0:0:ffff:{address}]",
                f"[2002:{words}::1]",
                f"[64:ff9b::{address}]",
                f"[64:ff9b::{words}]",
                f"[{draw(addresses_in(PRIVATE_V6))}]",
            ]
        )
    )


@st.composite
def private_urls(draw: st.DrawFn) -> str:
    """A URL whose host is private, whatever its userinfo, port and path pretend."""
    host = draw(private_hosts())
    public = draw(st.sampled_from(["example.com", "93.184.215.14", "cdn.example.com:80"]))
    scheme = draw(st.sampled_from(["http", "https", "HTTP"]))
    port = draw(st.sampled_from(["", ":80", ":443", ":8080"]))
    path = draw(st.sampled_from(["/a.jpg", "", "/?x=1", "/#frag", "/%2e%2e/a"]))
    return draw(
        st.sampled_from(
            [
                f"{scheme}://{host}{port}{path}",
                f"{scheme}://{public}@{host}{port}{path}",
                f"{scheme}://user:pass@{host}{port}{path}",
                f"{scheme}://{public}:x@{host}{port}{path}",
                f"{scheme}://{public}\\@{host}{port}{path}",
                f" {scheme}://{host}{port}{path} ",
            ]
        )
    )


class NumericResolver:
    """What the system resolver makes of a numeric host (no DNS asked); names resolve to the
    addresses the test picked."""

    def __init__(self, names: list[IPAddress]) -> None:
        self.names = names

    async def resolve(self, host: str, port: int) -> list[IPAddress]:
        try:
            infos = socket.getaddrinfo(host, port, flags=socket.AI_NUMERICHOST)
        except socket.gaierror:
            return self.names
        return [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos]


def fetched(url: str, names: list[IPAddress], transport: RecordingTransport) -> bytes | ItemError:
    """The bytes or the item error of one fetch; any other exception fails the test."""

    async def run() -> bytes | ItemError:
        fetcher = UrlFetcher(POLICY, NumericResolver(names), transport)
        try:
            return await fetcher.fetch(url)
        except ItemError as error:
            return error
        finally:
            await fetcher.aclose()

    return asyncio.run(run())


def assert_only_public_requests(transport: RecordingTransport) -> None:
    for request in transport.seen:
        assert is_fetchable(ipaddress.ip_address(request.url.host)), request.url


def image(_request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, stream=Body(FRONT_IMAGE))


@given(private_urls(), st.lists(ANY_ADDRESS, max_size=3))
def test_a_private_address_in_any_notation_is_never_fetched(
    url: str, names: list[IPAddress]
) -> None:
    transport = RecordingTransport(image)
    outcome = fetched(url, [*names, PUBLIC], transport)
    assert isinstance(outcome, UrlUnreachable | MalformedUrl), (url, outcome)
    assert transport.seen == [], url


@given(
    st.one_of(
        st.text(max_size=60),
        st.text(max_size=40).map("http://{}".format),
        st.builds(
            "{}://{}/{}".format, st.sampled_from(["http", "https", "ftp", ""]), st.text(), st.text()
        ),
        private_urls(),
    ),
    st.lists(ANY_ADDRESS, min_size=1, max_size=3),
)
def test_any_url_is_bytes_or_an_item_error_and_only_public_addresses_are_asked(
    url: str, names: list[IPAddress]
) -> None:
    transport = RecordingTransport(image)
    outcome = fetched(url, names, transport)
    assert isinstance(outcome, bytes | ItemError)
    assert_only_public_requests(transport)


@given(st.one_of(private_urls(), st.text(max_size=60), st.just("/relative/a.jpg")))
def test_a_redirect_to_anywhere_is_guarded_like_the_first_url(location: str) -> None:
    def respond(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/start":
            return httpx.Response(302, headers=[(b"Location", location.encode())])
        return image(request)

    transport = RecordingTransport(respond)
    outcome = fetched("http://images.example.com/start", [PUBLIC], transport)
    assert isinstance(outcome, bytes | ItemError)
    assert_only_public_requests(transport)
