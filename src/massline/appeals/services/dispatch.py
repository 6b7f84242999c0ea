"""Dispatch: category and locality to the lead unit and co-units (Beijing regulation Arts. 11–12)."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.db import connection, transaction
from django.utils.translation import gettext as _

from massline.core import clock
from massline.core.errors import PermissionDenied, ValidationFailed
from massline.core.memo import Memo
from massline.org.models import Area, AreaLevel, Unit, UnitKind
from massline.org.selectors import responsibility_for

from ..choices import AssignmentRole, AssignmentState
from ..deadlines import objection_due, set_answer_deadline, set_dispatch_wait
from ..models import Appeal, Assignment, ConsultationView, UnitConsultation
from ..permissions import acts_for_unit, can_dispatch
from ..transitions import Action, State, TransitionNotAllowed, transition
from .intake import policy_by_id
from .merge import earlier_same_matter, link_same_matter

logger = logging.getLogger(__name__)

_DISTRICT_GOVERNMENT: Memo[Unit | None] = Memo("appeals.district_government").invalidated_by(Unit, Area)


def _district_government(unit: Unit) -> Unit | None:
    """The government of the district above a street-level unit, which gets a copy (Art. 12). Remembered per
    unit (``core.memo``): automatic dispatch asks for every appeal sent to a street."""
    return _DISTRICT_GOVERNMENT.get(unit.pk, lambda: _read_district_government(unit))


def _read_district_government(unit: Unit) -> Unit | None:
    area: Area | None = unit.area
    while area is not None and area.level > AreaLevel.DISTRICT:
        area = area.parent
    if area is None or area.level != AreaLevel.DISTRICT:
        return None
    return Unit.objects.filter(area=area, kind=UnitKind.GOVERNMENT, is_active=True).first()


def _locked_for_dispatch(appeal: Appeal) -> Appeal:
    """The appeal, locked, with what dispatch reads: its topic, its place, the citizen's contact (for the same
    matter) and its policy (remembered)."""
    locked = (
        Appeal.objects.select_for_update(of=("self",)).select_related("category", "area", "contact").get(pk=appeal.pk)
    )
    locked.policy = policy_by_id(locked.policy_id)
    return locked


def _within_reach(actor: Any, units: list[Unit]) -> bool:
    from ..selectors import dispatch_targets

    wanted = {unit.pk for unit in units}
    return len(wanted) == dispatch_targets(user=actor).filter(pk__in=wanted).count()


@transaction.atomic
def appeal_dispatch(
    *,
    actor: Any,
    appeal: Appeal,
    lead_unit: Unit,
    co_units: list[Unit] | tuple[Unit, ...] = (),
    note: str = "",
    designated: bool = False,
) -> Appeal:
    """Send the appeal to its lead unit (and co-units), with the deadline to object and the deadline to
    answer written on the work order (Art. 13). A street-level lead copies its district (Art. 12). ``actor``
    None is the automatic dispatcher; people must hold the dispatcher role."""
    locked = _locked_for_dispatch(appeal)
    if actor is not None and not can_dispatch(actor, locked):
        raise PermissionDenied()
    if not lead_unit.is_active:
        raise ValidationFailed(_("This unit no longer exists."), field="lead_unit")
    if actor is not None and not _within_reach(actor, [lead_unit, *co_units]):
        raise ValidationFailed(_("This unit is outside your hotline centre's area."), field="lead_unit")
    return _dispatch_locked(
        locked, actor=actor, lead_unit=lead_unit, co_units=co_units, note=note, designated=designated
    )


def _dispatch_locked(
    locked: Appeal,
    *,
    actor: Any,
    lead_unit: Unit,
    co_units: list[Unit] | tuple[Unit, ...],
    note: str,
    designated: bool,
    data: dict[str, Any] | None = None,
    also_save: list[str] | tuple[str, ...] = (),
    due: dt.datetime | None = None,
) -> Appeal:
    """The work orders of a dispatch, written in as few statements as the step allows: it runs for every
    appeal the matrix routes. ``due`` replaces the policy's answer deadline (a proactive task's own date)."""
    now = clock.now()
    if locked.state != State.RECEIVED:  # a received appeal was never sent anywhere
        locked.assignments.filter(state=AssignmentState.PENDING).update(state=AssignmentState.WITHDRAWN, decided_at=now)
    orders = [
        Assignment(
            appeal=locked,
            unit=lead_unit,
            role=AssignmentRole.LEAD,
            dispatched_by=actor,
            dispatched_at=now,
            object_due_at=None if designated else objection_due(locked, start=now),
            designated=designated,
        )
    ]
    orders += [
        Assignment(appeal=locked, unit=unit, role=AssignmentRole.CO, dispatched_by=actor, dispatched_at=now)
        for unit in co_units
        if unit.pk != lead_unit.pk
    ]
    if lead_unit.area.level > AreaLevel.DISTRICT:
        district = _district_government(lead_unit)
        if district is not None:
            orders.append(
                Assignment(
                    appeal=locked, unit=district, role=AssignmentRole.COPY, dispatched_by=actor, dispatched_at=now
                )
            )
    Assignment.objects.bulk_create(orders)
    locked.lead_unit = lead_unit
    return transition(
        locked,
        action=Action.DISPATCH,
        actor=actor,
        unit=lead_unit,
        note=note,
        data={
            "lead_unit": lead_unit.code,
            "co_units": [u.code for u in co_units],
            "designated": designated,
            **(data or {}),
        },
        also_save=["lead_unit", *also_save, *set_answer_deadline(locked, start=now, due=due)],
    )


def _locked_as_stored(appeal: Appeal) -> Appeal | None:
    """``appeal`` itself, locked, when it is still exactly as its caller stored it (received, not touched since):
    intake routes the object it has just written instead of reading it again. None when it has changed. One
    plain statement: it runs for every submission, and the ORM cost more to build it than the database to run
    it."""
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    sql = f"SELECT id FROM {Appeal._meta.db_table} WHERE id = %s AND state = %s AND updated_at = %s{lock}"  # noqa: S608 — our table
    with connection.cursor() as cursor:
        cursor.execute(
            sql,
            [appeal.pk, State.RECEIVED, connection.ops.adapt_datetimefield_value(appeal.updated_at)],
        )
        if cursor.fetchone() is None:
            return None
    appeal.policy = policy_by_id(appeal.policy_id)
    return appeal


@transaction.atomic
def appeal_route(*, appeal: Appeal, as_stored: bool = False) -> Appeal:
    """Dispatch at once when the responsibility matrix names a lead unit for the appeal's category and area;
    otherwise put it in the dispatcher's inbox. Safe to run twice: only a received appeal is routed.
    ``as_stored``: ``appeal`` is the object intake has just stored, with its topic and place, and is used as it
    is when nothing has changed it since (otherwise it is read again)."""
    locked = (_locked_as_stored(appeal) if as_stored else None) or _locked_for_dispatch(appeal)
    if locked.state != State.RECEIVED:
        return locked
    earlier = earlier_same_matter(locked)
    if earlier is not None:
        return link_same_matter(locked, earlier)
    also_save: list[str] = []
    data: dict[str, Any] = {}
    if locked.category is None:
        guess = _topic_guess(locked)
        if guess is not None:
            data["router"] = guess.as_data()
            if guess.confident and guess.category is not None:
                locked.category = guess.category
                also_save.append("category")
    answer = None
    if locked.category is not None and locked.area is not None:
        answer = responsibility_for(category=locked.category, area=locked.area)
    if answer is None or not answer.lead_unit.is_active:
        return transition(
            locked,
            action=Action.QUEUE,
            actor=None,
            data=data or None,
            also_save=[*also_save, *set_dispatch_wait(locked, start=clock.now())],
        )
    return _dispatch_locked(
        locked,
        actor=None,
        lead_unit=answer.lead_unit,
        co_units=answer.co_units,
        note="",
        designated=False,
        data=data,
        also_save=also_save,
    )


def _topic_guess(appeal: Appeal) -> Any:
    """The trained router's guess at an uncategorised appeal's topic (issue: Concentrate); None without an
    active router. A model that fails to load or predict never stops routing: the appeal goes to a person."""
    from massline.intelligence.selectors import guess_topic
    from massline.intelligence.text import appeal_text

    try:
        return guess_topic(appeal_text(appeal))
    except Exception:
        logger.exception("the router could not read appeal %s; it goes to a dispatcher", appeal.pk)
        return None


def appeal_send(*, actor: Any, appeal: Appeal, unit: Unit, reason: str = "") -> Appeal:
    """The dispatcher's one "send to this unit" step: a returned appeal is settled by designation (reason
    required), any other is dispatched."""
    if appeal.state == State.OBJECTED:
        return objection_decide(actor=actor, appeal=appeal, unit=unit, reason=reason)
    return appeal_dispatch(actor=actor, appeal=appeal, lead_unit=unit, note=reason)


@transaction.atomic
def objection_decide(*, actor: Any, appeal: Appeal, unit: Unit, reason: str) -> Appeal:
    """The dispatcher settles a returned appeal by designating the responsible unit, which may be the same
    unit. A unit designated after such a dispute may not return it again (Weifang Art. 22)."""
    if not reason.strip():
        raise ValidationFailed(_("Say why this unit is responsible."), field="reason")
    if Appeal.objects.filter(pk=appeal.pk).values_list("state", flat=True).first() != State.OBJECTED:
        raise TransitionNotAllowed()
    return appeal_dispatch(actor=actor, appeal=appeal, lead_unit=unit, note=reason, designated=True)


def appeals_dispatch_many(*, actor: Any, appeals: list[Appeal], unit: Unit, note: str = "") -> list[tuple[Appeal, str]]:
    """Bulk dispatch from the dispatcher's inbox: each appeal in its own transaction, so one refusal (someone
    else was quicker, a returned appeal needing a reason) does not undo the others. Returns the refusals."""
    refused: list[tuple[Appeal, str]] = []
    for appeal in appeals:
        if appeal.state == State.OBJECTED:
            refused.append((appeal, str(_("A returned appeal needs a reason: settle it on its own page."))))
            continue
        try:
            appeal_dispatch(actor=actor, appeal=appeal, lead_unit=unit, note=note)
        except (PermissionDenied, ValidationFailed, TransitionNotAllowed) as error:
            refused.append((appeal, str(error.message)))
    return refused


@transaction.atomic
def units_consult(*, actor: Any, appeal: Appeal, units: list[Unit], question: str) -> list[UnitConsultation]:
    """Before dispatching a hard case, the dispatcher asks several units for their view on who should lead
    (consultation among units, 会商). The appeal stays with the dispatcher until it is dispatched."""
    locked = Appeal.objects.select_for_update(of=("self",)).select_related("area").get(pk=appeal.pk)
    if not can_dispatch(actor, locked):
        raise PermissionDenied()
    question = (question or "").strip()
    if not question:
        raise ValidationFailed(_("Say what the units should answer."), field="question")
    units = [unit for unit in dict.fromkeys(units) if unit.is_active]
    if not _within_reach(actor, units):
        raise ValidationFailed(_("This unit is outside your hotline centre's area."), field="units")
    if not units:
        raise ValidationFailed(_("Choose at least one unit to consult."), field="units")
    open_for = set(locked.consultations.filter(answered_at__isnull=True).values_list("unit_id", flat=True))
    now = clock.now()
    asked = [
        UnitConsultation.objects.create(appeal=locked, unit=unit, asked_by=actor, asked_at=now, question=question)
        for unit in units
        if unit.pk not in open_for
    ]
    transition(
        locked,
        action=Action.CONSULT,
        actor=actor,
        note=question,
        data={"units": [consultation.unit.code for consultation in asked]},
    )
    return asked


@transaction.atomic
def consultation_answer(*, actor: Any, consultation: UnitConsultation, view: str, answer: str) -> UnitConsultation:
    """A consulted unit gives its view (lead, help, or not ours) with its reasons."""
    locked_appeal = Appeal.objects.select_for_update(of=("self",)).get(pk=consultation.appeal_id)
    locked = UnitConsultation.objects.select_for_update().select_related("unit").get(pk=consultation.pk)
    if not acts_for_unit(actor, locked.unit):
        raise PermissionDenied()
    if locked.answered_at is not None:
        raise TransitionNotAllowed()
    if view not in ConsultationView.values:
        raise ValidationFailed(_("Choose your unit's view."), field="view")
    answer = (answer or "").strip()
    if not answer:
        raise ValidationFailed(_("Give your unit's reasons."), field="answer")
    locked.view, locked.answer, locked.answered_by, locked.answered_at = view, answer, actor, clock.now()
    locked.save()
    transition(
        locked_appeal,
        action=Action.CONSULT_ANSWER,
        actor=actor,
        unit=locked.unit,
        note=answer,
        data={"view": view, "consultation": locked.pk},
    )
    return locked
