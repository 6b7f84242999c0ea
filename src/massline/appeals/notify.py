"""Who hears about a step of an appeal. ``notify_event`` runs after the step's transaction commits (STYLE.md §3)
and only enqueues a task: the outbox rows are prepared by the worker, so a citizen's submission or a handler's
step never waits for them. An event whose task was lost (a crash between commit and enqueue) still has
``notified_at`` empty and is caught up by the periodic job ``appeals.notify_catch_up``."""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar

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
        from .tasks import prepare_notifications

        prepare_notifications.enqueue(event_id)
    except Exception:
        logger.exception("notifications for appeal event %s could not be queued", event_id)


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


def notifications_prepare_pending(appeal_id: int) -> int:
    """Prepare the notifications of every event of one appeal that has none yet, and with them those of the
    oldest other unprepared events, up to ``BATCH`` (read off the partial index of unmarked events): under a
    flood of submissions one task prepares many appeals, and the tasks of those appeals find nothing left to
    do. Returns how many events were prepared."""
    from .models import AppealEvent

    unmarked = AppealEvent.objects.filter(notified_at__isnull=True).order_by("id").values_list("id", flat=True)
    own = list(unmarked.filter(appeal_id=appeal_id))
    if not own:
        return 0
    others = [pk for pk in unmarked[:BATCH] if pk not in own]
    return notifications_prepare_many([*own, *others][: max(BATCH, len(own))])
