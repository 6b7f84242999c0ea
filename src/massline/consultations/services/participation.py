"""Residents and the public take part: co-signing a proposal, commenting and being answered, voting on the
opinion map's statements, and the satisfaction vote at the end. Residents are checked against the register by
name and identity number; the number itself is never stored."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from massline.core import clock
from massline.core.errors import ValidationFailed

from ..models import (
    AnswerKind,
    Comment,
    Matter,
    ProposerKind,
    Resident,
    Satisfaction,
    SatisfactionVote,
    Signature,
    Stance,
    Statement,
    StatementVote,
    Step,
    identity_digest,
)
from ..transitions import comment_period_ends
from .common import lock, record, require_runner, require_step

MAX_COMMENT = 4000


def resident_verify(*, matter: Matter, name: str, id_number: str) -> Resident:
    """The resident on the register of the matter's area with this identity number and name. Refused, with the
    same words either way, when there is none: the answer must not tell a stranger who is registered."""
    if not name.strip() or not id_number.strip():
        raise ValidationFailed(_("Give your name and identity number as on the register."), field="id_number")
    resident = Resident.objects.filter(area=matter.area, id_digest=identity_digest(id_number)).first()
    if resident is None or resident.name.strip() != name.strip():
        raise ValidationFailed(
            _("No resident of %(area)s with this name and identity number is on the register.")
            % {"area": matter.area.label},
            code="not_on_register",
            field="id_number",
        )
    return resident


@transaction.atomic
def matter_sign(*, matter: Matter, name: str, id_number: str) -> Signature:
    """Co-sign a proposal made by villagers (at least a tenth of the adults) or by representatives (at least a
    fifth of them), as the provincial 一事一议 rules ask. One signature per resident."""
    matter = lock(matter)
    require_step(matter, Step.PROPOSAL)
    if matter.proposer_kind == ProposerKind.COMMITTEE:
        raise ValidationFailed(
            _("The committee proposed this matter: it needs no co-signatures."), code="no_signatures"
        )
    resident = resident_verify(matter=matter, name=name, id_number=id_number)
    if matter.proposer_kind == ProposerKind.REPRESENTATIVES and not resident.is_representative:
        raise ValidationFailed(_("Only villagers' representatives co-sign this proposal."), code="not_representative")
    if matter.proposer_kind == ProposerKind.VILLAGERS and not resident.is_adult:
        raise ValidationFailed(_("Only adult villagers co-sign a proposal."), code="not_adult")
    earlier = Signature.objects.filter(matter=matter, resident=resident).first()
    if earlier is not None:
        raise ValidationFailed(
            _("You co-signed this proposal on %(day)s; a person signs once.")
            % {"day": date_format(earlier.created_at.astimezone(clock.local_zone()), "DATE_FORMAT")},
            code="already_signed",
        )
    signature = Signature.objects.create(matter=matter, resident=resident)
    record(matter, action="sign", actor=None, data={"signatures": matter.signatures.count()})
    return signature


@transaction.atomic
def comment_submit(
    *, matter: Matter, stance: str, text: str, author_name: str = "", idempotency_key: str = ""
) -> Comment:
    """A public comment, during the comment period only (at least 30 days for a major decision,
    重大行政决策程序暂行条例 Art. 15). The same idempotency key never stores a comment twice."""
    if idempotency_key:
        earlier = Comment.objects.filter(matter=matter, idempotency_key=idempotency_key).first()
        if earlier is not None:
            return earlier
    matter = lock(matter)
    if (
        matter.is_open
        and matter.step != Step.COMMENT
        and matter.steps.index(matter.step) > matter.steps.index(Step.COMMENT)
    ):
        raise ValidationFailed(_("The comment period is over; comments are no longer taken."), code="comment_closed")
    require_step(matter, Step.COMMENT)
    if stance not in Stance.values:
        raise ValidationFailed(_("Choose whether you support, oppose or suggest."), field="stance")
    text = text.strip()
    if not text:
        raise ValidationFailed(_("Write your comment."), field="text")
    if len(text) > MAX_COMMENT:
        raise ValidationFailed(_("A comment has at most %(limit)d characters.") % {"limit": MAX_COMMENT}, field="text")
    try:
        with transaction.atomic():
            comment = Comment.objects.create(
                matter=matter,
                stance=stance,
                text=text,
                author_name=author_name.strip()[:60],
                idempotency_key=idempotency_key[:80],
            )
    except IntegrityError:
        return Comment.objects.get(matter=matter, idempotency_key=idempotency_key[:80])
    record(matter, action="comment", actor=None, data={"comment": comment.pk, "stance": stance})
    return comment


@transaction.atomic
def comment_answer(*, actor: Any, comment: Comment, answer_kind: str, answer_text: str) -> Comment:
    """Answer a comment: adopted, partly adopted or not adopted, always with the reason. An answer is public
    and final; a correction is a new event on the timeline, never an edit of the first."""
    matter = lock(comment.matter)
    require_runner(actor, matter)
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    if comment.answered_at is not None:
        raise ValidationFailed(_("This comment has been answered already."), code="already_answered")
    if answer_kind not in AnswerKind.values:
        raise ValidationFailed(_("Choose whether the comment is adopted."), field="answer_kind")
    if not answer_text.strip():
        raise ValidationFailed(_("Give the reason for the answer."), field="answer_text")
    comment.answer_kind = answer_kind
    comment.answer_text = answer_text.strip()
    comment.answered_at = clock.now()
    comment.answered_by = actor
    comment.save(update_fields=["answer_kind", "answer_text", "answered_at", "answered_by", "updated_at"])
    record(matter, action="answer_comment", actor=actor, data={"comment": comment.pk, "answer": answer_kind})
    return comment


@transaction.atomic
def feedback_publish(*, actor: Any, matter: Matter, changes: str) -> Matter:
    """Publish the feedback report once the period is over and every comment is answered: what was heard
    (the counts the page shows) and what changed because of it, in the owner unit's words."""
    matter = lock(matter)
    require_runner(actor, matter)
    require_step(matter, Step.COMMENT)
    if clock.now() < comment_period_ends(matter):
        raise ValidationFailed(_("The comment period is not over yet."), code="comment_open")
    if matter.comments.filter(answered_at__isnull=True).exists():
        raise ValidationFailed(_("Answer every comment before publishing the report."), code="unanswered")
    if not changes.strip():
        raise ValidationFailed(_("Say what changed because of the comments, or why nothing did."), field="changes")
    matter.feedback_changes = changes.strip()
    matter.feedback_published_at = matter.updated_at = clock.now()
    matter.save(update_fields=["feedback_changes", "feedback_published_at", "updated_at"])
    record(matter, action="feedback", actor=actor, message=matter.feedback_changes)
    return matter


