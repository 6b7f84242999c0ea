"""The injectable clock. Domain code asks ``clock.now()``; tests swap the clock or move time with
time-machine. Never call ``datetime.now()`` in domain code."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator
from contextvars import ContextVar
from typing import Protocol
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone


class Clock(Protocol):
    def now(self) -> dt.datetime: ...


class SystemClock:
    """The real time, zone-aware (UTC)."""

    def now(self) -> dt.datetime:
        return timezone.now()


class FixedClock:
    """A clock that stands still until moved; for tests and replays."""

    def __init__(self, at: dt.datetime) -> None:
        if timezone.is_naive(at):
            raise ValueError("FixedClock needs an aware datetime")
        self._at = at

    def now(self) -> dt.datetime:
        return self._at

    def advance(self, delta: dt.timedelta) -> None:
        self._at += delta


_SYSTEM_CLOCK = SystemClock()
_current: ContextVar[Clock | None] = ContextVar("massline_clock", default=None)


def now() -> dt.datetime:
    """The current moment, aware."""
    return (_current.get() or _SYSTEM_CLOCK).now()


def local_now() -> dt.datetime:
    """The current moment in the deployment's time zone."""
    return now().astimezone(local_zone())


def today() -> dt.date:
    """Today's date in the deployment's time zone."""
    return local_now().date()


def local_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


@contextlib.contextmanager
def use_clock(clock: Clock) -> Iterator[Clock]:
    """Run a block with another clock: ``with use_clock(FixedClock(t)): ...``."""
    token = _current.set(clock)
    try:
        yield clock
    finally:
        _current.reset(token)
