"""Who may act on an appeal, as predicates. Every one reads the person's scope through
``accounts.permissions.scope_for`` (cached per request), so no predicate queries role assignments again."""

from __future__ import annotations

from typing import Any

from massline.accounts.permissions import Scope, scope_for
from massline.accounts.roles import Role

# Area paths with at most this many levels (province/, province/city/) are city-wide centres.
CENTRE_DEPTH = 2


def unit_paths(user: Any) -> tuple[str, ...]:
    """The units ``user`` handles appeals for (as handler or unit leader), each with the units below it."""
    return scope_for(user, Role.HANDLER, Role.UNIT_LEADER).unit_paths


def acts_for_unit(user: Any, unit: Any) -> bool:
    """A handler or unit leader of ``unit`` or of a unit above it."""
    return unit is not None and any(unit.path.startswith(path) for path in unit_paths(user))


def covers_appeal_area(scope: Scope, appeal: Any) -> bool:
    """Whether an area scope reaches the appeal (or anything with an ``area``, such as a hot issue). One with no
    area belongs to city-wide scopes only."""
    if scope.everything:
        return True
    if appeal.area_id is None:
        return any(path.count("/") <= CENTRE_DEPTH for path in scope.area_paths)
    return any(appeal.area.path.startswith(path) for path in scope.area_paths)


def hotline_covers(user: Any, appeal: Any, *roles: str) -> bool:
    """Whether ``user`` holds one of the hotline ``roles`` (operator, dispatcher) over the appeal's area."""
    return covers_appeal_area(scope_for(user, *(roles or (Role.OPERATOR, Role.DISPATCHER))), appeal)


def can_dispatch(user: Any, appeal: Any = None) -> bool:
    """A dispatcher whose centre covers the appeal's area."""
    if not (getattr(user, "is_authenticated", False) and user.has_role(Role.DISPATCHER)):
        return False
    return appeal is None or hotline_covers(user, appeal, Role.DISPATCHER)


def can_call_back(user: Any, appeal: Any = None) -> bool:
    """Hotline operators of the appeal's centre record a citizen's rating by a callback (Beijing Art. 23)."""
    if not (getattr(user, "is_authenticated", False) and user.has_role(Role.OPERATOR)):
        return False
    return appeal is None or hotline_covers(user, appeal, Role.OPERATOR)


def can_review(user: Any, appeal: Any) -> bool:
    """A supervisor whose area covers the appeal's area (or the whole deployment)."""
    return covers_appeal_area(scope_for(user, Role.SUPERVISOR), appeal)


def leads_unit(user: Any, unit: Any) -> bool:
    """A unit leader of ``unit`` or of a unit above it."""
    paths = scope_for(user, Role.UNIT_LEADER).unit_paths
    return unit is not None and any(unit.path.startswith(path) for path in paths)


def can_decide_extension(user: Any, appeal: Any) -> bool:
    """The lead unit's leader, or a dispatcher of the hotline centre covering the appeal."""
    return leads_unit(user, appeal.lead_unit) or can_dispatch(user, appeal)


def can_supervise(user: Any, appeal: Any) -> bool:
    """Supervisors issue supervision orders (督办) on appeals in their area."""
    return can_review(user, appeal)


def can_see_internal(user: Any, appeal: Any) -> bool:
    """Whoever works the case: its hotline centre, its units (lead, co-unit or copy), its supervisors."""
    if not getattr(user, "is_authenticated", False):
        return False
    if hotline_covers(user, appeal) or can_review(user, appeal):
        return True
    paths = unit_paths(user)
    if not paths:
        return False
    return any(
        unit_path.startswith(path)
        for unit_path in appeal.assignments.values_list("unit__path", flat=True)
        for path in paths
    )
