"""Exporting the organisation as CSV, in the formats of ``org.csv_format``: exactly the columns the import
reads, so that exporting and importing the file again changes nothing.

Areas and categories are public. Units, the responsibility matrix and staff posts are scoped to ``user`` when
one is given (the admin page); the command line (``user=None``) is the operator and exports everything."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from decimal import Decimal
from typing import Any, TextIO

from django.db.models import Prefetch, QuerySet

from massline.accounts.permissions import scope_filter, scope_for

from ..csv_format import CO_UNIT_SEPARATOR, FORMATS, FORMULA_STARTS
from ..models import Area, Category, Post, ResponsibilityRule, Unit

_AREA_FIGURES = ("population", "households", "latitude", "longitude")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return str(value)


def _units(user: Any) -> QuerySet[Unit]:
    units = Unit.objects.select_related("parent", "area").order_by("path")
    if user is None:
        return units
    return scope_filter(units, scope_for(user), unit_path="path", area_path="area__path")


def _rules(user: Any) -> QuerySet[ResponsibilityRule]:
    rules = (
        ResponsibilityRule.objects.select_related("category", "area", "lead_unit")
        .prefetch_related(Prefetch("co_units", queryset=Unit.objects.order_by("code")))
        .order_by("category__path", "area__path")
    )
    if user is None:
        return rules
    return scope_filter(rules, scope_for(user), area_path="area__path", unit_path="lead_unit__path")


def _posts(user: Any) -> QuerySet[Post]:
    posts = (
        Post.objects.filter(ended_on__isnull=True)
        .select_related("user", "unit")
        .order_by("unit__path", "-is_head", "id")
    )
    if user is None:
        return posts
    return scope_filter(posts, scope_for(user), unit_path="unit__path", area_path="unit__area__path")


def org_csv_rows(*, kind: str, user: Any = None) -> Iterator[list[str]]:
    """The header and then one row per object, parents before children."""
    fmt = FORMATS[kind]
    yield list(fmt.columns)
    records: Iterator[dict[str, Any]]
    if kind == "areas":
        records = (
            {**_node(area), "kind": area.kind, **{name: getattr(area, name) for name in _AREA_FIGURES}}
            for area in Area.objects.select_related("parent").order_by("path")
        )
    elif kind == "units":
        records = (
            {
                **_node(unit),
                "kind": unit.kind,
                "area_code": unit.area.code,
                "phone": unit.phone,
                "address": unit.address,
            }
            for unit in _units(user)
        )
    elif kind == "categories":
        records = (
            {**_node(category), "description": category.description}
            for category in Category.objects.select_related("parent").order_by("path")
        )
    elif kind == "rules":
        records = (
            {
                "category_code": rule.category.code,
                "area_code": rule.area.code,
                "lead_unit_code": rule.lead_unit.code,
                "co_unit_codes": CO_UNIT_SEPARATOR.join(unit.code for unit in rule.co_units.all()),
                "note": rule.note,
            }
            for rule in _rules(user)
        )
    else:
        records = (
            {
                "username": post.user.get_username(),
                "unit_code": post.unit.code,
                "title_zh": post.title_zh,
                "title_en": post.title_en,
                "is_head": post.is_head,
            }
            for post in _posts(user)
        )
    for record in records:
        yield [_cell(record[column]) for column in fmt.columns]


def _node(node: Any) -> dict[str, Any]:
    return {
        "code": node.code,
        "parent_code": node.parent.code if node.parent is not None else "",
        "name_zh": node.name_zh,
        "name_en": node.name_en,
    }


def org_csv_export(*, kind: str, out: TextIO, user: Any = None) -> int:
    """Write the CSV file of ``kind`` to ``out``; return the number of data rows."""
    writer = csv.writer(out)
    count = -1
    for row in org_csv_rows(kind=kind, user=user):
        writer.writerow(row)
        count += 1
    return count
