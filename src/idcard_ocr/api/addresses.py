"""Which addresses the server may fetch from, and how host names become addresses.

Only public unicast addresses are fetchable: loopback, private, link-local, multicast,
unspecified, reserved and cloud metadata addresses are not, nor IPv6 forms that embed one
(IPv4-mapped, 6to4, NAT64). Legacy IPv4 spellings (`2130706433`, `0177.0.0.1`, `0x7f.1`) are
read as the address a C resolver would make of them.
"""

from __future__ import annotations

import asyncio
import ipaddress
import re
import socket
from typing import Protocol

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

METADATA_ADDRESSES = frozenset(
    {ipaddress.ip_address("169.254.169.254"), ipaddress.ip_address("fd00:ec2::254")}
)
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_SHARED = ipaddress.ip_network("100.64.0.0/10")
_LEGACY_IPV4 = re.compile(r"(0x[0-9a-f]*|[0-9]+)(\.(0x[0-9a-f]*|[0-9]+)){0,3}", re.IGNORECASE)


class Resolver(Protocol):
    """Turns a host name into the addresses to connect to."""

    async def resolve(self, host: str, port: int) -> list[IPAddress]: ...


class SystemResolver:
    """The operating system's resolver, without blocking the event loop."""

    async def resolve(self, host: str, port: int) -> list[IPAddress]:
        infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
        # Drop an IPv6 zone ("fe80::1%eth0"): the address alone decides.
        return [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos]


def is_fetchable(address: IPAddress) -> bool:
    """Whether `address` is public unicast, looking inside IPv6 forms that embed IPv4."""
    if isinstance(address, ipaddress.IPv6Address):
        embedded = _embedded_ipv4(address)
        if embedded is not None:
            return is_fetchable(embedded)
    if address in METADATA_ADDRESSES or address.is_multicast or address.is_reserved:
        return False
    if isinstance(address, ipaddress.IPv4Address) and address in _SHARED:
        return False
    return address.is_global


def literal_address(host: str) -> IPAddress | None:
    """The address a literal host spells, legacy IPv4 forms included; None for a name."""
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    if not _LEGACY_IPV4.fullmatch(host):
        return None
    try:
        return ipaddress.IPv4Address(socket.inet_aton(host))
    except OSError as exc:
        raise ValueError(f"invalid numeric host {host!r}") from exc


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address in _NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None
