"""Who hears about a step of an appeal. ``notify_event`` runs after the step's transaction commits (STYLE.md §3)
and hands the event to the notification outbox; it never raises into the caller."""

from __future__ import annotations


def notify_event(event_id: int) -> None:
    """Queue the notifications for the timeline event ``event_id`` (filled in by the notifications module)."""
    return None
