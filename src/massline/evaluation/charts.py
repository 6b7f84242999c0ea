"""Server-rendered SVG charts (no JavaScript, nothing inline for the CSP to refuse): lines and points carry
classes styled in massline.css and SVG presentation attributes only. Every chart has a title and a
description for screen readers; pages also show the figures as a table."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT = 640, 280
LEFT, RIGHT, TOP, BOTTOM = 48, 16, 16, 40
GRID_STEPS = (0.0, 0.25, 0.5, 0.75, 1.0)


@dataclass(frozen=True)
class Series:
    """One line: its name (shown in the legend and the points' tooltips), one value per label as a fraction
    of 1 (None where there is no figure), and its number, which picks the line's colour and dash."""

    name: str
    values: Sequence[float | None]
    number: int

    @property
    def css_class(self) -> str:
        return f"chart__series--{self.number}"


def _x(index: int, count: int) -> float:
    inner = WIDTH - LEFT - RIGHT
    return LEFT + (inner * index / (count - 1) if count > 1 else inner / 2)


def _y(value: float) -> float:
    clipped = min(max(value, 0.0), 1.0)
    return TOP + (HEIGHT - TOP - BOTTOM) * (1 - clipped)


def _n(number: float) -> str:
    """A coordinate or a percentage with one decimal (format_html would escape a number to a string first)."""
    return f"{number:.1f}"


def _segments(values: Sequence[float | None]) -> list[list[tuple[int, float]]]:
    """Runs of consecutive figures: a month without data breaks the line instead of inventing a value."""
    runs: list[list[tuple[int, float]]] = []
    current: list[tuple[int, float]] = []
    for index, value in enumerate(values):
        if value is None:
            if current:
                runs.append(current)
            current = []
        else:
            current.append((index, value))
    if current:
        runs.append(current)
    return runs


def percent_line_chart(
    *, labels: Sequence[str], series: Sequence[Series], title: str, description: str, chart_id: str
) -> SafeString:
    """A line chart of percentages (0–100 %) over ``labels`` (months, oldest first)."""
    count = len(labels)
    parts: list[str] = [
        format_html(
            '<svg class="chart" viewBox="0 0 {} {}" width="{}" height="{}" role="img" '
            'aria-labelledby="{}-title {}-desc" xmlns="http://www.w3.org/2000/svg">',
            WIDTH,
            HEIGHT,
            WIDTH,
            HEIGHT,
            chart_id,
            chart_id,
        ),
        format_html('<title id="{}-title">{}</title>', chart_id, title),
        format_html('<desc id="{}-desc">{}</desc>', chart_id, description),
    ]
    for step in GRID_STEPS:
        y = _y(step)
        parts.append(
            format_html(
                '<line class="chart__grid" x1="{}" y1="{}" x2="{}" y2="{}"/>'
                '<text class="chart__axis-label" x="{}" y="{}" text-anchor="end" dominant-baseline="middle">'
                "{}%</text>",
                LEFT,
                _n(y),
                WIDTH - RIGHT,
                _n(y),
                LEFT - 6,
                _n(y),
                int(step * 100),
            )
        )
    for index, label in enumerate(labels):
        parts.append(
            format_html(
                '<text class="chart__axis-label" x="{}" y="{}" text-anchor="middle">{}</text>',
                _n(_x(index, count)),
                HEIGHT - BOTTOM + 18,
                label,
            )
        )
    for line in series:
        for run in _segments(line.values):
            points = " ".join(f"{_x(index, count):.1f},{_y(value):.1f}" for index, value in run)
            parts.append(format_html('<polyline class="chart__line {}" points="{}"/>', line.css_class, points))
            for index, value in run:
                parts.append(
                    format_html(
                        '<circle class="chart__point {}" cx="{}" cy="{}" r="3.5"><title>{} {}: {}%</title></circle>',
                        line.css_class,
                        _n(_x(index, count)),
                        _n(_y(value)),
                        labels[index],
                        line.name,
                        _n(value * 100),
                    )
                )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 — every piece above went through format_html
