"""Publicity (公示) and implementation: publishing for objections, answering each one or taking it up as an
appeal; then milestones, spending and photos."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from massline.core import clock
from massline.core.errors import ValidationFailed
from massline.org.calendar import add_working_days

from ..models import Matter, Milestone, Objection, ObjectionOutcome, Publicity, Spending, Step
from .common import lock, record, require_runner, require_step


@transaction.atomic
def publicity_open(*, actor: Any, matter: Matter, text: str) -> Publicity:
    """Publish the decision (or a list, such as the recipients of a benefit) for the rule's working days,
    counted on the working calendar."""
    matter = lock(matter)
    require_runner(actor, matter)
    require_step(matter, Step.PUBLICITY)
    if matter.publicities.exists():
        raise ValidationFailed(_("It is published already."), code="published")
    if not text.strip():
        raise ValidationFailed(_("Write what is published."), field="text")
    now = clock.now()
    publicity = Publicity.objects.create(
        matter=matter,
        text=text.strip(),
        starts_at=now,
        ends_at=add_working_days(now, int(matter.rule("publicity_working_days"))),
    )
    record(matter, action="publicity_open", actor=actor, data={"ends_at": publicity.ends_at.isoformat()})
    return publicity


@transaction.atomic
def objection_submit(*, publicity: Publicity, name: str, text: str, phone: str = "") -> Objection:
    """Object during the publicity period. The phone number is for the answer and never published."""
    publicity = Publicity.objects.select_for_update().select_related("matter").get(pk=publicity.pk)
    now = clock.now()
    if now >= publicity.ends_at:
        raise ValidationFailed(
            _("The publicity period ended on %(end)s; objections are no longer taken.")
            % {"end": date_format(publicity.ends_at.astimezone(clock.local_zone()), "DATETIME_FORMAT")},
            code="publicity_over",
        )
    if not name.strip() or not text.strip():
        raise ValidationFailed(_("Give your name and your objection."), field="text")
    objection = Objection.objects.create(
        publicity=publicity, name=name.strip()[:60], phone=phone.strip()[:30], text=text.strip()[:4000]
    )
    record(publicity.matter, action="objection", actor=None, data={"objection": objection.pk})
    return objection


@transaction.atomic
def objection_answer(*, actor: Any, objection: Objection, outcome: str, answer: str) -> Objection:
    """Answer an objection: upheld (and the decision or list corrected), not upheld with the reason, or taken
    up as an appeal — then it follows the appeal's own loop, and the objector is told its tracking code."""
    from massline.appeals.choices import AppealKind, Channel
    from massline.appeals.services import ContactInput, appeal_submit

    matter = lock(objection.publicity.matter)
    require_runner(actor, matter)
    objection = Objection.objects.select_for_update().get(pk=objection.pk)
    if objection.answered_at is not None:
        raise ValidationFailed(_("This objection has been answered already."), code="already_answered")
    if outcome not in (ObjectionOutcome.UPHELD, ObjectionOutcome.DISMISSED, ObjectionOutcome.APPEAL):
        raise ValidationFailed(_("Choose how the objection is handled."), field="outcome")
    if not answer.strip():
        raise ValidationFailed(_("Give the answer or the reason."), field="answer")
    if outcome == ObjectionOutcome.APPEAL:
        result = appeal_submit(
            actor=actor,
            kind=AppealKind.COMPLAINT,
            channel=Channel.WEB,
            title=_("Objection to the publicity of %(code)s") % {"code": matter.code},
            description=objection.text,
            area=matter.area,
            contact=ContactInput(name=objection.name, phone=objection.phone),
            contact_confidential=True,
            idempotency_key=f"objection-{objection.pk}",
        )
        objection.appeal = result.appeal
        answer = f"{answer.strip()} ({_('appeal')} {result.appeal.tracking_code})"
    objection.outcome = outcome
    objection.answer = answer.strip()
    objection.answered_at = clock.now()
    objection.answered_by = actor
    objection.save(update_fields=["outcome", "answer", "answered_at", "answered_by", "appeal", "updated_at"])
    record(matter, action="objection_answer", actor=actor, data={"objection": objection.pk, "outcome": outcome})
    return objection


@transaction.atomic
def milestone_set(
    *, actor: Any, matter: Matter, title: str, due_on: dt.date, milestone_id: int | None = None
) -> Milestone:
    matter = lock(matter)
    require_runner(actor, matter)
    require_step(matter, Step.IMPLEMENTATION)
    if not title.strip():
        raise ValidationFailed(_("Name the milestone."), field="title")
    if milestone_id is None:
        milestone = Milestone.objects.create(matter=matter, title=title.strip(), due_on=due_on)
    else:
        milestone = Milestone.objects.get(matter=matter, pk=milestone_id)
        milestone.title, milestone.due_on = title.strip(), due_on
        milestone.save(update_fields=["title", "due_on", "updated_at"])
    record(matter, action="milestone", actor=actor, data={"milestone": milestone.pk, "due_on": due_on.isoformat()})
    return milestone


@transaction.atomic
def milestone_done(*, actor: Any, matter: Matter, milestone_id: int, note: str = "") -> Milestone:
    matter = lock(matter)
    require_runner(actor, matter)
    require_step(matter, Step.IMPLEMENTATION)
    milestone = Milestone.objects.get(matter=matter, pk=milestone_id)
    if milestone.done_on is not None:
        raise ValidationFailed(_("This milestone is done already."), code="already_done")
    milestone.done_on = clock.today()
    milestone.note = note.strip()[:300]
    milestone.save(update_fields=["done_on", "note", "updated_at"])
    record(matter, action="milestone_done", actor=actor, message=milestone.title, data={"milestone": milestone.pk})
    return milestone


@transaction.atomic
def spending_record(*, actor: Any, matter: Matter, item: str, amount: Decimal, spent_on: dt.date) -> Spending:
    """Record money spent, published against the budget."""
    matter = lock(matter)
    require_runner(actor, matter)
    require_step(matter, Step.IMPLEMENTATION)
    if amount <= 0:
        raise ValidationFailed(_("The amount must be more than zero."), field="amount")
    if not item.strip():
        raise ValidationFailed(_("Say what the money was spent on."), field="item")
    spending = Spending.objects.create(matter=matter, item=item.strip(), amount=amount, spent_on=spent_on)
    record(matter, action="spending", actor=actor, data={"amount": str(amount)})
    return spending


@transaction.atomic
def document_add(*, actor: Any, matter: Matter, title: str, upload: Any, is_photo: bool = False) -> Any:
    """Publish a document or a progress photo on the matter. Files are checked by their content (JPEG, PNG or
    PDF) and photos re-encoded, which drops their metadata (where and when they were taken)."""
    import uuid

    from django.core.files.base import ContentFile

    from massline.appeals.attachments import attachment_check

    from ..models import MatterDocument

    matter = lock(matter)
    require_runner(actor, matter)
    if not title.strip():
        raise ValidationFailed(_("Give the document a title."), field="title")
    checked = attachment_check(upload)
    document = MatterDocument(
        matter=matter, title=title.strip(), step=matter.step, is_photo=is_photo, uploaded_by=actor
    )
    document.file.save(f"{uuid.uuid4().hex}.{checked.extension}", ContentFile(checked.content), save=False)
    document.save()
    record(matter, action="document", actor=actor, data={"document": document.pk, "title": document.title})
    return document
