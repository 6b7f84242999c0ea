"""Read use cases for the organisation, scoped to the requesting person where the data is not public.

The administrative tree, the public list of units and the category catalogue are public information. Staff
posts and role assignments are not: they are filtered by the person's scope."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, QuerySet

from massline.accounts.permissions import scope_filter, scope_for
from massline.core.memo import Memo

from ..models import Area, AreaLevel, Category, Post, ResponsibilityRule, Unit


def area_children(*, parent: Area | None) -> QuerySet[Area]:
    return Area.objects.filter(parent=parent, is_active=True).order_by("code")


def area_ancestors(area: Area) -> list[Area]:
    """The area and every area above it, from the top down, in one query."""
    codes = [part for part in area.path.split("/") if part]
    by_code = {a.code: a for a in Area.objects.filter(code__in=codes)}
    return [by_code[code] for code in codes if code in by_code]


def unit_list(*, user: Any = None, public: bool = False) -> QuerySet[Unit]:
    """Units visible to ``user``: all active units for the public directory, else those in the person's scope."""
    units = Unit.objects.select_related("area", "parent").filter(is_active=True)
    if public:
        return units
    return scope_filter(units, scope_for(user), unit_path="path", area_path="area__path")


def post_list(*, user: Any) -> QuerySet[Post]:
    posts = Post.objects.select_related("user", "unit", "unit__area")
    return scope_filter(posts, scope_for(user), unit_path="unit__path", area_path="unit__area__path")


def rule_list(*, user: Any) -> QuerySet[ResponsibilityRule]:
    rules = ResponsibilityRule.objects.select_related("category", "area", "lead_unit").prefetch_related("co_units")
    return scope_filter(rules, scope_for(user), area_path="area__path", unit_path="lead_unit__path")


@dataclass(frozen=True)
class Responsibility:
    rule: ResponsibilityRule
    lead_unit: Unit
    co_units: list[Unit]


_MATRIX: Memo[dict[tuple[str, str], Responsibility]] = Memo("org.responsibility").invalidated_by(
    ResponsibilityRule, Unit, Area, Category
)
_BY_CODE: Memo[Any] = Memo("org.by_code", maxsize=100_000).invalidated_by(Area, Category)


def responsibility_for(*, category: Category, area: Area) -> Responsibility | None:
    """Who leads on ``category`` in ``area``: the rule for the deepest category on the category's path, and
    for that category the deepest area on the area's path. None when the matrix has no answer. The whole
    matrix is read once and remembered for ``MASSLINE_MEMO_SECONDS`` (``core.memo``): routing asks for every
    appeal."""
    matrix = _MATRIX.get("all", _read_matrix)
    category_codes = [c for c in category.path.split("/") if c]
    area_codes = [a for a in area.path.split("/") if a]
    for category_code in reversed(category_codes):  # the deepest category with any rule on the area's path
        for area_code in reversed(area_codes):  # and for it, the deepest area
            found = matrix.get((category_code, area_code))
            if found is not None:
                return found
    return None


def _read_matrix() -> dict[tuple[str, str], Responsibility]:
    rules = ResponsibilityRule.objects.select_related("category", "area", "lead_unit__area").prefetch_related(
        "co_units"
    )
    return {
        (rule.category.code, rule.area.code): Responsibility(
            rule=rule, lead_unit=rule.lead_unit, co_units=list(rule.co_units.all())
        )
        for rule in rules
    }


def active_area_by_code(code: str) -> Area | None:
    """The active place with this code (remembered, see ``core.memo``): intake resolves one per submission."""
    return _BY_CODE.get(("area", code), lambda: Area.objects.filter(code=code, is_active=True).first())


def active_category_by_code(code: str) -> Category | None:
    """The active topic with this code (remembered, see ``core.memo``)."""
    return _BY_CODE.get(("category", code), lambda: Category.objects.filter(code=code, is_active=True).first())


def category_tree() -> list[Category]:
    return list(Category.objects.filter(is_active=True).order_by("path"))


def area_public_summary() -> dict[str, int]:
    """How many areas of each level and how many units the deployment has (for the home page)."""
    counts = dict(
        Area.objects.filter(is_active=True).values_list("level").annotate(n=Count("id")).values_list("level", "n")
    )
    return {
        "districts": counts.get(AreaLevel.DISTRICT, 0),
        "streets": counts.get(AreaLevel.STREET, 0),
        "communities": counts.get(AreaLevel.COMMUNITY, 0),
        "units": Unit.objects.filter(is_active=True).count(),
        "categories": Category.objects.filter(is_active=True).count(),
    }
