"""How long each stage of reading one image took: decode, locate, read.

`CardReader` marks its stages with `timing`, `timed` and `timed_iteration`; a caller that
wants the times runs a read inside `recorded(observer)` on the same thread, and the observer
gets them when the read ends, failed or not. Outside `recorded` a mark costs one
context-variable lookup. The reader's signature stays as it is, and nothing here knows who
observes (the HTTP service turns the times into metrics).
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from enum import StrEnum
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")
T = TypeVar("T")


class Stage(StrEnum):
    DECODE = "decode"  # bytes to pixels
    LOCATE = "locate"  # text found over the photo, the card outlined, flattened and turned
    READ = "read"  # the fields cut out, recognised and assembled


StageObserver = Callable[[Mapping[Stage, float]], None]

# The seconds of the read in progress on this thread (one read runs on one thread).
_seconds: ContextVar[dict[Stage, float] | None] = ContextVar("stage_seconds", default=None)


@contextmanager
def recorded(observer: StageObserver | None) -> Iterator[None]:
    """Times the stages run inside the block and hands `observer` the seconds of each stage
    that ran, when the block ends."""
    if observer is None:
        yield
        return
    seconds: dict[Stage, float] = {}
    token = _seconds.set(seconds)
    try:
        yield
    finally:
        _seconds.reset(token)
        observer(seconds)


@contextmanager
def timing(stage: Stage) -> Iterator[None]:
    """Adds the block's duration to `stage` of the read being recorded, if any."""
    seconds = _seconds.get()
    if seconds is None:
        yield
        return
    start = time.perf_counter()
    try:
        yield
    finally:
        seconds[stage] = seconds.get(stage, 0.0) + time.perf_counter() - start


def timed(stage: Stage) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Decorator: each call's duration counts towards `stage`."""

    def decorate(function: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(function)
        def timed_call(*args: P.args, **kwargs: P.kwargs) -> R:
            with timing(stage):
                return function(*args, **kwargs)

        return timed_call

    return decorate


def timed_iteration(stage: Stage) -> Callable[[Callable[P, Iterator[T]]], Callable[P, Iterator[T]]]:
    """Decorator for a generator: the time spent producing each item counts towards `stage`,
    not the time its consumer spends between items."""

    def decorate(function: Callable[P, Iterator[T]]) -> Callable[P, Iterator[T]]:
        @functools.wraps(function)
        def timed_items(*args: P.args, **kwargs: P.kwargs) -> Iterator[T]:
            items = function(*args, **kwargs)
            while True:
                with timing(stage):
                    try:
                        item = next(items)
                    except StopIteration:
                        return
                yield item

        return timed_items

    return decorate
