"""The appeal's state machine, as data (STYLE.md §2). ``TRANSITIONS`` maps (state, action) to the next state;
``transition()`` checks the table and records the change with its timeline event and audit record, in the
caller's transaction. Deployments may replace the table (``MASSLINE_APPEAL_TRANSITIONS``) as long as every
state belongs to a group."""

from __future__ import annotations

from collections.abc import Iterable
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
    LINKED = "linked", _("linked to an earlier appeal")
    REVIEW = "review", _("under review (复查)")
    RE_REVIEW = "re_review", _("under re-review (复核)")
    FINAL = "final", _("final")
    MERGED = "merged", _("merged with an appeal about the same matter")


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
    State.LINKED: Group.CLOSED,
    State.REVIEW: Group.OPEN,
    State.RE_REVIEW: Group.OPEN,
    State.FINAL: Group.CLOSED,
    State.MERGED: Group.OPEN,  # handled once, with the appeal it joined; answered when that one is
}

OPEN_STATES = frozenset(state for state, group in STATE_GROUP.items() if group == Group.OPEN)
# States in which a unit is working on the appeal and its answer deadline runs.
HANDLING_STATES = frozenset({State.DISPATCHED, State.IN_PROGRESS})
# States whose ``due_at`` is a deadline somebody must meet (a returned or unrouted appeal has none): handling,
# and the letters-and-visits reviews. All open.
DEADLINE_STATES = (State.DISPATCHED, State.IN_PROGRESS, State.REVIEW, State.RE_REVIEW)
# The appeals whose deadline runs, as a query condition. Saying that they are open too (every deadline state
# is) lets the database read them in deadline order from the index of open deadlines (``appeal_open_due``)
# and stop at the end of a page; without it, it read every open appeal of those states and sorted them (58 ms
# against 1.6 ms for the overdue queue at 1,000,000 appeals).
RUNNING_DEADLINE = models.Q(state_group=Group.OPEN, state__in=DEADLINE_STATES)


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
    LINK = "link", _("linked to an earlier appeal")
    NOTE = "note", _("internal note")
    CONTACT = "contact", _("citizen contacted")
    CO_REPORT = "co_report", _("co-unit reported to the lead unit")
    REQUEST_EXTENSION = "request_extension", _("extension requested")
    DECIDE_EXTENSION = "decide_extension", _("extension decided")
    SUPERVISE = "supervise", _("supervision order issued")
    ANSWER_SUPERVISION = "answer_supervision", _("supervision order answered")
    WARN = "warn", _("deadline near")
    OVERDUE = "overdue", _("overdue")
    ATTACH = "attach", _("attachment added")
    CONSULT = "consult", _("units consulted before dispatch")
    CONSULT_ANSWER = "consult_answer", _("consulted unit answered")
    REQUEST_REVIEW = "request_review", _("review requested")
    DECIDE_REVIEW = "decide_review", _("review decided")
    REQUEST_RE_REVIEW = "request_re_review", _("re-review requested")
    DECIDE_RE_REVIEW = "decide_re_review", _("re-review decided")
    ANSWER = "answer", _("answered on the spot")
    MERGE = "merge", _("merged with an appeal about the same matter")


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
    (State.RECEIVED, Action.LINK): State.LINKED,
    (State.PENDING_DISPATCH, Action.LINK): State.LINKED,
    (State.PENDING_DISPATCH, Action.QUEUE): State.PENDING_DISPATCH,  # the router's suggestions changed
    # Letters and visits (信访工作条例 Arts. 35–36): review, then re-review, then final.
    (State.CLOSED, Action.REQUEST_REVIEW): State.REVIEW,
    (State.REVIEW, Action.DECIDE_REVIEW): State.CLOSED,
    (State.CLOSED, Action.REQUEST_RE_REVIEW): State.RE_REVIEW,
    (State.RE_REVIEW, Action.DECIDE_RE_REVIEW): State.FINAL,
    # A consultation answered by the hotline operator during the call (Beijing regulation Art. 11).
    (State.RECEIVED, Action.ANSWER): State.CLOSED,
    # Duplicates (Concentrate): handled once with the appeal they joined; each citizen still gets the answer.
    (State.RECEIVED, Action.MERGE): State.MERGED,
    (State.PENDING_DISPATCH, Action.MERGE): State.MERGED,
    (State.MERGED, Action.REPLY): State.REPLIED,
}

_WORKING = frozenset({State.DISPATCHED, State.IN_PROGRESS})
_ANYTIME = frozenset(State.values)

# Steps recorded on the timeline without changing the state, with the states in which each is allowed.
DEFAULT_SIDE_ACTIONS: dict[str, frozenset[str]] = {
    Action.NOTE: _ANYTIME,
    Action.CONSULT: frozenset({State.RECEIVED, State.PENDING_DISPATCH, State.OBJECTED}),
    Action.CONSULT_ANSWER: frozenset({State.RECEIVED, State.PENDING_DISPATCH, State.OBJECTED}),
    Action.ATTACH: _ANYTIME,
    Action.CONTACT: _WORKING | {State.REPLIED},
    Action.CO_REPORT: _WORKING,
    Action.REQUEST_EXTENSION: frozenset({State.IN_PROGRESS}),
    Action.DECIDE_EXTENSION: frozenset({State.IN_PROGRESS}),
    Action.SUPERVISE: _WORKING,  # an order goes to a unit that has the appeal now
    Action.ANSWER_SUPERVISION: _ANYTIME,
    Action.WARN: OPEN_STATES,
    Action.OVERDUE: OPEN_STATES | {State.REPLIED},
}


def transitions() -> dict[tuple[str, str], str]:
    return getattr(settings, "MASSLINE_APPEAL_TRANSITIONS", DEFAULT_TRANSITIONS)


def side_actions() -> dict[str, frozenset[str]]:
    return getattr(settings, "MASSLINE_APPEAL_SIDE_ACTIONS", DEFAULT_SIDE_ACTIONS)


class TransitionNotAllowed(DomainError):
    code = "transition_not_allowed"
    default_message = _("This step is not possible at the appeal's current stage.")


def allowed_actions(state: str) -> list[str]:
    moves = [action for (source, action) in transitions() if source == state]
    return moves + [action for action, states in side_actions().items() if state in states]


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
    also_save: Iterable[str] = (),
) -> Appeal:
    """Move ``appeal`` (already locked by the caller) by ``action``: write the new state, a timeline event and
    an audit record. Permissions and rule guards are the calling service's job; the tables are checked here.
    A side action (a note, an extension, a warning…) leaves the state as it is but is recorded the same way.
    Notifications about the step go out after the transaction commits. Fields the caller changed on the
    appeal for this step are named in ``also_save`` and written with the new state, in one statement."""
    from .models import AppealEvent

    target = transitions().get((appeal.state, action))
    if target is None:
        if appeal.state not in side_actions().get(action, ()):
            raise TransitionNotAllowed()
        target = appeal.state
    before = {"state": appeal.state}
    appeal.state = target
    appeal.state_group = STATE_GROUP[target]
    appeal.updated_at = clock.now()
    appeal.save(update_fields=["state", "state_group", "updated_at", *also_save])
    event = AppealEvent.objects.create(
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
    notify_after_commit(event.pk)
    return appeal


def notify_after_commit(event_id: int) -> None:
    from django.db import transaction

    from .notify import notify_event

    transaction.on_commit(lambda: notify_event(event_id), robust=True)
