"""The unit's work between accepting and replying: internal notes, contacting the citizen, co-units reporting
to the lead unit, and extensions of the answer deadline."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from massline.core import clock
from massline.core.errors import PermissionDenied, ValidationFailed
from massline.org.calendar import WorkingCalendar

from ..choices import AssignmentRole, AssignmentState, ExtensionState, Track
from ..deadlines import set_answer_deadline
from ..models import Appeal, Extension
from ..permissions import acts_for_unit, can_decide_extension, can_see_internal, hotline_covers
from ..redaction import mask_personal_data
from ..transitions import Action, State, TransitionNotAllowed, transition
from .handling import _locked

MAX_NOTE = 4000


def _text(value: str, *, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationFailed(message, field=field)
    if len(value) > MAX_NOTE:
        raise ValidationFailed(_("At most %(max)d characters.") % {"max": MAX_NOTE}, field=field)
    return value


@transaction.atomic
def appeal_note(*, actor: Any, appeal: Appeal, text: str) -> Appeal:
    """An internal note on the case: read by staff who may see the case, never by the public."""
    locked = _locked(appeal)
    if not can_see_internal(actor, locked):
        raise PermissionDenied()
    note = _text(text, field="text", message=_("Write the note."))
    return transition(locked, action=Action.NOTE, actor=actor, note=note)


@transaction.atomic
def appeal_contact(*, actor: Any, appeal: Appeal, summary: str) -> Appeal:
    """The handler (or the hotline centre) records contacting the citizen. The first contact is what the
    response rate counts (Beijing regulation Art. 32)."""
    locked = _locked(appeal)
    if not (acts_for_unit(actor, locked.lead_unit) or hotline_covers(actor, locked)):
        raise PermissionDenied()
    note = _text(summary, field="summary", message=_("Say how the citizen was contacted and what was agreed."))
    first = locked.contacted_at is None
    if first:
        locked.contacted_at = clock.now()
        locked.save(update_fields=["contacted_at"])
    return transition(
        locked, action=Action.CONTACT, actor=actor, unit=locked.lead_unit, note=note, data={"first": first}
    )


@transaction.atomic
def co_unit_report(*, actor: Any, appeal: Appeal, text: str) -> Appeal:
    """A co-unit reports its part to the lead unit, which stays answerable for the whole (Art. 14)."""
    locked = _locked(appeal)
    assignment = (
        locked.assignments.filter(role=AssignmentRole.CO)
        .exclude(state=AssignmentState.WITHDRAWN)
        .select_related("unit")
        .order_by("id")
    )
    unit = next((a.unit for a in assignment if acts_for_unit(actor, a.unit)), None)
    if unit is None:
        raise PermissionDenied()
    note = _text(text, field="text", message=_("Write what your unit has done."))
    return transition(locked, action=Action.CO_REPORT, actor=actor, unit=unit, note=note)


def _extension_limit(appeal: Appeal) -> int:
    if appeal.track == Track.PETITION:
        return int(appeal.policy.rule("petition_extension_max_days"))
    return int(appeal.policy.rule("extension_max_working_days"))


@transaction.atomic
def extension_request(*, actor: Any, appeal: Appeal, days: int, reason: str) -> Extension:
    """The lead unit asks for more time, with a reason, before the deadline passes. In all, an appeal may be
    extended by at most 10 working days (Jinan, Weifang, Shandong) or, for letters and visits, 30 days
    (信访工作条例 Art. 34)."""
    locked = _locked(appeal)
    if not acts_for_unit(actor, locked.lead_unit):
        raise PermissionDenied()
    if locked.state != State.IN_PROGRESS:
        raise TransitionNotAllowed()
    why = _text(reason, field="reason", message=_("Say why more time is needed."))
    limit = _extension_limit(locked)
    remaining = limit - locked.extended_days
    if days < 1 or days > remaining:
        raise ValidationFailed(
            _("You can ask for 1 to %(max)d more days.") % {"max": max(remaining, 0)}
            if remaining > 0
            else _("This appeal has had all the extension the rules allow."),
            field="days",
            code="extension_limit",
        )
    if locked.extensions.filter(state=ExtensionState.PENDING).exists():
        raise ValidationFailed(_("An extension request is already waiting for a decision."), code="pending")
    if locked.extensions.count() >= int(locked.policy.rule("extension_max_requests")):
        raise ValidationFailed(_("No more extension requests are allowed on this appeal."), code="too_many")
    now = clock.now()
    assert locked.lead_unit is not None  # an appeal in progress always has its lead unit
    if locked.due_at is not None and now > locked.due_at:
        raise ValidationFailed(
            _("The deadline has already passed: an extension must be asked for before it."), code="too_late"
        )
    extension = Extension.objects.create(
        appeal=locked, unit=locked.lead_unit, requested_by=actor, requested_at=now, days=days, reason=why
    )
    transition(
        locked,
        action=Action.REQUEST_EXTENSION,
        actor=actor,
        unit=locked.lead_unit,
        note=why,
        data={"days": days, "extension": extension.pk},
    )
    return extension


@transaction.atomic
def extension_decide(*, actor: Any, extension: Extension, approve: bool, reason: str = "") -> Extension:
    """The unit leader (or the hotline centre's dispatcher) approves or denies an extension; the new deadline
    counts from the old one, and the citizen is told either way, with the reason."""
    locked = _locked(extension.appeal)
    pending = Extension.objects.select_for_update().filter(pk=extension.pk, state=ExtensionState.PENDING).first()
    if pending is None:
        raise TransitionNotAllowed()
    if not can_decide_extension(actor, locked):
        raise PermissionDenied()
    why = (reason or "").strip()
    if not approve and not why:
        raise ValidationFailed(_("Say why the extension is denied."), field="reason")
    now = clock.now()
    pending.state = ExtensionState.APPROVED if approve else ExtensionState.DENIED
    pending.decided_by, pending.decided_at, pending.decision_reason = actor, now, why
    pending.previous_due_at = locked.due_at
    if approve and locked.due_at is not None:
        calendar = WorkingCalendar()
        if locked.track == Track.PETITION:
            new_due = calendar.add_calendar_days(locked.due_at, pending.days)
        else:
            new_due = calendar.add_working_days(locked.due_at, pending.days)
        locked.extended_days += pending.days
        fields = set_answer_deadline(locked, start=now, due=new_due)
        locked.save(update_fields=["extended_days", *fields])
        pending.new_due_at = new_due
    pending.save()
    # The citizen reads the unit's reason for more time (the extension is "explained to the citizen"); the
    # timeline shows the new deadline from the event's data in the reader's language.
    message = mask_personal_data(pending.reason) if approve else ""
    transition(
        locked,
        action=Action.DECIDE_EXTENSION,
        actor=actor,
        unit=locked.lead_unit,
        public_message=message,
        note=why,
        reason=why,
        data={
            "approved": approve,
            "days": pending.days,
            "due_at": pending.new_due_at.isoformat() if pending.new_due_at else None,
        },
    )
    return pending
