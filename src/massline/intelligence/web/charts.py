"""The hot-issue board's server-rendered SVG (no JavaScript, nothing inline for the CSP to refuse): appeals per
day as bars, a small trend line for the list, and the appeals placed by their coordinates. Every chart has a
title and a description for screen readers; the pages also give the figures as text."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT, BOTTOM, LEFT = 640, 200, 24, 32
SPARK_WIDTH, SPARK_HEIGHT = 120, 28
MAP_SIZE = 320


def days_between(daily: Mapping[str, int], *, first: dt.date, last: dt.date) -> list[tuple[dt.date, int]]:
    """Every day from ``first`` to ``last`` with its count (0 for a day without appeals)."""
    days = []
    day = first
    while day <= last:
        days.append((day, int(daily.get(day.isoformat(), 0))))
        day += dt.timedelta(days=1)
    return days


def _open(width: int, height: int, chart_id: str, title: str, description: str, css: str) -> list[str]:
    return [
        format_html(
            '<svg class="{}" viewBox="0 0 {} {}" width="{}" height="{}" role="img" '
            'aria-labelledby="{}-title {}-desc" xmlns="http://www.w3.org/2000/svg">',
            css,
            width,
            height,
            width,
            height,
            chart_id,
            chart_id,
        ),
        format_html('<title id="{}-title">{}</title>', chart_id, title),
        format_html('<desc id="{}-desc">{}</desc>', chart_id, description),
    ]


def daily_bars(days: Sequence[tuple[dt.date, int]], *, chart_id: str, title: str, description: str) -> SafeString:
    """One bar per day, the highest day's count marked on the axis; a label under the first and last day."""
    top = max([count for _day, count in days] or [0]) or 1
    inner_w, inner_h = WIDTH - LEFT - 8, HEIGHT - BOTTOM - 12
    step = inner_w / max(1, len(days))
    parts = _open(WIDTH, HEIGHT, chart_id, title, description, "chart")
    parts.append(
        format_html(
            '<line class="chart__grid" x1="{}" y1="{}" x2="{}" y2="{}"/>'
            '<text class="chart__axis-label" x="{}" y="{}" text-anchor="end" dominant-baseline="middle">{}</text>',
            LEFT,
            12,
            WIDTH - 8,
            12,
            LEFT - 6,
            12,
            top,
        )
    )
    for index, (day, count) in enumerate(days):
        height = inner_h * count / top
        parts.append(
            format_html(
                '<rect class="chart__bar" x="{}" y="{}" width="{}" height="{}"><title>{}: {}</title></rect>',
                f"{LEFT + index * step + 1:.1f}",
                f"{12 + inner_h - height:.1f}",
                f"{max(step - 2, 1):.1f}",
                f"{height:.1f}",
                day.isoformat(),
                count,
            )
        )
    for index in {0, len(days) - 1} if days else set():
        parts.append(
            format_html(
                '<text class="chart__axis-label" x="{}" y="{}" text-anchor="middle">{}</text>',
                f"{LEFT + (index + 0.5) * step:.1f}",
                HEIGHT - 6,
                days[index][0].strftime("%m-%d"),
            )
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 — every piece above went through format_html


def sparkline(days: Sequence[tuple[dt.date, int]], *, label: str) -> SafeString:
    """A small line of appeals per day for the board's list (its title says what it shows)."""
    top = max([count for _day, count in days] or [0]) or 1
    count = len(days)
    points = " ".join(
        f"{(index * (SPARK_WIDTH - 4) / max(1, count - 1)) + 2:.1f},{SPARK_HEIGHT - 2 - (SPARK_HEIGHT - 4) * value / top:.1f}"
        for index, (_day, value) in enumerate(days)
    )
    return format_html(
        '<svg class="sparkline" viewBox="0 0 {} {}" width="{}" height="{}" role="img" aria-label="{}" '
        'xmlns="http://www.w3.org/2000/svg"><polyline class="sparkline__line" points="{}"/></svg>',
        SPARK_WIDTH,
        SPARK_HEIGHT,
        SPARK_WIDTH,
        SPARK_HEIGHT,
        label,
        points,
    )


def dot_map(
    points: Sequence[tuple[float, float, str]], *, chart_id: str, title: str, description: str
) -> SafeString | None:
    """The appeals with coordinates as dots on a square fitted to them (north up); None with fewer than two."""
    if len(points) < 2:
        return None
    lats = [lat for lat, _lon, _label in points]
    lons = [lon for _lat, lon, _label in points]
    span = max(max(lats) - min(lats), max(lons) - min(lons), 0.002)
    pad = 16
    scale = (MAP_SIZE - 2 * pad) / span
    parts = _open(MAP_SIZE, MAP_SIZE, chart_id, title, description, "chart chart--map")
    parts.append(
        format_html('<rect class="chart__frame" x="1" y="1" width="{}" height="{}"/>', MAP_SIZE - 2, MAP_SIZE - 2)
    )
    for lat, lon, label in points:
        parts.append(
            format_html(
                '<circle class="chart__dot" cx="{}" cy="{}" r="5"><title>{}</title></circle>',
                f"{pad + (lon - min(lons)) * scale:.1f}",
                f"{MAP_SIZE - pad - (lat - min(lats)) * scale:.1f}",
                label,
            )
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 — every piece above went through format_html
