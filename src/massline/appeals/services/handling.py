"""Handling: accept or return, reply, rate, reopen, supervisor review."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from massline.core import clock
from massline.core.errors import PermissionDenied, ValidationFailed

from ..choices import AssignmentRole, AssignmentState, Outcome, Satisfaction
from ..deadlines import set_answer_deadline, set_dispatch_wait
from ..models import Appeal, Assignment
from ..passphrase import passphrase_matches
from ..permissions import acts_for_unit, can_call_back, can_review
from ..redaction import mask_personal_data
from ..transitions import Action, State, TransitionNotAllowed, transition
from .merge import merged_answer

MIN_REPLY_CHARACTERS = 6  # Chinese is dense: "已修复，谢谢。" says it all


def _locked(appeal: Appeal) -> Appeal:
    return (
        Appeal.objects.select_for_update(of=("self",))
        .select_related("policy", "category", "lead_unit", "area")
        .get(pk=appeal.pk)
    )


def _lead_assignment(appeal: Appeal) -> Assignment:
    """The lead unit's assignment still waiting for its decision; a second click finds none."""
    assignment = (
        appeal.assignments.select_for_update().filter(role=AssignmentRole.LEAD, state=AssignmentState.PENDING).first()
    )
    if assignment is None:
        raise TransitionNotAllowed()
    return assignment


@transaction.atomic
def assignment_accept(*, actor: Any, appeal: Appeal) -> Appeal:
    """The lead unit takes the appeal (first-receiver responsibility, Art. 14)."""
    locked = _locked(appeal)
    if not acts_for_unit(actor, locked.lead_unit):
        raise PermissionDenied()
    assignment = _lead_assignment(locked)
    assignment.state, assignment.decided_at = AssignmentState.ACCEPTED, clock.now()
    assignment.save(update_fields=["state", "decided_at"])
    return transition(locked, action=Action.ACCEPT, actor=actor, unit=locked.lead_unit)


def return_refusal(assignment: Assignment, *, now: Any) -> ValidationFailed | None:
    """Why the lead unit may no longer return the appeal, or None while it may: a unit designated after a
    dispute never can (Weifang Art. 22), and nobody after the objection period (Shandong: 2 working days)."""
    if assignment.designated:
        return ValidationFailed(
            _("Your unit was designated after a dispute and cannot return this appeal."), code="designated"
        )
    if assignment.object_due_at is not None and now > assignment.object_due_at:
        return ValidationFailed(
            _("The time to return this appeal has passed; your unit must handle it."), code="too_late"
        )
    return None


@transaction.atomic
def assignment_object(*, actor: Any, appeal: Appeal, reason: str) -> Appeal:
    """A unit that is not competent returns the appeal with a reason, within the objection period (Shandong:
    2 working days); a unit designated after a dispute cannot (Weifang Art. 22)."""
    locked = _locked(appeal)
    if not acts_for_unit(actor, locked.lead_unit):
        raise PermissionDenied()
    if not reason.strip():
        raise ValidationFailed(_("Say why your unit is not responsible."), field="reason")
    assignment = _lead_assignment(locked)
    now = clock.now()
    refusal = return_refusal(assignment, now=now)
    if refusal is not None:
        raise refusal
    assignment.state, assignment.decided_at, assignment.objection_reason = AssignmentState.OBJECTED, now, reason.strip()
    assignment.save(update_fields=["state", "decided_at", "objection_reason"])
    locked.bounce_count += 1
    locked.save(update_fields=["bounce_count", *set_dispatch_wait(locked, start=now)])
    limit = int(locked.policy.rule("bounce_limit"))
    return transition(
        locked,
        action=Action.OBJECT,
        actor=actor,
        unit=locked.lead_unit,
        note=reason.strip(),
        data={"bounce_count": locked.bounce_count, "needs_supervisor": locked.bounce_count >= limit},
    )


