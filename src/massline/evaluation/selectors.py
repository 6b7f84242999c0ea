"""Read use cases of evaluation. Everything here reads the pre-aggregated scorecard tables and the
organisation, never the case table (STYLE.md §8), and nothing here carries personal data."""

from __future__ import annotations

import datetime as dt

from django.db.models import F, QuerySet

from massline.appeals.models import AppealPolicy, default_rules
from massline.org.models import Area, AreaLevel, Unit

from .models import Dimension, ScorecardFill, ScorecardRow
from .months import add_months, month_bounds
from .rates import Weights

# What a list may be sorted by: the public name of the sort → the row field.
SORTS = {
    "composite": "composite_score",
    "response": "response_rate",
    "resolution": "resolution_rate",
    "satisfaction": "satisfaction_rate",
    "on_time": "on_time_rate",
    "objections": "objection_rate",
    "handling": "average_handling_seconds",
    "received": "received",
    "rated": "rated",
    "name": "unit__path",
}
DEFAULT_SORT = "composite"
TREND_MONTHS = 12


def scorecard_months() -> list[dt.date]:
    """The months that have been computed, newest first."""
    return list(ScorecardFill.objects.order_by("-month").values_list("month", flat=True))


def scorecard_fill(*, month: dt.date) -> ScorecardFill | None:
    return ScorecardFill.objects.filter(month=month).first()


def scorecard_default_month() -> dt.date | None:
    """The latest month whose data is complete: refreshed after the month ended. Before any month is
    complete, the latest month computed."""
    fills = list(ScorecardFill.objects.order_by("-month").only("month", "refreshed_at")[:3])
    for fill in fills:
        if fill.refreshed_at >= month_bounds(fill.month)[1]:
            return fill.month
    return fills[0].month if fills else None


def _ordered(rows: QuerySet[ScorecardRow], sort: str, descending: bool) -> QuerySet[ScorecardRow]:
    field = F(SORTS.get(sort, SORTS[DEFAULT_SORT]))
    primary = field.desc(nulls_last=True) if descending else field.asc(nulls_last=True)
    return rows.order_by(primary, "-rated", "pk")


def unit_scorecards(*, month: dt.date, sort: str = DEFAULT_SORT, descending: bool = True) -> QuerySet[ScorecardRow]:
    rows = ScorecardRow.objects.filter(month=month, dimension=Dimension.UNIT).select_related("unit")
    return _ordered(rows, sort, descending)


def unit_trend(*, unit: Unit, month: dt.date, months: int = TREND_MONTHS) -> list[tuple[dt.date, ScorecardRow | None]]:
    """The unit's rows for the ``months`` months ending with ``month``, oldest first; None where it had none."""
    first = add_months(month, -(months - 1))
    found = {
        row.month: row
        for row in ScorecardRow.objects.filter(dimension=Dimension.UNIT, unit=unit, month__gte=first, month__lte=month)
    }
    return [(add_months(first, step), found.get(add_months(first, step))) for step in range(months)]


def street_ranking(*, month: dt.date) -> list[tuple[int | None, ScorecardRow]]:
    """The monthly ranking of streets and townships by composite score (Beijing practice): rank 1 is best;
    equal scores share a rank; areas without rated appeals are listed last, unranked."""
    rows = _ordered(
        ScorecardRow.objects.filter(month=month, dimension=Dimension.AREA, area__level=AreaLevel.STREET).select_related(
            "area__parent"
        ),
        "composite",
        descending=True,
    )
    ranked: list[tuple[int | None, ScorecardRow]] = []
    previous: float | None = None
    rank = 0
    for position, row in enumerate(rows, start=1):
        if row.composite_score is None:
            ranked.append((None, row))
            continue
        if previous is None or round(row.composite_score, 9) != round(previous, 9):
            rank = position
        previous = row.composite_score
        ranked.append((rank, row))
    return ranked


def category_areas(*, month: dt.date) -> list[Area]:
    """The areas down to streets that received appeals in the month, in tree order."""
    return [
        row.area
        for row in ScorecardRow.objects.filter(month=month, dimension=Dimension.AREA, area__level__lte=AreaLevel.STREET)
        .select_related("area")
        .order_by("area__path")
        if row.area is not None
    ]


def busiest_categories(*, month: dt.date, area: Area | None, limit: int = 20) -> QuerySet[ScorecardRow]:
    """The categories with most appeals in ``area`` (or, without an area, in the whole catalogue)."""
    if area is None:
        rows = ScorecardRow.objects.filter(month=month, dimension=Dimension.CATEGORY)
    else:
        rows = ScorecardRow.objects.filter(month=month, dimension=Dimension.AREA_CATEGORY, area=area)
    return rows.select_related("category__parent").order_by("-received", "category__path")[:limit]


def scorecard_weights() -> dict[str, float]:
    """The weights used for the latest month computed, or the policy defaults before any."""
    fill = ScorecardFill.objects.order_by("-month").only("weights").first()
    if fill is not None and fill.weights:
        return dict(fill.weights)
    return Weights.from_policy(AppealPolicy(rules=default_rules())).as_dict()
