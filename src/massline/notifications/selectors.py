"""Read use cases: a person's own in-app notifications, never anyone else's."""

from __future__ import annotations

from collections.abc import Iterable
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
    return preferences_for([user])[user.pk]


def preferences_for(users: Iterable[Any]) -> dict[int, NotificationPreference]:
    """``preference_for`` of each of these users, by their id, read in one query."""
    users = list(users)
    if not users:
        return {}
    stored = {preference.user_id: preference for preference in NotificationPreference.objects.filter(user__in=users)}
    return {user.pk: stored.get(user.pk) or NotificationPreference(user=user) for user in users}
