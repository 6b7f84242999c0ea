"""Process-local memory for reference data read on every hot path: the active appeal policy, the responsibility
matrix, calendar overrides, places and topics by code (decision 0007).

Each memo is a ``cachetools.TTLCache``: an entry lives at most ``MASSLINE_MEMO_SECONDS`` (60 by default), so
an edit made in one process reaches every other web and worker process within that time. In the process that
made the edit it is seen at once: saving or deleting one of the ``invalidated_by`` models empties the memo.
``memo_clear_all`` empties every memo (the tests do so between tests)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from typing import Any, Generic, TypeVar

from cachetools import TTLCache
from django.conf import settings
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

T = TypeVar("T")

_MEMOS: list[Memo[Any]] = []
_MISSING = object()


class Memo(Generic[T]):
    """A small time-bounded cache of values computed from the database, safe to share between threads."""

    def __init__(self, name: str, *, maxsize: int = 4096) -> None:
        self.name = name
        self._cache: TTLCache[Hashable, Any] = TTLCache(maxsize=maxsize, ttl=_ttl())
        self._lock = threading.Lock()
        _MEMOS.append(self)

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        with self._lock:
            value = self._cache.get(key, _MISSING)
        if value is not _MISSING:
            return value  # type: ignore[no-any-return]
        value = compute()
        with self._lock:
            self._cache[key] = value
        return value  # type: ignore[no-any-return]

    def clear(self) -> None:
        with self._lock:
            self._cache.clear()

    def invalidated_by(self, *models: Any) -> Memo[T]:
        """Empty this memo whenever one of ``models`` is saved or deleted, or its many-to-many links change."""

        def _clear(sender: Any, **kwargs: Any) -> None:
            # Now, and again once the change commits: a read between the two could have remembered a value
            # that the transaction then changed or rolled back.
            self.clear()
            transaction.on_commit(self.clear)

        for model in models:
            post_save.connect(_clear, sender=model, weak=False, dispatch_uid=f"memo:{self.name}:{model}:save")
            post_delete.connect(_clear, sender=model, weak=False, dispatch_uid=f"memo:{self.name}:{model}:delete")
            for field in model._meta.many_to_many:
                m2m_changed.connect(
                    _clear, sender=field.remote_field.through, weak=False, dispatch_uid=f"memo:{self.name}:{field}"
                )
        return self


def _ttl() -> float:
    return float(getattr(settings, "MASSLINE_MEMO_SECONDS", 60))


def memo_clear_all() -> None:
    for memo in _MEMOS:
        memo.clear()
