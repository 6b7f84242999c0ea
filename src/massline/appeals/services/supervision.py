"""Supervision orders (督办): a supervisor tells the responsible unit to act on an appeal by a deadline of its
own; the unit answers; the supervisor closes the order. Overdue orders are escalated by the deadline sweep."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from massline.core import clock
from massline.core.errors import PermissionDenied, ValidationFailed
from massline.org.calendar import WorkingCalendar

from ..choices import SupervisionState
from ..models import Appeal, SupervisionOrder
from ..permissions import acts_for_unit, can_supervise
from ..transitions import Action, TransitionNotAllowed, side_actions, transition
from .casework import _locked, _text


@transaction.atomic
def supervision_order_issue(
    *, actor: Any, appeal: Appeal, instruction: str, working_days: int | None = None
) -> SupervisionOrder:
    """Issue a supervision order to the appeal's lead unit, due in the policy's working days unless given."""
    locked = _locked(appeal)
    if not can_supervise(actor, locked):
        raise PermissionDenied()
    if locked.lead_unit is None or locked.state not in side_actions().get(Action.SUPERVISE, ()):
        raise ValidationFailed(_("Only an appeal that a unit is handling can be supervised."), code="not_handled")
    text = _text(instruction, field="instruction", message=_("Write what the unit must do."))
    days = int(working_days if working_days is not None else locked.policy.rule("supervision_working_days"))
    if days < 1 or days > 60:
        raise ValidationFailed(_("Give between 1 and 60 working days."), field="working_days")
    now = clock.now()
    order = SupervisionOrder.objects.create(
        appeal=locked,
        unit=locked.lead_unit,
        issued_by=actor,
        issued_at=now,
        instruction=text,
        due_at=WorkingCalendar().add_working_days(now, days),
    )
    transition(
        locked,
        action=Action.SUPERVISE,
        actor=actor,
        unit=locked.lead_unit,
        note=text,
        data={"order": order.pk, "due_at": order.due_at.isoformat()},
    )
    return order


@transaction.atomic
def supervision_order_answer(*, actor: Any, order: SupervisionOrder, response: str) -> SupervisionOrder:
    """The supervised unit says what it has done."""
    locked_appeal = _locked(order.appeal)
    locked = SupervisionOrder.objects.select_for_update().select_related("unit").get(pk=order.pk)
    if not acts_for_unit(actor, locked.unit):
        raise PermissionDenied()
    if locked.state != SupervisionState.OPEN:
        raise TransitionNotAllowed()
    locked.response = _text(response, field="response", message=_("Write what your unit has done."))
    locked.state, locked.responded_by, locked.responded_at = SupervisionState.ANSWERED, actor, clock.now()
    locked.save()
    transition(
        locked_appeal,
        action=Action.ANSWER_SUPERVISION,
        actor=actor,
        unit=locked.unit,
        note=locked.response,
        data={"order": locked.pk, "on_time": locked.responded_at <= locked.due_at},
    )
    return locked


@transaction.atomic
def supervision_order_close(*, actor: Any, order: SupervisionOrder, reason: str = "") -> SupervisionOrder:
    """The supervisor closes an order, answered or not, with a reason when it was not answered."""
    locked_appeal = _locked(order.appeal)
    locked = SupervisionOrder.objects.select_for_update().get(pk=order.pk)
    if not can_supervise(actor, locked_appeal):
        raise PermissionDenied()
    if locked.state == SupervisionState.CLOSED:
        raise TransitionNotAllowed()
    why = (reason or "").strip()
    if locked.state == SupervisionState.OPEN and not why:
        raise ValidationFailed(_("The unit has not answered: say why the order is closed."), field="reason")
    locked.state = SupervisionState.CLOSED
    locked.save(update_fields=["state"])
    transition(
        locked_appeal,
        action=Action.ANSWER_SUPERVISION,
        actor=actor,
        unit=locked.unit,
        note=why,
        reason=why,
        data={"order": locked.pk, "closed": True},
    )
    return locked
