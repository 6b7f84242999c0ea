"""Hearings and the social-stability risk assessment."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from massline.core import clock
from massline.core.errors import ValidationFailed

from ..models import Grade, Hearing, Matter, RiskAssessment, RiskItem, Speaker, Stance, Step
from .common import lock, record, require_runner, require_signer, require_step


@transaction.atomic
def hearing_schedule(*, actor: Any, matter: Matter, scheduled_for: dt.datetime, place: str, seats: int = 6) -> Hearing:
    """Schedule a hearing. Its materials are published now, and the hearing may not come sooner than the
    rule's days after them (at least 7, 重大行政决策程序暂行条例 Art. 16)."""
    matter = lock(matter)
    require_runner(actor, matter)
    require_step(matter, Step.HEARING)
    now = clock.now()
    days = int(matter.rule("hearing_materials_days"))
    if scheduled_for < now + dt.timedelta(days=days):
        raise ValidationFailed(
            _("The materials must be public at least %(days)d days before the hearing.") % {"days": days},
            field="scheduled_for",
        )
    if not place.strip():
        raise ValidationFailed(_("Say where the hearing is held."), field="place")
    if seats < 2:
        raise ValidationFailed(_("A hearing has at least two speaking places."), field="seats")
    hearing = Hearing.objects.create(
        matter=matter, scheduled_for=scheduled_for, place=place.strip(), seats=seats, materials_published_at=now
    )
    record(matter, action="hearing_schedule", actor=actor, data={"hearing": hearing.pk})
    return hearing


@transaction.atomic
def speaker_register(*, hearing: Hearing, name: str, stance: str, summary: str) -> Speaker:
    """Ask to speak at a hearing, before it starts."""
    hearing = Hearing.objects.select_for_update().get(pk=hearing.pk)
    if hearing.held_at is not None or clock.now() >= hearing.scheduled_for:
        raise ValidationFailed(_("Registration closed when the hearing began."), code="hearing_started")
    if stance not in Stance.values:
        raise ValidationFailed(_("Choose whether you support, oppose or suggest."), field="stance")
    if not name.strip() or not summary.strip():
        raise ValidationFailed(_("Give your name and what you want to say."), field="summary")
    return Speaker.objects.create(hearing=hearing, name=name.strip()[:60], stance=stance, summary=summary.strip())


@transaction.atomic
def hearing_select_speakers(*, actor: Any, hearing: Hearing) -> list[Speaker]:
    """Choose who speaks so that every side is heard: the places go round the stances in turn, and within a
    stance by lot, drawn from a seed that is the hearing's number so anyone can redo the draw."""
    matter = lock(hearing.matter)
    require_runner(actor, matter)
    hearing = Hearing.objects.select_for_update().get(pk=hearing.pk)
    if hearing.held_at is not None:
        raise ValidationFailed(_("The hearing has been held."), code="hearing_held")
    by_stance: dict[str, list[Speaker]] = {}
    for speaker in hearing.speakers.order_by("id"):
        by_stance.setdefault(speaker.stance, []).append(speaker)
    draw = random.Random(hearing.pk)  # noqa: S311 (a reproducible lot, not a secret)
    for speakers in by_stance.values():
        draw.shuffle(speakers)
    chosen: list[Speaker] = []
    while len(chosen) < hearing.seats and any(by_stance.values()):
        for stance in (Stance.SUPPORT, Stance.OPPOSE, Stance.OTHER):
            if by_stance.get(stance) and len(chosen) < hearing.seats:
                chosen.append(by_stance[stance].pop(0))
    hearing.speakers.update(selected=False)
    Speaker.objects.filter(pk__in=[speaker.pk for speaker in chosen]).update(selected=True)
    record(matter, action="hearing_speakers", actor=actor, data={"hearing": hearing.pk, "chosen": len(chosen)})
    return chosen


@transaction.atomic
def hearing_record(*, actor: Any, hearing: Hearing, minutes: str, dissent: str = "") -> Hearing:
    """Record that the hearing was held: its minutes, and the dissenting views, which are kept in full."""
    matter = lock(hearing.matter)
    require_runner(actor, matter)
    hearing = Hearing.objects.select_for_update().get(pk=hearing.pk)
    if clock.now() < hearing.scheduled_for:
        raise ValidationFailed(_("The hearing has not started yet."), code="hearing_not_started")
    if not minutes.strip():
        raise ValidationFailed(_("Write the minutes."), field="minutes")
    hearing.held_at = clock.now()
    hearing.minutes = minutes.strip()
    hearing.dissent = dissent.strip()
    hearing.save(update_fields=["held_at", "minutes", "dissent", "updated_at"])
    record(matter, action="hearing_held", actor=actor, data={"hearing": hearing.pk})
    return hearing


def grade_from_scores(scores: list[int]) -> str:
    """The least grade the risk register allows: any risk scored 15 or more (of 25) is high, 8 or more medium."""
    worst = max(scores, default=0)
    if worst >= 15:
        return Grade.HIGH
    if worst >= 8:
        return Grade.MEDIUM
    return Grade.LOW


GRADE_ORDER = {Grade.LOW: 0, Grade.MEDIUM: 1, Grade.HIGH: 2}


