"""Keyset ("seek") pagination: the next page starts after the last row seen, by an indexed order and the
primary key, so page 10,000 costs what page 1 costs — unlike OFFSET, which reads and throws away every row
before the page. The cursor is opaque to the user and checked when read back."""

from __future__ import annotations

import base64
import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from django.db.models import Model, Q, QuerySet


@dataclass(frozen=True)
class KeysetPage:
    items: list[Any]
    next_cursor: str | None
    is_first: bool


def _encode(value: Any, pk: int) -> str:
    if isinstance(value, dt.datetime):
        value = {"dt": value.isoformat()}
    raw = json.dumps([value, pk], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode(cursor: str) -> tuple[Any, int] | None:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        value, pk = json.loads(raw)
        if isinstance(value, dict):
            value = dt.datetime.fromisoformat(value["dt"])
        if not isinstance(pk, int):
            return None
        return value, pk
    except (ValueError, TypeError, KeyError):
        return None


def _fits(queryset: QuerySet[Any], field: str, value: Any) -> bool:
    """Whether ``value`` has the type of ``field`` (dates for date-times, numbers for numbers…)."""
    from django.db import models

    model_field = queryset.model._meta.get_field(field)
    if isinstance(model_field, models.DateTimeField):
        return isinstance(value, dt.datetime) and value.tzinfo is not None
    if isinstance(model_field, (models.IntegerField, models.FloatField, models.DecimalField)):
        return isinstance(value, int | float) and not isinstance(value, bool)
    return isinstance(value, str)


def keyset_page(queryset: QuerySet[Any], *, order: str, cursor: str | None, size: int = 50) -> KeysetPage:
    """One page of ``queryset`` (already ordered by ``order`` then pk) after ``cursor``. A bad cursor gives
    the first page rather than an error: it is only ever a link the application made."""
    field = order.lstrip("-")
    descending = order.startswith("-")
    decoded = _decode(cursor) if cursor else None
    if decoded is not None and not _fits(queryset, field, decoded[0]):
        decoded = None  # a cursor for another order, or tampered with: start again
    if decoded is not None:
        value, pk = decoded
        # The bare bound (``<=``/``>=``) says the same as the pair of conditions, in a form an index on the
        # order can start from: without it the database read the queue from its start up to the cursor.
        if descending:
            queryset = queryset.filter(
                Q(**{f"{field}__lt": value}) | Q(**{field: value, "pk__lt": pk}), **{f"{field}__lte": value}
            )
        else:
            queryset = queryset.filter(
                Q(**{f"{field}__gt": value}) | Q(**{field: value, "pk__gt": pk}), **{f"{field}__gte": value}
            )
    rows = list(queryset[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    next_cursor = None
    if more and rows:
        last: Model = rows[-1]
        next_cursor = _encode(getattr(last, field), int(last.pk))  # type: ignore[arg-type]
    return KeysetPage(items=rows, next_cursor=next_cursor, is_first=decoded is None)
