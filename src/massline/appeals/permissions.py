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


def can_dispatch(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.has_role(Role.DISPATCHER))


def can_call_back(user: Any) -> bool:
    """Hotline operators record a citizen's rating by a callback (Beijing Art. 23)."""
    return bool(getattr(user, "is_authenticated", False) and user.has_role(Role.OPERATOR))


def can_review(user: Any, appeal: Any) -> bool:
    """A supervisor whose area covers the appeal's area (or the whole deployment)."""
    from massline.accounts.permissions import scope_for

    scope = scope_for(user, Role.SUPERVISOR)
    if scope.everything:
        return True
    area_path = appeal.area.path if appeal.area_id else ""
    return any(area_path.startswith(p) for p in scope.area_paths) or (not area_path and bool(scope.area_paths))
