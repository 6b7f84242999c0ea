"""The appeal's state machine, as data (STYLE.md §2). ``TRANSITIONS`` maps (state, action) to the next state;
``transition()`` checks the table and records the change with its timeline event and audit record, in the
caller's transaction. Deployments may replace the table (``MASSLINE_APPEAL_TRANSITIONS``) as long as every
state belongs to a group."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from massline.audit.services import audit_record
from massline.core import clock
from massline.core.errors import DomainError

if TYPE_CHECKING:
    from .models import Appeal


class State(models.TextChoices):
    RECEIVED = "received", _("received")
    PENDING_DISPATCH = "pending_dispatch", _("waiting for dispatch")
    DISPATCHED = "dispatched", _("dispatched")
    OBJECTED = "objected", _("returned by the unit")
    IN_PROGRESS = "in_progress", _("being handled")
    REPLIED = "replied", _("replied")
    UNDER_REVIEW = "under_review", _("under supervisor review")
    CLOSED = "closed", _("closed")
    REFERRED = "referred", _("referred elsewhere")


class Group(models.TextChoices):
    """Counts and public views ask for a group, never enumerate states (FixMyStreet's open/fixed/closed)."""

    OPEN = "open", _("open")
    RESOLVED = "resolved", _("answered")
    CLOSED = "closed", _("closed")


STATE_GROUP: dict[str, str] = {
    State.RECEIVED: Group.OPEN,
    State.PENDING_DISPATCH: Group.OPEN,
    State.DISPATCHED: Group.OPEN,
    State.OBJECTED: Group.OPEN,
    State.IN_PROGRESS: Group.OPEN,
    State.UNDER_REVIEW: Group.OPEN,
    State.REPLIED: Group.RESOLVED,
    State.CLOSED: Group.CLOSED,
    State.REFERRED: Group.CLOSED,
}


class Action(models.TextChoices):
    SUBMIT = "submit", _("received")
    QUEUE = "queue", _("sent to the dispatcher")
    DISPATCH = "dispatch", _("dispatched")
    REFER = "refer", _("referred to another channel")
    ACCEPT = "accept", _("accepted")
    OBJECT = "object", _("returned with a reason")
    REPLY = "reply", _("replied")
    CLOSE = "close", _("closed")
    REOPEN = "reopen", _("reopened")
    ESCALATE = "escalate", _("sent to supervisor review")


DEFAULT_TRANSITIONS: dict[tuple[str, str], str] = {
    (State.RECEIVED, Action.QUEUE): State.PENDING_DISPATCH,
    (State.RECEIVED, Action.DISPATCH): State.DISPATCHED,
    (State.RECEIVED, Action.REFER): State.REFERRED,
    (State.PENDING_DISPATCH, Action.DISPATCH): State.DISPATCHED,
    (State.PENDING_DISPATCH, Action.REFER): State.REFERRED,
    (State.DISPATCHED, Action.ACCEPT): State.IN_PROGRESS,
    (State.DISPATCHED, Action.OBJECT): State.OBJECTED,
    (State.OBJECTED, Action.DISPATCH): State.DISPATCHED,
    (State.IN_PROGRESS, Action.REPLY): State.REPLIED,
    (State.REPLIED, Action.CLOSE): State.CLOSED,
    (State.REPLIED, Action.REOPEN): State.IN_PROGRESS,
    (State.REPLIED, Action.ESCALATE): State.UNDER_REVIEW,
    (State.UNDER_REVIEW, Action.REOPEN): State.IN_PROGRESS,
    (State.UNDER_REVIEW, Action.CLOSE): State.CLOSED,
}


def transitions() -> dict[tuple[str, str], str]:
    return getattr(settings, "MASSLINE_APPEAL_TRANSITIONS", DEFAULT_TRANSITIONS)


class TransitionNotAllowed(DomainError):
    code = "transition_not_allowed"
    default_message = _("This step is not possible at the appeal's current stage.")


def allowed_actions(state: str) -> list[str]:
    return [action for (source, action) in transitions() if source == state]


def transition(
    appeal: Appeal,
    *,
    action: str,
    actor: Any,
    public_message: str = "",
    note: str = "",
    unit: Any = None,
    data: dict[str, Any] | None = None,
    reason: str = "",
) -> Appeal:
    """Move ``appeal`` (already locked by the caller) by ``action``: write the new state, a timeline event and
    an audit record. Permissions and rule guards are the calling service's job; the table is checked here."""
    from .models import AppealEvent

    target = transitions().get((appeal.state, action))
    if target is None:
        raise TransitionNotAllowed()
    before = {"state": appeal.state}
    appeal.state = target
    appeal.state_group = STATE_GROUP[target]
    appeal.updated_at = clock.now()
    appeal.save(update_fields=["state", "state_group", "updated_at"])
    AppealEvent.objects.create(
        appeal=appeal,
        at=appeal.updated_at,
        action=action,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        unit=unit,
        public_message=public_message,
        note=note,
        data=data or {},
    )
    audit_record(
        event=f"appeals.appeal.{action}",
        actor=actor,
        target=appeal,
        before=before,
        after={"state": target, **(data or {})},
        reason=reason,
    )
    return appeal
