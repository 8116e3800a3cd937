"""A URL taken apart for fetching: scheme, host, port, the request path, the `Host` header."""

from __future__ import annotations

import urllib.parse
from dataclasses import dataclass

from idcard_ocr.errors import MalformedUrl

_DEFAULT_PORTS = {"http": 80, "https": 443}
_PATH_SAFE = "/%:@!$&'()*+,;=~"
_QUERY_SAFE = _PATH_SAFE + "?"


@dataclass(frozen=True)
class Target:
    """Where one hop of a fetch goes; `url` is kept to resolve relative redirects against."""

    url: str
    scheme: str
    host: str
    port: int
    raw_path: bytes
    host_header: str

    def join(self, location: str) -> Target:
        """The target of a redirect to `location`."""
        return parse_target(urllib.parse.urljoin(self.url, location))


def parse_target(url: str) -> Target:
    """Take `url` apart; raises -1505 unless it is an absolute http(s) URL with a host."""
    try:
        parts = urllib.parse.urlsplit(url.strip())
        port = parts.port
    except ValueError as exc:
        raise MalformedUrl() from exc
    scheme = parts.scheme.lower()
    host = parts.hostname or ""
    if scheme not in _DEFAULT_PORTS or not host:
        raise MalformedUrl()
    try:
        ascii_host = host.encode("idna").decode("ascii") if not host.isascii() else host
    except UnicodeError as exc:
        raise MalformedUrl() from exc
    path = urllib.parse.quote(parts.path or "/", safe=_PATH_SAFE)
    if parts.query:
        path += "?" + urllib.parse.quote(parts.query, safe=_QUERY_SAFE)
    netloc = f"[{ascii_host}]" if ":" in ascii_host else ascii_host
    if port is not None and port != _DEFAULT_PORTS[scheme]:
        netloc += f":{port}"
    return Target(
        url=url,
        scheme=scheme,
        host=ascii_host,
        port=port or _DEFAULT_PORTS[scheme],
        raw_path=path.encode("ascii"),
        host_header=netloc,
    )
