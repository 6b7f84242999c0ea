"""Who hears about a step of an appeal. ``notify_event`` runs after the step's transaction commits (STYLE.md §3)
and only enqueues a task: the outbox rows are prepared by the worker, so a citizen's submission or a handler's
step never waits for them. An event whose task was lost (a crash between commit and enqueue) still has
``notified_at`` empty and is caught up by the periodic job ``appeals.notify_catch_up``."""

from __future__ import annotations

import logging
from collections.abc import Iterator
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


def notifications_prepare(event_id: int) -> None:
    """Create the event's outbox rows (``massline.notifications``) and its webhook deliveries
    (``massline.open311.webhooks``), and mark the event as done, in one transaction. Idempotent: outbox rows are
    unique per event, recipient and channel; deliveries per event and subscription."""
    from django.db import transaction

    from massline.core import clock
    from massline.notifications.services import outbox_fill_for_event

    from .models import AppealEvent

    if not AppealEvent.objects.filter(pk=event_id).exists():
        logger.warning("notifications: appeal event %s does not exist", event_id)
        return
    from massline.open311.webhooks import deliveries_for_event

    with transaction.atomic():
        outbox_fill_for_event(event_id=event_id)
        deliveries_for_event(event_id)  # partners' webhooks hear the public steps
        AppealEvent.objects.filter(pk=event_id, notified_at__isnull=True).update(notified_at=clock.now())


def notifications_prepare_pending(appeal_id: int) -> int:
    """Prepare the notifications of every event of one appeal that has none yet (read off the partial index
    of unmarked events); returns how many events were done."""
    from .models import AppealEvent

    ids = list(
        AppealEvent.objects.filter(appeal_id=appeal_id, notified_at__isnull=True)
        .order_by("id")
        .values_list("id", flat=True)
    )
    for event_id in ids:
        notifications_prepare(event_id)
    return len(ids)
