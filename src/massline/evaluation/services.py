"""Write use cases of evaluation: recomputing a month of scorecards from the case tables."""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection, transaction

from massline.appeals.choices import AssignmentRole, AssignmentState, Satisfaction
from massline.appeals.models import Appeal, Assignment
from massline.appeals.services.intake import active_policy
from massline.core import clock
from massline.org.models import Area, AreaLevel, Category

from .models import Dimension, ScorecardFill, ScorecardRow
from .months import month_bounds, month_start
from .rates import Weights, rates

logger = logging.getLogger(__name__)

# The counts read from the appeals of a month, in the order the queries return them.
APPEAL_COUNTS = (
    "received",
    "replied",
    "replied_on_time",
    "rated",
    "contacted",
    "solved",
    "satisfied",
    "basically_satisfied",
    "dissatisfied",
    "handling_seconds",
)
ASSIGNMENT_COUNTS = ("dispatched", "objections")
ALL_COUNTS = APPEAL_COUNTS + ASSIGNMENT_COUNTS
# Area × category rows go down to streets and townships; below that they would outnumber the appeals.
AREA_CATEGORY_MAX_LEVEL = AreaLevel.STREET

Key = tuple[int | None, int | None, int | None]  # (unit, area, category)


def _seconds_between(later: str, earlier: str) -> str:
    if connection.vendor == "postgresql":
        return f"EXTRACT(EPOCH FROM ({later} - {earlier}))"
    if connection.vendor == "sqlite":
        return f"((julianday({later}) - julianday({earlier})) * 86400.0)"
    raise NotImplementedError(f"scorecards support SQLite and PostgreSQL, not {connection.vendor}")


def _appeal_count_columns() -> tuple[str, list[Any]]:
    """The SELECT list of the appeal counts and its parameters. Follow-ups count only rated appeals, so the
    three rates share one denominator and stay between 0 and 1."""
    seconds = _seconds_between("a.replied_at", "a.received_at")
    sql = f"""
        COUNT(*),
        SUM(CASE WHEN a.replied_at IS NOT NULL THEN 1 ELSE 0 END),
        SUM(CASE WHEN a.replied_at IS NOT NULL AND a.due_at IS NOT NULL AND a.replied_at <= a.due_at
            THEN 1 ELSE 0 END),
        SUM(CASE WHEN a.satisfaction <> '' THEN 1 ELSE 0 END),
        SUM(CASE WHEN a.satisfaction <> '' AND a.contacted_at IS NOT NULL THEN 1 ELSE 0 END),
        SUM(CASE WHEN a.satisfaction <> '' AND a.solved = %s THEN 1 ELSE 0 END),
        SUM(CASE WHEN a.satisfaction = %s THEN 1 ELSE 0 END),
        SUM(CASE WHEN a.satisfaction = %s THEN 1 ELSE 0 END),
        SUM(CASE WHEN a.satisfaction = %s THEN 1 ELSE 0 END),
        COALESCE(SUM(CASE WHEN a.replied_at IS NOT NULL THEN {seconds} ELSE 0 END), 0)
    """
    params: list[Any] = [True, Satisfaction.SATISFIED, Satisfaction.BASICALLY, Satisfaction.DISSATISFIED]
    return sql, params


def _month_params(month: dt.date) -> list[Any]:
    start, end = month_bounds(month)
    adapt = connection.ops.adapt_datetimefield_value
    return [adapt(start), adapt(end)]


