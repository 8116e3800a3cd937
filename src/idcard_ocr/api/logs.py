"""Structured logs: one JSON object per line on stderr, each with its request's id.

`idcard-ocr serve` hands `log_config` to uvicorn, which applies it in every worker. What is
logged is decided where it is logged (codes, counts, types; never a field value, an image, a
URL, a signature or a secret); this module adds two guards for what others log: exceptions
are written without their messages, which may quote request data, and the HTTP client's
per-request lines, which name the URL fetched, are kept below the level written.
"""

from __future__ import annotations

import logging
import traceback
from types import TracebackType
from typing import Any

from pythonjsonlogger.core import RESERVED_ATTRS
from pythonjsonlogger.json import JsonFormatter

from idcard_ocr.api import request_id

# Libraries whose INFO or DEBUG lines name what a request sent: httpx logs each fetched URL
# (a presigned URL carries its signature), httpcore its connections and headers.
QUIET = ("httpx", "httpcore")

_ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]


class RequestIdFilter(logging.Filter):
    """Stamps each record with the id of the request being served (None outside one)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.current.get()
        return True


class MessageFreeJsonFormatter(JsonFormatter):
    """python-json-logger's formatter, writing exceptions as their types and frames only."""

    def formatException(self, ei: Any) -> str:
        exc_info: _ExcInfo = ei  # (type, exception, traceback), as `logging` hands it
        return without_messages(exc_info[1])


def without_messages(exc: BaseException | None) -> str:
    """The traceback of `exc` and of the exceptions it was raised from or while handling,
    each ending in its type's name instead of its message."""
    parts: list[str] = []
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        frames = "".join(traceback.format_tb(exc.__traceback__))
        parts.append(f"Traceback (most recent call last):\n{frames}{type(exc).__qualname__}")
        exc = exc.__cause__ or exc.__context__
    return "\n\nwhich came during or from:\n\n".join(reversed(parts))


def log_config(level: str) -> dict[str, Any]:
    """The `logging.config.dictConfig` of the service: JSON on stderr at `level`."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": RequestIdFilter}},
        "formatters": {
            "json": {
                "()": MessageFreeJsonFormatter,
                "fmt": "%(levelname)s %(name)s %(process)d %(message)s",
                "rename_fields": {"levelname": "level", "name": "logger", "process": "pid"},
                "timestamp": "time",
                # taskName is Python 3.12's; color_message, uvicorn's message again in colours
                "reserved_attrs": [*RESERVED_ATTRS, "taskName", "color_message"],
            }
        },
        "handlers": {
            "stderr": {
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stderr",
                "formatter": "json",
                "filters": ["request_id"],
            }
        },
        # uvicorn's loggers write through the root's handler, like everyone else's.
        "loggers": {
            "uvicorn.access": {"handlers": [], "propagate": False},  # `request_id` writes ours
            **{name: {"level": "WARNING"} for name in QUIET},
        },
        "root": {"handlers": ["stderr"], "level": level.upper()},
    }