@transaction.atomic
def statement_add(*, actor: Any, matter: Matter, text: str) -> Statement:
    """A statement for the opinion map, added by the owner unit before or during the comment period."""
    matter = lock(matter)
    require_runner(actor, matter)
    text = text.strip()
    if not text or len(text) > 280:
        raise ValidationFailed(_("A statement has 1 to 280 characters."), field="text")
    statement = Statement.objects.create(matter=matter, text=text)
    record(matter, action="statement", actor=actor, data={"statement": statement.pk})
    return statement


def statement_vote(*, matter: Matter, statement_id: int, participant: str, value: int) -> StatementVote:
    """A participant's vote on a statement, during the comment period. Voting again changes the vote: the map
    shows what people think now."""
    require_step(matter, Step.COMMENT)
    if value not in (StatementVote.AGREE, StatementVote.PASS, StatementVote.DISAGREE):
        raise ValidationFailed(_("Agree, disagree or pass."), field="value")
    statement = Statement.objects.filter(matter=matter, pk=statement_id, is_hidden=False).first()
    if statement is None:
        raise ValidationFailed(_("There is no such statement."), field="statement")
    vote, _created = StatementVote.objects.update_or_create(
        statement=statement, participant=participant, defaults={"value": value, "at": clock.now()}
    )
    return vote


@transaction.atomic
def satisfaction_vote(*, matter: Matter, name: str, id_number: str, choice: str) -> SatisfactionVote:
    """The residents' satisfaction vote at the end of implementation: adults on the register, once each."""
    matter = lock(matter)
    require_step(matter, Step.EVALUATION)
    if choice not in Satisfaction.values:
        raise ValidationFailed(_("Choose how satisfied you are."), field="choice")
    resident = resident_verify(matter=matter, name=name, id_number=id_number)
    if not resident.is_adult:
        raise ValidationFailed(_("Adult residents vote."), code="not_adult")
    if SatisfactionVote.objects.filter(matter=matter, resident=resident).exists():
        raise ValidationFailed(_("You have voted already; a person votes once."), code="already_voted")
    vote = SatisfactionVote.objects.create(matter=matter, resident=resident, choice=choice, at=clock.now())
    record(matter, action="satisfaction_vote", actor=None, data={"choice": choice})
    return vote
