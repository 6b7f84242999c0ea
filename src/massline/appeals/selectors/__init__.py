"""Read use cases for staff, always scoped to the requesting person.

- Hotline operators and dispatchers see every appeal (they take and route them).
- Handlers and unit leaders see the appeals assigned to their unit (or units below it).
- Supervisors see the appeals in their area. Platform administrators see everything.
- The citizen's contact details are read only through ``contact_for``: operators and dispatchers see them;
  the handling unit sees them only when the citizen did not ask for confidentiality (Beijing regulation Art. 8;
  信访工作条例 Art. 46: never pass a reporter's materials to the person reported)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from massline.accounts.permissions import is_platform_admin, scope_for
from massline.accounts.roles import Role

from ..choices import AssignmentState
from ..models import Appeal, AppealContact
from ..permissions import CENTRE_DEPTH, acts_for_unit, hotline_covers, unit_paths
from ..transitions import Group, State

QUEUES = ("dispatch", "unit", "handling", "review", "answered")


def _area_condition(paths: tuple[str, ...]) -> Q:
    """Appeals in these areas; appeals with no area when one of the paths is a city-wide (or wider) centre."""
    condition = Q()
    for path in paths:
        condition |= Q(area__path__startswith=path)
    if any(path.count("/") <= CENTRE_DEPTH for path in paths):
        condition |= Q(area__isnull=True)
    return condition


def appeal_list(*, user: Any) -> QuerySet[Appeal]:
    """Every appeal ``user`` may see: a hotline centre's appeals, a unit's current assignments, a
    supervisor's area; everything for platform administrators."""
    appeals = Appeal.objects.select_related("lead_unit", "category", "area")
    if not getattr(user, "is_authenticated", False):
        return appeals.none()
    if is_platform_admin(user):
        return appeals
    condition = Q()
    for roles in ((Role.OPERATOR, Role.DISPATCHER), (Role.SUPERVISOR,)):
        scope = scope_for(user, *roles)
        if scope.everything:
            return appeals
        if scope.area_paths:
            condition |= _area_condition(scope.area_paths)
    current = [
        AssignmentState.PENDING,
        AssignmentState.ACCEPTED,
    ]  # a unit that returned it or was replaced no longer reads it
    for path in unit_paths(user):
        condition |= Q(assignments__unit__path__startswith=path, assignments__state__in=current)
    if not condition:
        return appeals.none()
    return appeals.filter(condition).distinct()


def appeal_queue(*, user: Any, queue: str) -> QuerySet[Appeal]:
    """One of the work queues, oldest deadline first."""
    appeals = appeal_list(user=user)
    if queue == "dispatch":
        # Received appeals are routed within seconds; one still here did not route and needs a person.
        return appeals.filter(state__in=[State.RECEIVED, State.PENDING_DISPATCH, State.OBJECTED]).order_by(
            "received_at"
        )
    if queue == "review":
        return appeals.filter(state=State.UNDER_REVIEW).order_by("received_at")
    if queue == "answered":
        return appeals.filter(state_group=Group.RESOLVED).order_by("-replied_at")
    paths = unit_paths(user)
    if not paths:
        return appeals.none()
    mine = Q()
    for path in paths:
        mine |= Q(lead_unit__path__startswith=path)
    state = State.DISPATCHED if queue == "unit" else State.IN_PROGRESS
    return appeals.filter(mine, state=state).order_by("due_at")


def appeal_for_staff(*, user: Any, code: str) -> Appeal | None:
    return appeal_list(user=user).filter(tracking_code=code.upper()).first()


def contact_for(*, user: Any, appeal: Appeal) -> AppealContact | None:
    """The citizen's contact details, or None when ``user`` may not see them."""
    if appeal.anonymous:
        return None
    allowed = (
        is_platform_admin(user)
        or hotline_covers(user, appeal)
        or (not appeal.contact_confidential and acts_for_unit(user, appeal.lead_unit))
    )
    if not allowed:
        return None
    return AppealContact.objects.filter(appeal=appeal).first()


def queues_for(user: Any) -> list[str]:
    """The queues worth showing to ``user``, in the order they work them."""
    shown = []
    if user.has_role(Role.DISPATCHER) or is_platform_admin(user):
        shown.append("dispatch")
    if unit_paths(user):
        shown += ["unit", "handling"]
    if user.has_role(Role.SUPERVISOR) or is_platform_admin(user):
        shown.append("review")
    shown.append("answered")
    return shown