def _fetch(sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


def _as_counts(values: Iterable[Any]) -> list[int]:
    return [round(float(value or 0)) for value in values]


def _appeals_by_unit(month: dt.date) -> list[tuple[Any, ...]]:
    columns, params = _appeal_count_columns()
    sql = f"""
        SELECT a.lead_unit_id, {columns}
        FROM {Appeal._meta.db_table} a
        WHERE a.received_at >= %s AND a.received_at < %s AND a.lead_unit_id IS NOT NULL
        GROUP BY a.lead_unit_id
    """  # noqa: S608 — table names and expressions are ours; values go in as parameters
    return _fetch(sql, [*params, *_month_params(month)])


def _appeals_by_area_and_category(month: dt.date) -> list[tuple[Any, ...]]:
    columns, params = _appeal_count_columns()
    sql = f"""
        SELECT a.area_id, a.category_id, {columns}
        FROM {Appeal._meta.db_table} a
        WHERE a.received_at >= %s AND a.received_at < %s
        GROUP BY a.area_id, a.category_id
    """  # noqa: S608 — table names and expressions are ours; values go in as parameters
    return _fetch(sql, [*params, *_month_params(month)])


def _dispatches_by_unit(month: dt.date) -> list[tuple[Any, ...]]:
    """Every time the month's appeals were sent to a unit as lead, and how many of those it returned."""
    sql = f"""
        SELECT s.unit_id, COUNT(*), SUM(CASE WHEN s.state = %s THEN 1 ELSE 0 END)
        FROM {Assignment._meta.db_table} s
        JOIN {Appeal._meta.db_table} a ON a.id = s.appeal_id
        WHERE s.role = %s AND a.received_at >= %s AND a.received_at < %s
        GROUP BY s.unit_id
    """  # noqa: S608 — table names are ours; values go in as parameters
    return _fetch(sql, [AssignmentState.OBJECTED, AssignmentRole.LEAD, *_month_params(month)])


def _ancestor_chains(nodes: Iterable[tuple[int, str, str, int]]) -> tuple[dict[int, list[int]], dict[int, int]]:
    """For each node (id, code, path, level): the ids of the node and every ancestor, read off its materialised
    path; and each node's level."""
    rows = list(nodes)
    by_code = {code: node_id for node_id, code, _path, _level in rows}
    chains = {
        node_id: [by_code[code] for code in path.strip("/").split("/") if code in by_code]
        for node_id, _code, path, _level in rows
    }
    return chains, {node_id: level for node_id, _code, _path, level in rows}


def _add(target: dict[Key, list[int]], key: Key, values: Sequence[int], offset: int = 0) -> None:
    row = target.get(key)
    if row is None:
        row = target[key] = [0] * len(ALL_COUNTS)
    for index, value in enumerate(values):
        row[offset + index] += value


def _collect(month: dt.date) -> tuple[dict[str, dict[Key, list[int]]], int]:
    """The counts of every row of the month, by dimension, from three GROUP BY queries; areas and categories
    are rolled up their trees along the materialised paths (a district's row covers its streets)."""
    groups: dict[str, dict[Key, list[int]]] = {dimension: {} for dimension in Dimension.values}
    for unit_id, *values in _appeals_by_unit(month):
        _add(groups[Dimension.UNIT], (unit_id, None, None), _as_counts(values))
    offset = len(APPEAL_COUNTS)
    for unit_id, *values in _dispatches_by_unit(month):
        _add(groups[Dimension.UNIT], (unit_id, None, None), _as_counts(values), offset)

    leaves = _appeals_by_area_and_category(month)
    appeals = sum(int(row[2]) for row in leaves)
    area_chains, area_levels = _ancestor_chains(Area.objects.values_list("id", "code", "path", "level"))
    category_chains, _depths = _ancestor_chains(Category.objects.values_list("id", "code", "path", "depth"))
    for area_id, category_id, *raw in leaves:
        values = _as_counts(raw)
        areas = area_chains.get(area_id, []) if area_id is not None else []
        categories = category_chains.get(category_id, []) if category_id is not None else []
        for area in areas:
            _add(groups[Dimension.AREA], (None, area, None), values)
        for category in categories:
            _add(groups[Dimension.CATEGORY], (None, None, category), values)
        for area in areas:
            if area_levels[area] <= AREA_CATEGORY_MAX_LEVEL:
                for category in categories:
                    _add(groups[Dimension.AREA_CATEGORY], (None, area, category), values)
    return groups, appeals


@transaction.atomic
def scorecard_refresh(*, month: dt.date) -> ScorecardFill:
    """Recompute the scorecards of the appeals received in ``month`` and replace that month's rows, in one
    transaction, with the weights of the policy in force (Beijing regulation Art. 32: response, resolution
    and satisfaction rates are the core of the evaluation). Idempotent: the same data gives the same rows."""
    month = month_start(month)
    started = time.perf_counter()
    fill = ScorecardFill.objects.select_for_update().filter(month=month).first()  # one refresh of a month at a time
    policy = active_policy()
    weights = Weights.from_policy(policy)
    groups, appeals = _collect(month)

    ScorecardRow.objects.filter(month=month).delete()
    rows = []
    for dimension, keyed in groups.items():
        for (unit_id, area_id, category_id), values in keyed.items():
            counts = dict(zip(ALL_COUNTS, values, strict=True))
            rows.append(
                ScorecardRow(
                    month=month,
                    dimension=dimension,
                    unit_id=unit_id,
                    area_id=area_id,
                    category_id=category_id,
                    **counts,
                    **rates(counts, weights),
                )
            )
    ScorecardRow.objects.bulk_create(rows, batch_size=2000)

    fields = {
        "refreshed_at": clock.now(),
        "duration_seconds": time.perf_counter() - started,
        "rows": len(rows),
        "appeals": appeals,
        "policy_version": policy.version,
        "weights": weights.as_dict(),
    }
    if fill is None:
        fill = ScorecardFill.objects.create(month=month, **fields)
    else:
        for name, value in fields.items():
            setattr(fill, name, value)
        fill.save()
    logger.info("scorecards for %s: %d rows from %d appeals", f"{month:%Y-%m}", len(rows), appeals)
    return fill
