"""Rate limits on the public pages: submissions per client, and passphrase attempts per client and per appeal.

Counts live in the ``ratelimit`` cache (``settings.CACHES``), shared by every web process: Redis when
``REDIS_URL`` is set, otherwise a table in the database. Rates are settings (docs/configuration.md)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import DatabaseError
from django.http import HttpRequest
from django_ratelimit.core import get_usage

from massline.core.client_ip import client_ip

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Limited:
    """A limit was reached: try again after ``retry_after`` seconds."""

    retry_after: int

    @property
    def minutes(self) -> int:
        return max(1, -(-self.retry_after // 60))


def _by_client(group: str, request: HttpRequest) -> str:
    return client_ip(request)


def _check(request: HttpRequest, *, group: str, rate: str, key: Any, increment: bool) -> Limited | None:
    try:
        usage = get_usage(request, group=group, key=key, rate=rate, increment=increment)
    except DatabaseError:
        # A missing or broken cache table must never stop a citizen's submission: let it through and say so.
        logger.exception("rate limit cache unavailable for %s", group)
        return None
    if usage is None or not usage["should_limit"]:
        return None
    return Limited(retry_after=max(1, int(usage["time_left"])))


def intake_limited(request: HttpRequest, *, increment: bool) -> Limited | None:
    """Whether this client has used up ``MASSLINE_INTAKE_RATE`` submissions; ``increment`` counts one more."""
    return _check(
        request, group="appeals.intake", rate=settings.MASSLINE_INTAKE_RATE, key=_by_client, increment=increment
    )


def passphrase_limited(request: HttpRequest, *, code: str) -> Limited | None:
    """Count one passphrase attempt against the client and against the appeal; the longer wait wins."""
    by_client = _check(
        request,
        group="appeals.passphrase.client",
        rate=settings.MASSLINE_PASSPHRASE_RATE,
        key=_by_client,
        increment=True,
    )
    by_appeal = _check(
        request,
        group="appeals.passphrase.appeal",
        rate=settings.MASSLINE_PASSPHRASE_RATE_PER_APPEAL,
        key=lambda group, request: code,
        increment=True,
    )
    waits = [limit.retry_after for limit in (by_client, by_appeal) if limit is not None]
    return Limited(retry_after=max(waits)) if waits else None


def api_key_limited(request: HttpRequest, *, prefix: str, rate: str) -> Limited | None:
    """Count one request against an API key's own rate (``ApiKey.rate_per_minute``)."""
    return _check(request, group="api.key", rate=rate, key=lambda group, request: prefix, increment=True)
