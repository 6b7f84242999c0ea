"""Claiming due rows for delivery (the notification outbox, webhook deliveries): at-least-once sending from
several workers without holding a transaction while a slow receiver answers.

A worker takes up to ``limit`` due rows and moves their ``next_attempt_at`` ahead by ``lease``, so another worker
skips them; a worker that dies mid-send only delays them. On PostgreSQL, rows another worker is claiming at the
same moment are skipped (``SKIP LOCKED``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, TypeVar

from django.db import connection, transaction
from django.db.models import Model, QuerySet

from . import clock

M = TypeVar("M", bound=Model)


def claim_due(due: QuerySet[M], *, limit: int, lease: dt.timedelta) -> list[M]:
    """The first ``limit`` rows of ``due`` (already filtered to the due ones and ordered), leased for ``lease``."""
    now = clock.now()
    with transaction.atomic():
        if connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True, of=("self",))
        rows = list(due[:limit])
        due.model._default_manager.filter(pk__in=[row.pk for row in rows]).update(next_attempt_at=now + lease)
    return rows


def drain(deliver: Callable[..., int], *, batch: int, **options: Any) -> int:
    """Call ``deliver(limit=batch, **options)`` until a call sends fewer than ``batch``; return the total sent."""
    total = 0
    while True:
        sent = deliver(limit=batch, **options)
        total += sent
        if sent < batch:
            return total
