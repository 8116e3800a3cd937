"""The service's logging, as `idcard-ocr serve` configures it, captured for a test: every
formatted JSON line and every record, at the level asked for."""

from __future__ import annotations

import io
import json
import logging
import logging.config
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from idcard_ocr.api.logs import log_config


class _Keeper(logging.Handler):
    def __init__(self, records: list[logging.LogRecord]) -> None:
        super().__init__(logging.NOTSET)
        self._records = records

    def emit(self, record: logging.LogRecord) -> None:
        self._records.append(record)


@dataclass
class CapturedLogs:
    stream: io.StringIO = field(default_factory=io.StringIO)
    records: list[logging.LogRecord] = field(default_factory=list)

    def lines(self) -> list[dict[str, Any]]:
        """Each line written, parsed: it must be one JSON object."""
        parsed = [json.loads(line) for line in self.stream.getvalue().splitlines()]
        assert all(isinstance(line, dict) for line in parsed)
        return parsed

    def texts(self) -> list[str]:
        """Everything logged as text: each parsed line with its non-ASCII unescaped, and each
        record's message and attributes."""
        dumped = [json.dumps(line, ensure_ascii=False) for line in self.lines()]
        recorded = [f"{record.getMessage()} {record.__dict__!r}" for record in self.records]
        return dumped + recorded


@contextmanager
def service_logs(level: str) -> Iterator[CapturedLogs]:
    """The service's log configuration at `level` while the block runs, then the logging
    that was there before."""
    captured = CapturedLogs()
    config = log_config(level)
    config["handlers"]["stderr"]["stream"] = captured.stream
    root = logging.getLogger()
    saved_root = (root.level, root.handlers[:])
    touched = [name for name in config["loggers"]]
    saved = {name: _state(logging.getLogger(name)) for name in touched}
    logging.config.dictConfig(config)
    keeper = _Keeper(captured.records)
    root.addHandler(keeper)
    try:
        yield captured
    finally:
        root.removeHandler(keeper)
        for handler in root.handlers:
            if handler not in saved_root[1]:
                root.removeHandler(handler)
                handler.close()
        root.setLevel(saved_root[0])
        for handler in saved_root[1]:
            if handler not in root.handlers:
                root.addHandler(handler)
        for name, state in saved.items():
            logger = logging.getLogger(name)
            logger.setLevel(state[0])
            logger.handlers = state[1]
            logger.propagate = state[2]


def _state(logger: logging.Logger) -> tuple[int, list[logging.Handler], bool]:
    return logger.level, logger.handlers[:], logger.propagate
