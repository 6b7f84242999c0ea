"""Who may do what, as predicates, and the scope that filters every query for a person.

A person's scope is the union of the subtrees of the units and areas their roles are assigned to. Selectors
call ``scope_filter`` so that a person never receives a row outside it. Platform administrators (the
administrator role with no unit and no area) see everything."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeVar

from django.db.models import Model, Q, QuerySet

from .roles import Role

M = TypeVar("M", bound=Model)


@dataclass(frozen=True)
class Scope:
    everything: bool = False
    area_paths: tuple[str, ...] = ()
    unit_paths: tuple[str, ...] = ()

    @property
    def is_empty(self) -> bool:
        return not (self.everything or self.area_paths or self.unit_paths)


def scope_for(user: Any, *roles: str) -> Scope:
    """The scope of ``user`` through the given roles (all staff roles when none are named)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Scope()
    if user.is_superuser:
        return Scope(everything=True)
    cache_key = ("_scope_cache", tuple(sorted(roles)))
    cache: dict[tuple[str, tuple[str, ...]], Scope] = user.__dict__.setdefault("_scope_cache", {})
    if cache_key in cache:
        return cache[cache_key]
    # A page asks for several scopes (the dispatcher's, the leader's, the administrator's…): the person's staff
    # roles are read once, with their units' areas, and every scope is computed from them.
    assignments = user.__dict__.get("_staff_assignments")
    if assignments is None:
        assignments = list(user.role_assignments.select_related("unit__area", "area").exclude(role=Role.CITIZEN))
        user.__dict__["_staff_assignments"] = assignments
    everything = False
    area_paths: set[str] = set()
    unit_paths: set[str] = set()
    for assignment in assignments:
        if roles and assignment.role not in roles:
            continue
        if assignment.unit is None and assignment.area is None:
            if assignment.role == Role.ADMINISTRATOR:
                everything = True
            continue
        if assignment.unit is not None:
            unit_paths.add(assignment.unit.path)
            if assignment.role != Role.HANDLER:
                # Leaders, dispatchers and operators also see their unit's area.
                area_paths.add(assignment.unit.area.path)
        if assignment.area is not None:
            area_paths.add(assignment.area.path)
    scope = Scope(everything=everything, area_paths=tuple(sorted(area_paths)), unit_paths=tuple(sorted(unit_paths)))
    cache[cache_key] = scope
    return scope


def scope_filter(
    queryset: QuerySet[M],
    scope: Scope,
    *,
    area_path: str | None = None,
    unit_path: str | None = None,
) -> QuerySet[M]:
    """Rows whose area (through the lookup ``area_path``) or unit (through ``unit_path``) lies in the scope."""
    if scope.everything:
        return queryset
    condition = Q()
    if area_path:
        for path in scope.area_paths:
            condition |= Q(**{f"{area_path}__startswith": path})
    if unit_path:
        for path in scope.unit_paths:
            condition |= Q(**{f"{unit_path}__startswith": path})
    if not condition:
        return queryset.none()
    return queryset.filter(condition)


def is_platform_admin(user: Any) -> bool:
    return scope_for(user, Role.ADMINISTRATOR).everything


def can_administer(user: Any) -> bool:
    """May edit the organisation (within their scope)."""
    return bool(user.is_authenticated and (user.is_superuser or user.has_role(Role.ADMINISTRATOR)))


def can_read_audit(user: Any) -> bool:
    """The whole ledger names every actor and target, so only discipline inspectors and platform
    administrators read it (both sign in with two factors). Others will see the history of the objects they
    may see, through those objects' own pages."""
    return bool(user.is_authenticated and (user.has_role(Role.INSPECTOR) or is_platform_admin(user)))


def needs_two_factor(user: Any) -> bool:
    from django.conf import settings

    if not user.is_authenticated:
        return False
    return user.is_superuser or user.has_role(*settings.MASSLINE_TWO_FACTOR_REQUIRED_ROLES)
