"""The staff work queues, as data: each queue says who sees it, which appeals it holds and in what order.
Every queue starts from ``appeal_list`` (what the user may see) and is read with keyset pagination on its
order, so that a page stays fast at millions of appeals."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from massline.accounts.permissions import is_platform_admin
from massline.accounts.roles import Role
from massline.core import clock

from ..choices import ExtensionState, SupervisionState
from ..models import Appeal, Extension, SupervisionOrder, UnitConsultation
from ..permissions import unit_paths
from ..transitions import RUNNING_DEADLINE, Group, State


def _mine(user: Any) -> Q:
    """Appeals led by the user's units (or units below them)."""
    condition = Q(pk__in=[])
    for path in unit_paths(user):
        condition |= Q(lead_unit__path__startswith=path)
    return condition


def _my_units(user: Any) -> Any:
    from massline.org.models import Unit

    condition = Q(pk__in=[])
    for path in unit_paths(user):
        condition |= Q(path__startswith=path)
    return Unit.objects.filter(condition).values("pk")


def _is_unit(user: Any) -> bool:
    return bool(unit_paths(user))


def _is_dispatcher(user: Any) -> bool:
    return user.has_role(Role.DISPATCHER) or is_platform_admin(user)


def _is_supervisor(user: Any) -> bool:
    return user.has_role(Role.SUPERVISOR) or is_platform_admin(user)


def _is_operator(user: Any) -> bool:
    return user.has_role(Role.OPERATOR) or is_platform_admin(user)


def _is_leader_or_dispatcher(user: Any) -> bool:
    return user.has_role(Role.UNIT_LEADER) or _is_dispatcher(user)


def _own_or_all(user: Any, appeals: QuerySet[Appeal]) -> QuerySet[Appeal]:
    """Unit people see their own units' appeals; hotline and supervisors see what their area covers."""
    if _is_dispatcher(user) or _is_supervisor(user) or user.has_role(Role.OPERATOR):
        return appeals
    return appeals.filter(_mine(user))


def _policy_rule(name: str) -> int:
    """A number from the policy in force; queues use it for every appeal (older versions rarely differ)."""
    from ..services.intake import active_policy

    return int(active_policy().rule(name))


@dataclass(frozen=True)
class Queue:
    name: str
    label: Any
    shown_to: Callable[[Any], bool]
    select: Callable[[Any, QuerySet[Appeal], dt.datetime], QuerySet[Appeal]]
    order: str  # a non-null field of the appeal; "-" for newest first


QUEUES: tuple[Queue, ...] = (
    Queue(
        "dispatch",
        _("To dispatch"),
        _is_dispatcher,
        # Received appeals route within seconds; one still here did not route and needs a person.
        lambda user, appeals, now: appeals.filter(state__in=[State.RECEIVED, State.PENDING_DISPATCH, State.OBJECTED]),
        "received_at",
    ),
    Queue(
        "unit",
        _("To accept"),
        _is_unit,
        lambda user, appeals, now: appeals.filter(_mine(user), state=State.DISPATCHED),
        "due_at",
    ),
    Queue(
        "handling",
        _("Being handled"),
        _is_unit,
        lambda user, appeals, now: appeals.filter(_mine(user), state=State.IN_PROGRESS),
        "due_at",
    ),
    Queue(
        "consult",
        _("Asked for our view"),
        _is_unit,
        lambda user, appeals, now: appeals.filter(
            pk__in=UnitConsultation.objects.filter(answered_at__isnull=True, unit__in=_my_units(user)).values(
                "appeal_id"
            )
        ),
        "received_at",
    ),
    Queue(
        "due_soon",
        _("Due soon"),
        lambda user: True,
        lambda user, appeals, now: _own_or_all(user, appeals).filter(
            RUNNING_DEADLINE, warned_at__isnull=False, due_at__gt=now
        ),
        "due_at",
    ),
    Queue(
        "overdue",
        _("Overdue"),
        lambda user: True,
        lambda user, appeals, now: _own_or_all(user, appeals).filter(RUNNING_DEADLINE, due_at__lte=now),
        "due_at",
    ),
    Queue(
        "reopened",
        _("Reopened"),
        lambda user: True,
        lambda user, appeals, now: _own_or_all(user, appeals).filter(state=State.IN_PROGRESS, round__gt=1),
        "due_at",
    ),
    Queue(
        "extensions",
        _("Extensions to decide"),
        _is_leader_or_dispatcher,
        # The few appeals with a pending request, found first (an EXISTS per appeal made SQLite read every
        # appeal in scope); the same for open consultations and supervision orders.
        lambda user, appeals, now: appeals.filter(
            pk__in=Extension.objects.filter(state=ExtensionState.PENDING).values("appeal_id")
        ),
        "due_at",
    ),
    Queue(
        "supervision",
        _("Supervision orders"),
        lambda user: True,
        lambda user, appeals, now: _own_or_all(user, appeals).filter(
            pk__in=SupervisionOrder.objects.filter(state=SupervisionState.OPEN).values("appeal_id")
        ),
        "received_at",
    ),
    Queue(
        "review",
        _("To review"),
        _is_supervisor,
        # After the last round, and appeals pushed around too often (the policy's bounce limit).
        lambda user, appeals, now: appeals.filter(
            Q(state=State.UNDER_REVIEW) | Q(bounce_count__gte=_policy_rule("bounce_limit"), state_group=Group.OPEN)
        ),
        "received_at",
    ),
    Queue(
        "callbacks",
        _("Callbacks due"),
        _is_operator,
        # Not rated within the rating window: the centre calls the citizen back (Beijing Art. 23).
        lambda user, appeals, now: appeals.filter(
            state=State.REPLIED, replied_at__lte=now - dt.timedelta(days=_policy_rule("rating_calendar_days"))
        ),
        "replied_at",
    ),
    Queue(
        "answered",
        _("Answered, awaiting rating"),
        lambda user: True,
        lambda user, appeals, now: _own_or_all(user, appeals).filter(state_group=Group.RESOLVED),
        "-replied_at",
    ),
)
BY_NAME = {queue.name: queue for queue in QUEUES}


def queues_for(user: Any) -> list[str]:
    """The queues worth showing to ``user``, in the order they work them."""
    return [queue.name for queue in QUEUES if queue.shown_to(user)]


def appeal_queue(*, user: Any, queue: str, now: dt.datetime | None = None) -> QuerySet[Appeal]:
    """One queue for ``user``, in its order (ties broken by id)."""
    from . import appeal_list

    definition = BY_NAME[queue]
    appeals = definition.select(user, appeal_list(user=user), now or clock.now())
    field = definition.order.lstrip("-")
    appeals = appeals.filter(**{f"{field}__isnull": False})
    if definition.order.startswith("-"):
        return appeals.order_by(f"-{field}", "-pk")
    return appeals.order_by(field, "pk")


def queue_order(queue: str) -> str:
    return BY_NAME[queue].order
