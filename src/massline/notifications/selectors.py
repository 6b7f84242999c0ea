"""Read use cases: a person's own in-app notifications, never anyone else's."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from .models import Channel, NotificationPreference, OutboxMessage


def inbox_for(*, user: Any) -> QuerySet[OutboxMessage]:
    """``user``'s in-app notifications, newest first."""
    if not getattr(user, "is_authenticated", False):
        return OutboxMessage.objects.none()
    return OutboxMessage.objects.filter(user=user, channel=Channel.INAPP).order_by("-created_at", "-id")


def unread_count(*, user: Any) -> int:
    return inbox_for(user=user).filter(read_at__isnull=True).count()


def preference_for(*, user: Any) -> NotificationPreference:
    """The stored preference, or the defaults (routine notices in the digest, urgent ones at once)."""
    return NotificationPreference.objects.filter(user=user).first() or NotificationPreference(user=user)
