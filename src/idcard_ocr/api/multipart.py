"""A `multipart/form-data` body split into its parts, names and filenames kept exactly as sent."""

from __future__ import annotations

from dataclasses import dataclass, field

from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import MultipartParser

from idcard_ocr.errors import BadRequest


@dataclass(frozen=True)
class Part:
    """One part: its `name`, its `filename` (None when it has none) and its bytes."""

    name: str
    filename: str | None
    content: bytes


@dataclass
class _Collector:
    """Callbacks for python-multipart, gathering parts in the order they arrive."""

    parts: list[Part] = field(default_factory=list)
    finished: bool = False
    _header_field: bytearray = field(default_factory=bytearray)
    _header_value: bytearray = field(default_factory=bytearray)
    _disposition: str = ""
    _content: bytearray = field(default_factory=bytearray)

    def callbacks(self) -> dict[str, object]:
        return {
            "on_part_begin": self._begin,
            "on_part_data": self._data,
            "on_part_end": self._end,
            "on_header_field": lambda d, s, e: self._header_field.extend(d[s:e]),
            "on_header_value": lambda d, s, e: self._header_value.extend(d[s:e]),
            "on_header_end": self._header_end,
            "on_end": self._finish,
        }

    def _begin(self) -> None:
        self._disposition = ""
        self._content = bytearray()

    def _data(self, data: bytes, start: int, end: int) -> None:
        self._content.extend(data[start:end])

    def _header_end(self) -> None:
        if self._header_field.decode("latin-1").lower() == "content-disposition":
            self._disposition = _text(bytes(self._header_value))
        self._header_field.clear()
        self._header_value.clear()

    def _end(self) -> None:
        kind, options = parameters(self._disposition)
        if kind.lower() != "form-data" or "name" not in options:
            raise BadRequest("multipart part without a form-data name")
        self.parts.append(Part(options["name"], options.get("filename"), bytes(self._content)))

    def _finish(self) -> None:
        self.finished = True


def parse_multipart(body: bytes, content_type: str) -> list[Part]:
    """The parts of a multipart body; raises `BadRequest` (3) when it is malformed."""
    _, options = parameters(content_type)
    boundary = options.get("boundary")
    if not boundary or not boundary.isascii():
        # RFC 2046 boundaries are ASCII; python-multipart would raise on other characters.
        raise BadRequest("multipart body without a valid boundary")
    collector = _Collector()
    try:
        parser = MultipartParser(boundary, collector.callbacks())  # type: ignore[arg-type]
        parser.write(body)
        parser.finalize()
    except MultipartParseError as exc:
        raise BadRequest("malformed multipart body") from exc
    if not collector.finished:
        raise BadRequest("multipart body ends early")
    return collector.parts


def parameters(header: str) -> tuple[str, dict[str, str]]:
    """Split `value; key=v; key="quoted"` into the value and its parameters, kept verbatim."""
    value, *segments = _split(header)
    options: dict[str, str] = {}
    for segment in segments:
        key, _, raw = segment.partition("=")
        key = key.strip().lower()
        raw = raw.strip()
        if len(raw) >= 2 and raw[0] == raw[-1] == '"':
            # Undo only \" and \\, as browsers and SDKs quote; other backslashes are data.
            raw = raw[1:-1].replace('\\"', '"').replace("\\\\", "\\")
        options.setdefault(key, raw)
    return value.strip(), options


def _split(header: str) -> list[str]:
    """Split on `;` outside double quotes."""
    segments: list[str] = []
    current: list[str] = []
    quoted = escaped = False
    for char in header:
        if char == ";" and not quoted:
            segments.append("".join(current))
            current = []
            continue
        current.append(char)
        if escaped:
            escaped = False
        elif char == "\\" and quoted:
            escaped = True
        elif char == '"':
            quoted = not quoted
    segments.append("".join(current))
    return [segment for segment in segments if segment.strip()] or [""]


def _text(raw: bytes) -> str:
    # Clients send raw UTF-8 filenames; older ones Latin-1. Echo what they meant.
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")
