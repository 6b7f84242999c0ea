"""Calendar months in the deployment's time zone: an appeal belongs to the month in which it was received,
as a resident of the city would read the date on its receipt."""

from __future__ import annotations

import datetime as dt

from massline.core import clock


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def add_months(month: dt.date, count: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + count
    return dt.date(index // 12, index % 12 + 1, 1)


def month_bounds(month: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The first moment of ``month`` and of the month after, aware, in the deployment's time zone."""
    zone = clock.local_zone()
    start = dt.datetime.combine(month_start(month), dt.time.min, tzinfo=zone)
    end = dt.datetime.combine(add_months(month_start(month), 1), dt.time.min, tzinfo=zone)
    return start, end


def current_month() -> dt.date:
    return month_start(clock.today())


def parse_month(text: str) -> dt.date:
    """``YYYY-MM`` to the first day of that month; ValueError when it is not one."""
    year, _sep, month = text.strip().partition("-")
    if len(year) != 4 or len(month) != 2:
        raise ValueError(text)
    return dt.date(int(year), int(month), 1)
