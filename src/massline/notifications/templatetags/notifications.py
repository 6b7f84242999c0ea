"""``{% load notifications %}{% unread_notifications as count %}``: the signed-in staff member's unread in-app
notifications, counted once per request."""

from __future__ import annotations

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notifications(context: template.Context) -> int:
    request = context.get("request")
    user = getattr(request, "user", None)
    if request is None or user is None or not user.is_authenticated or not user.is_official:
        return 0
    cached = getattr(request, "_unread_notifications", None)
    if cached is None:
        from ..selectors import unread_count

        cached = unread_count(user=user)
        request._unread_notifications = cached  # type: ignore[attr-defined]
    return int(cached)
