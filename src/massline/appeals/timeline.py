"""The public timeline of an appeal: the steps a citizen and the public may read, in the reader's language,
with the public message of each (already masked when written). Internal notes, co-unit reports, warnings,
denied extensions and anything about people never appear."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from .models import Appeal
from .services.special import instruction_for
from .transitions import Action

PUBLIC_ACTIONS = frozenset(
    {
        Action.SUBMIT,
        Action.QUEUE,
        Action.DISPATCH,
        Action.REFER,
        Action.LINK,
        Action.MERGE,
        Action.ACCEPT,
        Action.OBJECT,
        Action.CONTACT,
        Action.DECIDE_EXTENSION,
        Action.SUPERVISE,
        Action.OVERDUE,
        Action.REPLY,
        Action.ANSWER,
        Action.CLOSE,
        Action.REOPEN,
        Action.ESCALATE,
        Action.REQUEST_REVIEW,
        Action.DECIDE_REVIEW,
        Action.REQUEST_RE_REVIEW,
        Action.DECIDE_RE_REVIEW,
    }
)


def _when(value: str | None) -> str:
    if not value:
        return ""
    return formats.date_format(timezone.localtime(dt.datetime.fromisoformat(value)), "DATETIME_FORMAT")


def public_timeline(appeal: Appeal) -> list[dict[str, Any]]:
    labels = dict(Action.choices)
    items = []
    events = (
        appeal.events.filter(action__in=PUBLIC_ACTIONS)
        .select_related("unit")
        .only("at", "action", "public_message", "unit", "data")
        .order_by("at", "id")
    )
    for event in events:
        data = event.data or {}
        body = event.public_message
        if event.action == Action.DISPATCH and event.unit is not None:
            body = _("Sent to %(unit)s.") % {"unit": event.unit.label}
        elif event.action == Action.DECIDE_EXTENSION:
            if not data.get("approved"):
                continue  # the deadline did not change; nothing for the public to read
            body = _("More time granted, until %(due)s. Reason: %(reason)s") % {
                "due": _when(data.get("due_at")),
                "reason": event.public_message,
            }
        elif event.action == Action.REFER:
            body = "\n".join(
                part for part in (instruction_for(data.get("route", ""), data.get("detail", "")), body) if part
            )
        elif event.action == Action.LINK:
            body = _("The same matter is already being handled under %(code)s; follow it there.") % {
                "code": data.get("linked_to", "")
            }
        elif event.action == Action.OVERDUE:
            if "order" in data:
                continue  # a supervision order's own deadline is internal
            body = _("The answer is late; the office's leaders have been told.")
        elif event.action == Action.OBJECT:
            body = _("The office said it is not responsible; the hotline centre is deciding who is.")
        elif event.action == Action.CONTACT:
            body = _("The office has contacted the citizen.")
        items.append({"when": event.at, "title": labels.get(event.action, event.action), "body": body})
    return items
