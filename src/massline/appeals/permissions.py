"""Who may act on an appeal, as predicates."""

from __future__ import annotations

from typing import Any

from massline.accounts.roles import Role


def _units_of(user: Any, *roles: str) -> list[str]:
    if not getattr(user, "is_authenticated", False):
        return []
    return [
        a.unit.path for a in user.role_assignments.select_related("unit").filter(role__in=roles) if a.unit is not None
    ]


def acts_for_unit(user: Any, unit: Any) -> bool:
    """A handler or unit leader of ``unit`` or of a unit above it."""
    return unit is not None and any(unit.path.startswith(p) for p in _units_of(user, Role.HANDLER, Role.UNIT_LEADER))


def hotline_covers(user: Any, appeal: Any, *roles: str) -> bool:
    """Whether ``user`` holds one of the hotline ``roles`` (operator, dispatcher) over the appeal's area. An
    appeal with no area belongs to the city-level (or wider) centres only."""
    from massline.accounts.permissions import scope_for

    if not getattr(user, "is_authenticated", False):
        return False
    scope = scope_for(user, *(roles or (Role.OPERATOR, Role.DISPATCHER)))
    if scope.everything:
        return True
    if appeal.area_id is None:
        return any(path.count("/") <= CENTRE_DEPTH for path in scope.area_paths)
    return any(appeal.area.path.startswith(path) for path in scope.area_paths)


# Area paths with at most this many levels (province/, province/city/) are city-wide centres.
CENTRE_DEPTH = 2


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
    from massline.accounts.permissions import scope_for

    scope = scope_for(user, Role.SUPERVISOR)
    if scope.everything:
        return True
    if appeal.area_id is None:
        return any(path.count("/") <= CENTRE_DEPTH for path in scope.area_paths)
    return any(appeal.area.path.startswith(p) for p in scope.area_paths)
