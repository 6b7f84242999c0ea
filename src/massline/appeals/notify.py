"""Who hears about a step of an appeal. ``notify_event`` runs after the step's transaction commits (STYLE.md §3)
and only enqueues a task: the outbox rows are prepared by the worker, so a citizen's submission or a handler's
step never waits for them. An event whose task was lost (a crash between commit and enqueue) still has
``notified_at`` empty and is caught up by the periodic job ``appeals.notify_catch_up``."""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING

from django.conf import settings

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from .models import AppealEvent

logger = logging.getLogger(__name__)


# Set while a task prepares the notifications of the events it writes itself (``prepared_here``): those
# events are not queued again.
_PREPARED_HERE: ContextVar[bool] = ContextVar("appeals_notifications_prepared_here", default=False)


@contextmanager
def prepared_here() -> Iterator[None]:
    """Inside this block, steps do not queue their notifications: the caller, already in the worker, prepares
    them itself once the steps have committed (``notifications_prepare_pending``)."""
    token = _PREPARED_HERE.set(True)
    try:
        yield
    finally:
        _PREPARED_HERE.reset(token)


def notify_event(event_id: int) -> None:
    """Enqueue the preparation of the notifications for the timeline event ``event_id``. Never raises into the
    caller: a failure is logged and the catch-up job prepares them later."""
    if _PREPARED_HERE.get():
        return
    try:
        if settings.MASSLINE_NOTIFY_COALESCE:
            queue_drain()
        else:
            from .tasks import prepare_notifications

            prepare_notifications.enqueue(event_id)
    except Exception:
        logger.exception("notifications for appeal event %s could not be queued", event_id)


def notify_appeal(appeal_id: int) -> None:
    """Enqueue the preparation of the notifications of every unprepared step of one appeal (its receipt and its
    routing, after intake). Raises when nothing could be queued: the caller logs it."""
    if settings.MASSLINE_NOTIFY_COALESCE:
        queue_drain()
    else:
        from .tasks import prepare_appeal_notifications

        prepare_appeal_notifications.enqueue(appeal_id)


def unmarked_events() -> QuerySet[AppealEvent, int]:
    """Ids of the events whose notifications are not prepared yet, oldest first (off a partial index)."""
    from .models import AppealEvent

    return AppealEvent.objects.filter(notified_at__isnull=True).order_by("id").values_list("id", flat=True)


DRAIN_QUEUED = "appeals:notifications:drain-queued"  # in the shared cache while a drain waits in the queue
DRAIN_QUEUED_SECONDS = 60  # a lost drain holds the next one back at most this long (the catch-up runs too)
DRAIN_BATCHES = 20  # batches per drain before it queues the next one, so other tasks get their turn


def queue_drain() -> None:
    """Queue one ``prepare_pending_notifications`` unless one is queued and has not started yet: that one will
    see the steps committed before this call (it clears the mark before it reads), so every step is prepared
    by the next drain and a flood of submissions costs one task, not one per appeal."""
    from django.core.cache import cache

    from .tasks import prepare_pending_notifications

    if not cache.add(DRAIN_QUEUED, 1, timeout=DRAIN_QUEUED_SECONDS):
        return
    try:
        prepare_pending_notifications.enqueue()
    except Exception:
        cache.delete(DRAIN_QUEUED)
        raise


def notifications_drain() -> int:
    """Prepare the notifications of every unprepared step, oldest first, in batches (the queued drain's work);
    returns how many steps were prepared. A step that cannot be prepared is logged and left for the catch-up."""
    from django.core.cache import cache

    cache.delete(DRAIN_QUEUED)  # from here on a new step queues the next drain
    unmarked = unmarked_events()
    total = 0
    failed: set[int] = set()
    for _ in range(DRAIN_BATCHES):
        ids = list(unmarked.exclude(pk__in=failed)[:BATCH]) if failed else list(unmarked[:BATCH])
        done, broken = prepare_events(ids)
        total, failed = total + done, failed | broken
        if len(ids) < BATCH or not done:  # all done, or the rest is being prepared by another worker
            return total
    queue_drain()  # more is waiting
    return total


BATCH = 100  # events prepared in one transaction


def notifications_prepare(event_id: int) -> None:
    """Create the event's outbox rows (``massline.notifications``) and its webhook deliveries
    (``massline.open311.webhooks``), and mark the event as done, in one transaction. Idempotent: outbox rows are
    unique per event, recipient and channel; deliveries per event and subscription; an event already prepared
    is left alone."""
    from .models import AppealEvent

    if not AppealEvent.objects.filter(pk=event_id).exists():
        logger.warning("notifications: appeal event %s does not exist", event_id)
        return
    notifications_prepare_many([event_id])


def notifications_prepare_many(event_ids: Sequence[int]) -> int:
    """``notifications_prepare`` for several events in one transaction, each read once with what its messages
    need, the staff and preferences shared, the rows written together; returns how many events were prepared
    here. Events another worker is preparing right now (locked) or that are already marked are skipped."""
    from django.db import transaction

    from massline.core import clock
    from massline.notifications.services import OutboxBatch, events_to_notify
    from massline.open311.webhooks import deliveries_for_events

    from .models import AppealEvent

    with transaction.atomic():
        ids = list(
            AppealEvent.objects.select_for_update(skip_locked=True)
            .filter(pk__in=list(event_ids), notified_at__isnull=True)
            .order_by("id")
            .values_list("id", flat=True)
        )
        if not ids:
            return 0
        events = list(events_to_notify().filter(pk__in=ids).order_by("id"))
        OutboxBatch(events).save()
        # Partners' webhooks hear the public steps.
        deliveries_for_events([{"id": e.pk, "appeal_id": e.appeal_id, "action": e.action, "at": e.at} for e in events])
        AppealEvent.objects.filter(pk__in=ids).update(notified_at=clock.now())
    return len(ids)


def prepare_events(event_ids: Sequence[int]) -> tuple[int, set[int]]:
    """``notifications_prepare_many`` in one transaction; if the batch fails, each event in its own, so one step
    that cannot be prepared (logged) never holds back the others. Returns how many were prepared and the ids
    that failed."""
    if not event_ids:
        return 0, set()
    try:
        return notifications_prepare_many(event_ids), set()
    except Exception:
        logger.exception("notifications of %d appeal events could not be prepared together", len(event_ids))
    done = 0
    failed: set[int] = set()
    for event_id in event_ids:
        try:
            done += notifications_prepare_many([event_id])
        except Exception:
            logger.exception("notifications of appeal event %s could not be prepared", event_id)
            failed.add(event_id)
    return done, failed


def notifications_prepare_pending(appeal_id: int) -> int:
    """Prepare the notifications of every event of one appeal that has none yet, and with them those of the
    oldest other unprepared events, up to ``BATCH`` (read off the partial index of unmarked events): under a
    flood of submissions one task prepares many appeals, and the tasks of those appeals find nothing left to
    do. Returns how many events were prepared."""
    unmarked = unmarked_events()
    own = list(unmarked.filter(appeal_id=appeal_id))
    if not own:
        return 0
    others = [pk for pk in unmarked[:BATCH] if pk not in own]
    return prepare_events([*own, *others][: max(BATCH, len(own))])[0]
