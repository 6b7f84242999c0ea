"""Public scorecard pages: units and their three rates, one unit's year, the monthly ranking of streets and
townships, and the busiest categories by area. Open to everyone, read from the pre-aggregated tables only,
and free of personal data: they show counts and rates, never a case or a person."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from massline.org.models import Area, Unit

from .. import selectors
from ..charts import Series, percent_line_chart
from ..months import month_bounds, parse_month
from . import tables
from .tables import COUNT, HOURS, RATE, Cell, Column, Table

PAGE_SIZE = 100

RATE_COLUMNS = [
    Column(gettext_lazy("Response rate"), RATE, "response"),
    Column(gettext_lazy("Resolution rate"), RATE, "resolution"),
    Column(gettext_lazy("Satisfaction rate"), RATE, "satisfaction"),
    Column(gettext_lazy("Composite score"), RATE, "composite"),
]


def _rate_cells(row: Any) -> list[tables.Cell]:
    return [
        tables.rate(row.response_rate),
        tables.rate(row.resolution_rate),
        tables.rate(row.satisfaction_rate),
        tables.rate(row.composite_score),
    ]


def _month_context(request: HttpRequest) -> dict[str, Any]:
    """The month asked for (``?month=YYYY-MM``) when it has been computed, else the latest complete one."""
    months = selectors.scorecard_months()
    month: dt.date | None = None
    try:
        asked = parse_month(request.GET.get("month", ""))
    except ValueError:
        asked = None
    if asked in months:
        month = asked
    if month is None:
        month = selectors.scorecard_default_month()
    fill = selectors.scorecard_fill(month=month) if month else None
    return {
        "months": months,
        "month": month,
        "month_key": f"{month:%Y-%m}" if month else "",
        "fill": fill,
        "month_complete": bool(fill and fill.refreshed_at >= month_bounds(fill.month)[1]),
    }


def _headers(request: HttpRequest, columns: list[Column], sort: str, descending: bool) -> list[dict[str, Any]]:
    headers = []
    for column in columns:
        header: dict[str, Any] = {"label": column.label, "numeric": column.numeric, "url": "", "aria_sort": ""}
        if column.sort:
            active = column.sort == sort
            next_order = "asc" if active and descending else "desc"
            query = request.GET.copy()
            query.pop("page", None)
            query["sort"], query["order"] = column.sort, next_order
            header["url"] = "?" + query.urlencode()
            if active:
                header["aria_sort"] = "descending" if descending else "ascending"
        headers.append(header)
    return headers


def _render_or_export(
    request: HttpRequest, template: str, context: dict[str, Any], table: Table, *, filename: str, sheet: str
) -> HttpResponse:
    download = tables.export_response(request, table, filename=filename, sheet=sheet)
    if download is not None:
        return download
    links = []
    for fmt, label in (("csv", _("Download CSV")), ("xlsx", _("Download Excel (XLSX)"))):
        query = request.GET.copy()
        query.pop("page", None)
        query["format"] = fmt
        links.append((label, "?" + query.urlencode()))
    context["export_links"] = links
    return render(request, template, context)


def unit_list(request: HttpRequest) -> HttpResponse:
    context = _month_context(request)
    sort = request.GET.get("sort", selectors.DEFAULT_SORT)
    if sort not in selectors.SORTS:
        sort = selectors.DEFAULT_SORT
    descending = request.GET.get("order", "desc") != "asc"
    columns = [
        Column(gettext_lazy("Unit"), sort="name"),
        Column(gettext_lazy("Appeals received"), COUNT, "received"),
        Column(gettext_lazy("Valid follow-ups"), COUNT, "rated"),
        *RATE_COLUMNS,
        Column(gettext_lazy("On-time rate"), RATE, "on_time"),
        Column(gettext_lazy("Objection rate"), RATE, "objections"),
        Column(gettext_lazy("Average handling time (hours)"), HOURS, "handling"),
    ]
    table = Table(columns)
    month = context["month"]
    rows = selectors.unit_scorecards(month=month, sort=sort, descending=descending) if month else None
    exporting = request.GET.get("format") in tables.EXPORT_FORMATS
    page = None
    if rows is not None:
        if exporting:
            shown = list(rows)
        else:
            page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
            shown = list(page.object_list)
        for row in shown:
            if row.unit is None:
                continue
            link = reverse("evaluation:unit", args=[row.unit.code]) + "?" + urlencode({"month": context["month_key"]})
            table.add(
                tables.text(row.unit.label, link),
                tables.count(row.received),
                tables.count(row.rated),
                *_rate_cells(row),
                tables.rate(row.on_time_rate),
                tables.rate(row.objection_rate),
                tables.hours(row.average_handling_seconds),
            )
    context.update(
        {"table": table, "headers": _headers(request, columns, sort, descending), "page": page, "current": "units"}
    )
    return _render_or_export(
        request,
        "evaluation/units.html",
        context,
        table,
        filename=f"scorecards-units-{context['month_key'] or 'none'}",
        sheet=_("Units"),
    )


def unit_detail(request: HttpRequest, code: str) -> HttpResponse:
    unit = get_object_or_404(Unit, code=code)
    context = _month_context(request)
    month = context["month"]
    if month is None:
        raise Http404
    trend = selectors.unit_trend(unit=unit, month=month)
    columns = [
        Column(gettext_lazy("Month")),
        Column(gettext_lazy("Appeals received"), COUNT),
        Column(gettext_lazy("Valid follow-ups"), COUNT),
        *[Column(column.label, column.kind) for column in RATE_COLUMNS],
        Column(gettext_lazy("On-time rate"), RATE),
        Column(gettext_lazy("Objection rate"), RATE),
        Column(gettext_lazy("Average handling time (hours)"), HOURS),
    ]
    table = Table(columns)
    labels = [f"{day:%Y-%m}" for day, _row in trend]
    for label, (_day, row) in zip(labels, trend, strict=True):
        if row is None:
            table.add(
                tables.text(label), tables.count(0), tables.count(0), *[tables.rate(None)] * 6, tables.hours(None)
            )
        else:
            table.add(
                tables.text(label),
                tables.count(row.received),
                tables.count(row.rated),
                *_rate_cells(row),
                tables.rate(row.on_time_rate),
                tables.rate(row.objection_rate),
                tables.hours(row.average_handling_seconds),
            )
    series = [
        Series(str(RATE_COLUMNS[3].label), [row.composite_score if row else None for _d, row in trend], 1),
        Series(str(RATE_COLUMNS[0].label), [row.response_rate if row else None for _d, row in trend], 2),
        Series(str(RATE_COLUMNS[1].label), [row.resolution_rate if row else None for _d, row in trend], 3),
        Series(str(RATE_COLUMNS[2].label), [row.satisfaction_rate if row else None for _d, row in trend], 4),
    ]
    chart = percent_line_chart(
        labels=labels,
        series=series,
        title=_("%(unit)s: the three rates and the composite score, month by month") % {"unit": unit.label},
        description=_("A line for each figure from %(first)s to %(last)s, from 0 to 100 percent.")
        % {"first": labels[0], "last": labels[-1]},
        chart_id="unit-trend",
    )
    crumbs = [
        (_("Scorecards"), reverse("evaluation:units") + "?" + urlencode({"month": context["month_key"]})),
        (unit.label, ""),
    ]
    context.update(
        {"unit": unit, "table": table, "chart": chart, "series": series, "current": "units", "crumbs": crumbs}
    )
    return _render_or_export(
        request,
        "evaluation/unit.html",
        context,
        table,
        filename=f"scorecards-{unit.code}-{context['month_key']}",
        sheet=unit.code,
    )


def street_ranking(request: HttpRequest) -> HttpResponse:
    context = _month_context(request)
    month = context["month"]
    columns = [
        Column(gettext_lazy("Rank"), COUNT),
        Column(gettext_lazy("Street or township")),
        Column(gettext_lazy("District")),
        Column(gettext_lazy("Appeals received"), COUNT),
        Column(gettext_lazy("Valid follow-ups"), COUNT),
        *[Column(column.label, column.kind) for column in RATE_COLUMNS],
    ]
    table = Table(columns)
    for rank, row in selectors.street_ranking(month=month) if month else []:
        if row.area is None:
            continue
        parent = row.area.parent
        table.add(
            Cell(rank, COUNT),
            tables.text(row.area.label, reverse("org:area", args=[row.area.code])),
            tables.text(parent.label if parent else None),
            tables.count(row.received),
            tables.count(row.rated),
            *_rate_cells(row),
        )
    context.update({"table": table, "current": "ranking"})
    return _render_or_export(
        request,
        "evaluation/ranking.html",
        context,
        table,
        filename=f"scorecards-ranking-{context['month_key'] or 'none'}",
        sheet=_("Ranking"),
    )


def category_list(request: HttpRequest) -> HttpResponse:
    context = _month_context(request)
    month = context["month"]
    areas = selectors.category_areas(month=month) if month else []
    area: Area | None = None
    wanted = request.GET.get("area", "")
    if wanted:
        area = next((candidate for candidate in areas if candidate.code == wanted), None)
    columns = [
        Column(gettext_lazy("Category")),
        Column(gettext_lazy("Within")),
        Column(gettext_lazy("Appeals received"), COUNT),
        Column(gettext_lazy("Replied"), COUNT),
        Column(gettext_lazy("On-time rate"), RATE),
        Column(gettext_lazy("Satisfaction rate"), RATE),
        Column(gettext_lazy("Average handling time (hours)"), HOURS),
    ]
    table = Table(columns)
    rows = selectors.busiest_categories(month=month, area=area) if month else []
    for row in rows:
        if row.category is None:
            continue
        parent = row.category.parent
        table.add(
            tables.text(row.category.label),
            tables.text(parent.label if parent else None),
            tables.count(row.received),
            tables.count(row.replied),
            tables.rate(row.on_time_rate),
            tables.rate(row.satisfaction_rate),
            tables.hours(row.average_handling_seconds),
        )
    context.update({"table": table, "areas": areas, "area": area, "current": "categories"})
    return _render_or_export(
        request,
        "evaluation/categories.html",
        context,
        table,
        filename=f"scorecards-categories-{area.code if area else 'all'}-{context['month_key'] or 'none'}",
        sheet=_("Categories"),
    )


def about(request: HttpRequest) -> HttpResponse:
    """The definitions, with the weights used for the latest month computed."""
    return render(request, "evaluation/about.html", {"weights": selectors.scorecard_weights(), "current": "about"})
