"""Letters and visits (信访工作条例, 2022): registering a letter or a visit at the reception desk, issuing the
written acknowledgement, and the petitioner's review (复查) and re-review (复核) of the answer.

A petition is an appeal on the petition track: it is stored and routed by ``appeal_submit`` like every other
appeal, and follows the same state machine, with three more states after closing (review, re-review, final)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import formats
from django.utils.translation import gettext as _

from massline.accounts.roles import Role
from massline.audit.services import audit_record
from massline.core import clock
from massline.core.errors import PermissionDenied, ValidationFailed
from massline.org.calendar import WorkingCalendar

from ..attachments import CheckedFile, attachment_store
from ..choices import AttachmentKind, Channel, ReviewDecision, ReviewLevel, Track
from ..deadlines import set_answer_deadline
from ..models import Appeal, ReviewRequest, VisitRepresentative
from ..passphrase import passphrase_matches
from ..permissions import can_review, hotline_covers
from ..redaction import mask_personal_data
from ..transitions import Action, State, TransitionNotAllowed, transition
from .intake import ContactInput, SubmitResult, appeal_submit

MAX_REPRESENTATIVES = 5  # 信访工作条例 Art. 20
MIN_DECISION_CHARACTERS = 6
MAX_REASON = 4000
PETITION_CHANNELS = (Channel.LETTER, Channel.VISIT)


@dataclass(frozen=True)
class Representative:
    name: str
    phone: str = ""


def at_reception_desk(user: Any, appeal: Any) -> bool:
    """Reception staff: hotline operators whose centre covers the appeal's area (an unsaved appeal with only
    its area set will do, to check before registering)."""
    return bool(getattr(user, "is_authenticated", False)) and hotline_covers(user, appeal, Role.OPERATOR)


def _locked(appeal: Appeal) -> Appeal:
    return (
        Appeal.objects.select_for_update(of=("self",))
        .select_related("policy", "category", "lead_unit", "area")
        .get(pk=appeal.pk)
    )


def _validate_registration(
    *,
    channel: str,
    contact: ContactInput,
    scans: Sequence[CheckedFile],
    visitor_count: int | None,
    representatives: Sequence[Representative],
) -> None:
    if channel not in PETITION_CHANNELS:
        raise ValidationFailed(_("The reception desk registers letters and visits."), field="channel")
    if not contact.name.strip():
        raise ValidationFailed(_("Write the petitioner's name (Art. 19)."), field="name")
    if not contact.address.strip():
        raise ValidationFailed(_("Write the petitioner's address (Art. 19)."), field="address")
    if channel == Channel.LETTER:
        if not scans:
            raise ValidationFailed(_("Attach the scanned pages of the letter."), field="scans")
        if representatives or visitor_count:
            raise ValidationFailed(_("Representatives and visitors belong to a visit."), field="representatives")
        return
    if visitor_count is None or visitor_count < 1:
        raise ValidationFailed(_("Write how many people came."), field="visitor_count")
    if len(representatives) > MAX_REPRESENTATIVES:
        raise ValidationFailed(
            _("A group visit chooses at most %(max)d representatives (Art. 20); %(count)d were given.")
            % {"max": MAX_REPRESENTATIVES, "count": len(representatives)},
            field="representatives",
        )
    if len(representatives) > visitor_count:
        raise ValidationFailed(_("There are more representatives than people in the visit."), field="representatives")
    if visitor_count > MAX_REPRESENTATIVES and not representatives:
        raise ValidationFailed(
            _("More than %(max)d people came: record the representatives they chose (Art. 20).")
            % {"max": MAX_REPRESENTATIVES},
            field="representatives",
        )
    for representative in representatives:
        if not representative.name.strip() or len(representative.name) > 100 or len(representative.phone) > 30:
            raise ValidationFailed(
                _("Each representative needs a name (at most 100 characters) and, if any, a phone number."),
                field="representatives",
            )


@transaction.atomic
def petition_register(
    *,
    actor: Any,
    channel: str,
    kind: str,
    title: str,
    description: str,
    contact: ContactInput,
    area: Any = None,
    category: Any = None,
    location_text: str = "",
    contact_confidential: bool = False,
    scans: Sequence[CheckedFile] = (),
    visitor_count: int | None = None,
    representatives: Sequence[Representative] = (),
    idempotency_key: str | None = None,
) -> SubmitResult:
    """Register a letter (with its scanned pages) or a visit (with the number of people and the
    representatives of a group visit, at most 5: 信访工作条例 Art. 20) at the reception desk. The written
    submission carries name, address, request, facts and reasons; an oral one is recorded faithfully (Art. 19).
    Everything is checked first, then stored in one transaction through ``appeal_submit``; routing follows after
    the commit, so nothing that fails later can lose the petition. A retry with the same ``idempotency_key``
    returns the first registration and stores nothing more."""
    if not at_reception_desk(actor, Appeal(area=area)):
        raise PermissionDenied()
    representatives = [Representative(r.name.strip(), r.phone.strip()) for r in representatives]
    _validate_registration(
        channel=channel,
        contact=contact,
        scans=scans,
        visitor_count=visitor_count,
        representatives=representatives,
    )
    result = appeal_submit(
        actor=actor,
        kind=kind,
        channel=channel,
        track=Track.PETITION,
        title=title,
        description=description,
        location_text=location_text,
        area=area,
        category=category,
        contact=contact,
        contact_confidential=contact_confidential,
        visitor_count=visitor_count if channel == Channel.VISIT else None,
        idempotency_key=idempotency_key,
    )
    if not result.created:
        return result
    appeal = result.appeal
    for checked in scans:
        attachment_store(appeal=appeal, checked=checked, kind=AttachmentKind.SCAN, actor=actor)
    VisitRepresentative.objects.bulk_create(
        VisitRepresentative(appeal=appeal, name=r.name, phone=r.phone, position=position)
        for position, r in enumerate(representatives, start=1)
    )
    audit_record(
        event="appeals.petition.register",
        actor=actor,
        target=appeal,
        after={
            "channel": channel,
            "scans": [checked.sha256 for checked in scans],
            "visitor_count": appeal.visitor_count,
            "representatives": len(representatives),
        },
    )
    return result


@transaction.atomic
def acknowledgement_record(*, actor: Any, appeal: Appeal, via: str, sha256: str) -> None:
    """Record that the written acknowledgement (受理告知书, 信访工作条例 Art. 23) was issued: who took it, through
    which page, and the hash of the document handed out, so the copy the petitioner holds can be proved."""
    audit_record(
        event="appeals.petition.acknowledge",
        actor=actor,
        target=appeal,
        after={"via": via, "sha256": sha256, "state": appeal.state},
    )


# --- review (复查) and re-review (复核), 信访工作条例 Arts. 35–36 ---------------------------------------------


@dataclass(frozen=True)
class ReviewWindow:
    """What the petitioner may ask for now: ``level`` (review or re-review) until ``ends_at``, or, when
    ``level`` is empty, why nothing can be asked (``refusal``)."""

    level: str = ""
    ends_at: dt.datetime | None = None
    answer_days: int = 0
    refusal: str = ""
    code: str = ""


def _request_ends(start: dt.datetime, days: int) -> dt.datetime:
    """The end of the ``days``-th calendar day after ``start``; a period ending on a rest day runs to the end of
    the next working day."""
    return WorkingCalendar().add_calendar_days(start, days)


def _local_day(moment: dt.datetime) -> str:
    return formats.date_format(moment.astimezone(clock.local_zone()).date(), "DATE_FORMAT")


def review_window(appeal: Appeal, *, now: dt.datetime | None = None) -> ReviewWindow:
    """Whether the petitioner may request a review or a re-review of ``appeal`` now, and until when: review
    within ``review_request_days`` (30) of the closing, re-review within as many days of the review decision;
    after the re-review the matter is final and not accepted again (Art. 36)."""
    now = now or clock.now()
    if appeal.track != Track.PETITION:
        return ReviewWindow(
            refusal=_("Only letters and visits can be reviewed; this appeal follows the hotline's rules."),
            code="not_petition",
        )
    if appeal.state == State.FINAL:
        return ReviewWindow(
            refusal=_("The re-review decision is final: the matter is not accepted again (Art. 36)."), code="final"
        )
    if appeal.state in (State.REVIEW, State.RE_REVIEW):
        return ReviewWindow(refusal=_("A review of this appeal is already under way."), code="pending")
    if appeal.state != State.CLOSED or appeal.closed_at is None:
        return ReviewWindow(refusal=_("A review can be requested once the appeal is closed."), code="not_closed")
    days = int(appeal.policy.rule("review_request_days"))
    decided = {r.level: r for r in ReviewRequest.objects.filter(appeal=appeal).only("level", "decided_at", "appeal_id")}
    if ReviewLevel.RE_REVIEW in decided:
        return ReviewWindow(
            refusal=_("The re-review decision is final: the matter is not accepted again (Art. 36)."), code="final"
        )
    review = decided.get(ReviewLevel.REVIEW)
    if review is None:
        level, start = ReviewLevel.REVIEW, appeal.closed_at
    elif review.decided_at is not None:
        level, start = ReviewLevel.RE_REVIEW, review.decided_at
    else:
        return ReviewWindow(refusal=_("A review of this appeal is already under way."), code="pending")
    ends = _request_ends(start, days)
    if now > ends:
        message = (
            _("The time to request a review ended on %(date)s (%(days)d days after the appeal was closed, Art. 35).")
            if level == ReviewLevel.REVIEW
            else _(
                "The time to request a re-review ended on %(date)s (%(days)d days after the review decision, Art. 36)."
            )
        )
        return ReviewWindow(refusal=message % {"date": _local_day(ends), "days": days}, code="too_late")
    return ReviewWindow(level=level, ends_at=ends, answer_days=int(appeal.policy.rule("review_answer_days")))


def _request(*, actor: Any, appeal: Appeal, reason: str, passphrase: str, level: str) -> Appeal:
    locked = _locked(appeal)
    if not (
        at_reception_desk(actor, locked) or (passphrase and passphrase_matches(passphrase, locked.passphrase_hash))
    ):
        raise PermissionDenied()
    window = review_window(locked)
    if window.level != level:
        if window.level:  # the other level is the one open now
            message = (
                _("The review has been decided: request a re-review instead.")
                if window.level == ReviewLevel.RE_REVIEW
                else _("Request a review first.")
            )
            raise ValidationFailed(message, code="wrong_level")
        raise ValidationFailed(window.refusal, code=window.code)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(_("Say why you disagree with the answer."), field="reason")
    if len(reason) > MAX_REASON:
        raise ValidationFailed(_("At most %(max)d characters.") % {"max": MAX_REASON}, field="reason")
    now = clock.now()
    due = WorkingCalendar().add_calendar_days(now, int(locked.policy.rule("review_answer_days")))
    above = locked.lead_unit.parent if locked.lead_unit is not None else None
    if level == ReviewLevel.RE_REVIEW:
        earlier = ReviewRequest.objects.filter(appeal=locked, level=ReviewLevel.REVIEW).first()
        reviewer = earlier.reviewing_unit if earlier is not None else None
        above = (reviewer.parent if reviewer is not None else None) or above
    staff = at_reception_desk(actor, locked)
    request = ReviewRequest.objects.create(
        appeal=locked,
        level=level,
        reviewing_unit=above,
        requested_at=now,
        recorded_by=actor if staff else None,
        reason=reason,
        due_at=due,
    )
    locked.save(update_fields=set_answer_deadline(locked, start=now, due=due))
    action = Action.REQUEST_REVIEW if level == ReviewLevel.REVIEW else Action.REQUEST_RE_REVIEW
    return transition(
        locked,
        action=action,
        actor=actor,
        unit=above,
        note=reason,
        data={"review_request": request.pk, "due_at": due.isoformat(), "recorded_by_staff": staff},
    )


def _decide(*, actor: Any, appeal: Appeal, decision: str, text: str, level: str) -> Appeal:
    locked = _locked(appeal)
    if not can_review(actor, locked):
        raise PermissionDenied()
    state = State.REVIEW if level == ReviewLevel.REVIEW else State.RE_REVIEW
    if locked.state != state:
        raise TransitionNotAllowed()
    if decision not in ReviewDecision.values:
        raise ValidationFailed(_("Choose whether the answer is upheld or changed."), field="decision")
    text = (text or "").strip()
    if len(text) < MIN_DECISION_CHARACTERS:
        raise ValidationFailed(
            _("Write the decision with its reasons (at least %(min)d characters).") % {"min": MIN_DECISION_CHARACTERS},
            field="text",
        )
    request = ReviewRequest.objects.select_for_update().get(appeal=locked, level=level)
    now = clock.now()
    request.decision, request.decision_text, request.decided_by, request.decided_at = decision, text, actor, now
    request.save(update_fields=["decision", "decision_text", "decided_by", "decided_at"])
    action = Action.DECIDE_REVIEW if level == ReviewLevel.REVIEW else Action.DECIDE_RE_REVIEW
    return transition(
        locked,
        action=action,
        actor=actor,
        unit=request.reviewing_unit,
        public_message=mask_personal_data(text),
        data={"review_request": request.pk, "decision": decision},
        reason=text,
    )


@transaction.atomic
def review_request(*, actor: Any, appeal: Appeal, reason: str, passphrase: str = "") -> Appeal:
    """The petitioner, dissatisfied with the answer, asks the organ above for a review (复查) within 30 days
    of the closing (信访工作条例 Art. 35): with the passphrase, or recorded by the reception desk. The review is
    answered within ``review_answer_days`` (30), a deadline the sweep watches."""
    return _request(actor=actor, appeal=appeal, reason=reason, passphrase=passphrase, level=ReviewLevel.REVIEW)


@transaction.atomic
def review_decide(*, actor: Any, appeal: Appeal, decision: str, text: str) -> Appeal:
    """A supervisor covering the appeal's area decides the review in writing: the answer upheld or changed,
    with reasons (信访工作条例 Art. 35). The appeal is closed again; a re-review may follow."""
    return _decide(actor=actor, appeal=appeal, decision=decision, text=text, level=ReviewLevel.REVIEW)


@transaction.atomic
def re_review_request(*, actor: Any, appeal: Appeal, reason: str, passphrase: str = "") -> Appeal:
    """Dissatisfied with the review, the petitioner asks for a re-review (复核) within 30 days of the review
    decision (信访工作条例 Art. 36)."""
    return _request(actor=actor, appeal=appeal, reason=reason, passphrase=passphrase, level=ReviewLevel.RE_REVIEW)


@transaction.atomic
def re_review_decide(*, actor: Any, appeal: Appeal, decision: str, text: str) -> Appeal:
    """The re-review decision, in writing, is final: the appeal becomes ``final`` and the same matter is not
    accepted again (信访工作条例 Art. 36)."""
    return _decide(actor=actor, appeal=appeal, decision=decision, text=text, level=ReviewLevel.RE_REVIEW)
