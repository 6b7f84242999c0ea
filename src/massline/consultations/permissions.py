"""Who may do what with a matter. The owner unit's staff run it; its leader, the supervisors over its area and
the administrators sign what must be signed (the risk grade, the legality review, the meeting's result)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from massline.accounts.permissions import Scope, scope_filter, scope_for
from massline.accounts.roles import Role

RUNNING_ROLES = (Role.HANDLER, Role.UNIT_LEADER, Role.SUPERVISOR, Role.ADMINISTRATOR)
SIGNING_ROLES = (Role.UNIT_LEADER, Role.SUPERVISOR, Role.ADMINISTRATOR)


def _covers(scope: Scope, *, unit_path: str, area_path: str) -> bool:
    if scope.everything:
        return True
    return any(unit_path.startswith(path) for path in scope.unit_paths) or any(
        area_path.startswith(path) for path in scope.area_paths
    )


def may_run_for_unit(user: Any, unit: Any) -> bool:
    """May open and run matters owned by ``unit``."""
    return _covers(scope_for(user, *RUNNING_ROLES), unit_path=unit.path, area_path=unit.area.path)


def may_run(user: Any, matter: Any) -> bool:
    return _covers(scope_for(user, *RUNNING_ROLES), unit_path=matter.owner_unit.path, area_path=matter.area.path)


def may_sign(user: Any, matter: Any) -> bool:
    return _covers(scope_for(user, *SIGNING_ROLES), unit_path=matter.owner_unit.path, area_path=matter.area.path)


def runnable(user: Any, queryset: QuerySet[Any]) -> QuerySet[Any]:
    """The matters ``user`` runs: owned by a unit in their scope, or in an area in it."""
    return scope_filter(queryset, scope_for(user, *RUNNING_ROLES), area_path="area__path", unit_path="owner_unit__path")