@transaction.atomic
def risk_assessment_open(*, actor: Any, matter: Matter) -> RiskAssessment:
    """Start a (new) round of assessment; a new round follows a high or medium grade once risks are mitigated."""
    matter = lock(matter)
    require_runner(actor, matter)
    require_step(matter, Step.RISK)
    if matter.assessments.filter(signed_at__isnull=True).exists():
        raise ValidationFailed(_("An assessment is already open."), code="assessment_open")
    if matter.assessments.filter(grade=Grade.LOW).exists():
        raise ValidationFailed(_("The risk is already graded low."), code="already_low")
    latest = matter.assessments.order_by("-round").first()
    assessment = RiskAssessment.objects.create(matter=matter, round=(latest.round + 1) if latest else 1)
    if latest is not None:  # the register carries over, to be re-scored after mitigation
        RiskItem.objects.bulk_create(
            RiskItem(
                assessment=assessment,
                description=item.description,
                likelihood=item.likelihood,
                impact=item.impact,
                mitigation=item.mitigation,
            )
            for item in latest.items.all()
        )
    record(matter, action="risk_open", actor=actor, data={"round": assessment.round})
    return assessment


def _open_assessment(matter: Matter) -> RiskAssessment:
    assessment = matter.assessments.filter(signed_at__isnull=True).order_by("-round").first()
    if assessment is None:
        raise ValidationFailed(_("Open an assessment first."), code="no_assessment")
    return assessment


@transaction.atomic
def risk_item_set(
    *,
    actor: Any,
    matter: Matter,
    description: str,
    likelihood: int,
    impact: int,
    mitigation: str = "",
    item_id: int | None = None,
) -> RiskItem:
    """Add a risk to the open assessment's register, or re-score one (after its mitigation)."""
    matter = lock(matter)
    require_runner(actor, matter)
    assessment = _open_assessment(matter)
    for field, value in (("likelihood", likelihood), ("impact", impact)):
        if not 1 <= int(value) <= 5:
            raise ValidationFailed(_("Score from 1 to 5."), field=field)
    if not description.strip():
        raise ValidationFailed(_("Describe the risk."), field="description")
    if item_id is not None:
        item = RiskItem.objects.get(assessment=assessment, pk=item_id)
        item.description, item.likelihood, item.impact = description.strip(), likelihood, impact
        item.mitigation = mitigation.strip()
        item.save()
    else:
        item = RiskItem.objects.create(
            assessment=assessment,
            description=description.strip(),
            likelihood=likelihood,
            impact=impact,
            mitigation=mitigation.strip(),
        )
    record(matter, action="risk_item", actor=actor, data={"round": assessment.round, "score": item.score})
    return item


@transaction.atomic
def risk_survey_record(
    *, actor: Any, matter: Matter, surveyed: int, support: int, oppose: int, summary: str
) -> RiskAssessment:
    """The stakeholder survey's figures and what the stakeholders said."""
    matter = lock(matter)
    require_runner(actor, matter)
    assessment = _open_assessment(matter)
    if surveyed < 1 or support < 0 or oppose < 0 or support + oppose > surveyed:
        raise ValidationFailed(
            _("Those in support and those opposed cannot outnumber those surveyed."), field="surveyed"
        )
    assessment.surveyed, assessment.survey_support, assessment.survey_oppose = surveyed, support, oppose
    assessment.survey_summary = summary.strip()
    assessment.save(update_fields=["surveyed", "survey_support", "survey_oppose", "survey_summary", "updated_at"])
    record(matter, action="risk_survey", actor=actor, data={"round": assessment.round, "surveyed": surveyed})
    return assessment


@transaction.atomic
def risk_assessment_sign(*, actor: Any, matter: Matter, grade: str, conclusion: str) -> RiskAssessment:
    """The assessor grades the risk high, medium or low and signs (NDRC 2012 No. 2492 Art. 4). The grade may
    not be lower than the register's worst risk allows; a high or medium grade blocks approval until the risks
    are mitigated and a new round grades them low."""
    matter = lock(matter)
    require_signer(actor, matter)
    require_step(matter, Step.RISK)
    assessment = _open_assessment(matter)
    if assessment.surveyed < 1:
        raise ValidationFailed(_("Record the stakeholder survey before grading."), code="no_survey")
    if grade not in Grade.values:
        raise ValidationFailed(_("Choose a grade."), field="grade")
    least = grade_from_scores([item.score for item in assessment.items.all()])
    if GRADE_ORDER[Grade(grade)] < GRADE_ORDER[Grade(least)]:
        raise ValidationFailed(
            _("The risk register's worst risk makes the grade at least %(grade)s.") % {"grade": Grade(least).label},
            field="grade",
        )
    if not conclusion.strip():
        raise ValidationFailed(_("Write the conclusion."), field="conclusion")
    assessment.grade = grade
    assessment.conclusion = conclusion.strip()
    assessment.assessor = actor
    assessment.signed_at = clock.now()
    assessment.save(update_fields=["grade", "conclusion", "assessor", "signed_at", "updated_at"])
    record(matter, action="risk_sign", actor=actor, data={"round": assessment.round, "grade": grade})
    return assessment
