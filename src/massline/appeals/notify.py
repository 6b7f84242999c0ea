"""Who hears about a step of an appeal. ``notify_event`` runs after the step's transaction commits (STYLE.md §3)
and hands the event to the notification outbox; it never raises into the caller."""

from __future__ import annotations

import logging

logger = logging.getLogger(__name__)


def notify_event(event_id: int) -> None:
    """Queue the notifications for the timeline event ``event_id`` (``massline.notifications``): the outbox rows
    are created in one transaction and delivered after it commits. A failure here is logged and never undoes
    or interrupts the step itself; rows that were stored are still delivered by the periodic sweep."""
    try:
        from massline.notifications.services import outbox_fill_for_event

        outbox_fill_for_event(event_id=event_id)
    except Exception:
        logger.exception("notifications for appeal event %s could not be queued", event_id)