@transaction.atomic
def appeal_reply(*, actor: Any, appeal: Appeal, outcome: str, text: str) -> Appeal:
    """The lead unit answers: solved, explained or not supported, always with reasons (信访工作条例 Art. 32)."""
    locked = _locked(appeal)
    if not acts_for_unit(actor, locked.lead_unit):
        raise PermissionDenied()
    if outcome not in Outcome.values:
        raise ValidationFailed(_("Choose the outcome."), field="outcome")
    if len(text.strip()) < MIN_REPLY_CHARACTERS:
        raise ValidationFailed(
            _("Write the answer with its reasons (at least %(min)d characters).") % {"min": MIN_REPLY_CHARACTERS},
            field="text",
        )
    locked.outcome, locked.reply_text, locked.replied_at = outcome, text.strip(), clock.now()
    locked.save(update_fields=["outcome", "reply_text", "replied_at"])
    replied = transition(
        locked,
        action=Action.REPLY,
        actor=actor,
        unit=locked.lead_unit,
        public_message=mask_personal_data(text.strip()),
        data={"outcome": outcome, "quality": reply_check(locked, text=text.strip(), outcome=outcome).as_data()},
    )
    merged_answer(actor=actor, appeal=replied)  # appeals merged into this one get the same answer
    return replied


def reply_check(appeal: Appeal, *, text: str, outcome: str = "") -> Any:
    """How well ``text`` answers the appeal (``intelligence.reply_quality``): a score with the reasons, shown to
    the handler before sending and to the supervisor after, and kept on the reply's timeline event."""
    from massline.intelligence.reply_quality import reply_quality
    from massline.intelligence.text import appeal_text

    return reply_quality(appeal_text=appeal_text(appeal), reply=text, not_supported=outcome == Outcome.NOT_SUPPORTED)


@transaction.atomic
def appeal_rate(*, actor: Any, appeal: Appeal, satisfaction: str, solved: bool, passphrase: str = "") -> Appeal:
    """The citizen rates the answer (by passphrase), or an operator records it on a callback (Beijing Art. 23).
    Satisfied or basically satisfied closes the appeal; dissatisfied reopens it for another round while the
    policy allows, then sends it to supervisor review (Jinan Art. 27)."""
    locked = _locked(appeal)
    if not (can_call_back(actor, locked) or (passphrase and passphrase_matches(passphrase, locked.passphrase_hash))):
        raise PermissionDenied()
    if satisfaction not in Satisfaction.values:
        raise ValidationFailed(_("Choose how satisfied you are."), field="satisfaction")
    now = clock.now()
    locked.satisfaction, locked.solved, locked.rated_at = satisfaction, solved, now
    locked.save(update_fields=["satisfaction", "solved", "rated_at"])
    data = {"satisfaction": satisfaction, "solved": solved, "round": locked.round}
    if satisfaction != Satisfaction.DISSATISFIED:
        locked.closed_at = now
        locked.save(update_fields=["closed_at"])
        return transition(locked, action=Action.CLOSE, actor=actor, data=data)
    if locked.round <= int(locked.policy.rule("reopen_rounds")):
        return _reopen(locked, actor=actor, data=data)
    return transition(locked, action=Action.ESCALATE, actor=actor, data=data)


def _reopen(appeal: Appeal, *, actor: Any, data: dict[str, Any], reason: str = "") -> Appeal:
    now = clock.now()
    appeal.round += 1
    deadline_fields = set_answer_deadline(appeal, start=now)
    appeal.outcome, appeal.replied_at, appeal.reply_text = "", None, ""
    appeal.satisfaction, appeal.solved, appeal.rated_at = "", None, None  # the rating stays in the timeline
    appeal.save(
        update_fields=[
            "round",
            *deadline_fields,
            "outcome",
            "replied_at",
            "reply_text",
            "satisfaction",
            "solved",
            "rated_at",
        ]
    )
    return transition(
        appeal,
        action=Action.REOPEN,
        actor=actor,
        unit=appeal.lead_unit,
        reason=reason,
        data={**data, "round": appeal.round},
    )


@transaction.atomic
def appeal_review_decide(*, actor: Any, appeal: Appeal, reopen: bool, reason: str) -> Appeal:
    """After the last round, a supervisor either sends the appeal back for handling or closes it, with reasons."""
    locked = _locked(appeal)
    if not can_review(actor, locked):
        raise PermissionDenied()
    if locked.state != State.UNDER_REVIEW:
        raise TransitionNotAllowed()
    if not reason.strip():
        raise ValidationFailed(_("Give the reason for your decision."), field="reason")
    if reopen:
        return _reopen(locked, actor=actor, data={"review": "reopen"}, reason=reason.strip())
    locked.closed_at = clock.now()
    locked.save(update_fields=["closed_at"])
    return transition(locked, action=Action.CLOSE, actor=actor, reason=reason.strip(), data={"review": "close"})
