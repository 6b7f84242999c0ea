"""The working calendar: China's statutory holidays and make-up workdays (chinese-calendar), corrected by
administrator overrides (``CalendarOverride``).

Conventions (RULES.md, "Days"):
- the day on which a period starts is not counted; "within N working days" ends at the end of the N-th
  working day after that day (23:59:59.999999 local time);
- a limit in calendar days that ends on a rest day moves to the end of the next working day;
- limits in hours run on the clock, around the clock.
All results are aware datetimes; days are judged in the deployment's time zone."""

from __future__ import annotations

import datetime as dt
from functools import cache, lru_cache

import chinese_calendar

from massline.core import clock
from massline.core.memo import Memo

END_OF_DAY = dt.time.max  # 23:59:59.999999: the whole last day counts
_MAX_SCAN_DAYS = 3660  # a rest period longer than ten years means the data are wrong


@cache
def holiday_data_years() -> frozenset[int]:
    """The years for which the installed chinese-calendar knows the State Council's schedule."""
    return frozenset(day.year for day in chinese_calendar.holidays) | frozenset(
        day.year for day in chinese_calendar.workdays
    )


def missing_holiday_years(today: dt.date) -> list[int]:
    """This year and next, where neither chinese-calendar nor any administrator override knows the schedule:
    until someone enters it, deadlines that year count weekends only."""
    from .models import CalendarOverride

    missing = []
    for year in (today.year, today.year + 1):
        if year not in holiday_data_years() and not CalendarOverride.objects.filter(date__year=year).exists():
            missing.append(year)
    return missing


@lru_cache(maxsize=4096)
def statutory_is_working_day(day: dt.date) -> bool:
    """The State Council's answer, or Monday–Friday for a year it has not published (or the library lacks).
    Remembered: every deadline asks it for each day it counts."""
    if day.year in holiday_data_years():
        return bool(chinese_calendar.is_workday(day))
    return day.weekday() < 5


# The overrides of each year, remembered by every process (``core.memo``); ``OrgConfig.ready`` empties it when
# an override is saved or deleted.
OVERRIDES: Memo[dict[dt.date, bool]] = Memo("org.calendar_overrides")


def _read_overrides(year: int) -> dict[dt.date, bool]:
    from .models import CalendarOverride

    return dict(CalendarOverride.objects.filter(date__year=year).values_list("date", "is_working_day"))


class WorkingCalendar:
    """The statutory calendar with the administrators' overrides, read once per year touched."""

    def __init__(self) -> None:
        self._overrides: dict[int, dict[dt.date, bool]] = {}

    def _overrides_for(self, year: int) -> dict[dt.date, bool]:
        if year not in self._overrides:
            self._overrides[year] = OVERRIDES.get(year, lambda: _read_overrides(year))
        return self._overrides[year]

    def is_working_day(self, day: dt.date) -> bool:
        override = self._overrides_for(day.year).get(day)
        if override is not None:
            return override
        return statutory_is_working_day(day)

    def next_working_day(self, day: dt.date, *, include_start: bool = True) -> dt.date:
        current = day if include_start else day + dt.timedelta(days=1)
        for _ in range(_MAX_SCAN_DAYS):
            if self.is_working_day(current):
                return current
            current += dt.timedelta(days=1)
        raise ValueError(f"no working day within {_MAX_SCAN_DAYS} days after {day.isoformat()}")

    def add_working_days(self, moment: dt.datetime, days: int) -> dt.datetime:
        """The end of the ``days``-th working day after the local date of ``moment``. With ``days == 0``, the
        end of that day, or of the next working day if it is a rest day."""
        if days < 0:
            raise ValueError("days must not be negative")
        current = _local_date(moment)
        if days == 0:
            return _end_of(self.next_working_day(current))
        counted = 0
        while counted < days:
            current = self.next_working_day(current, include_start=False)
            counted += 1
        return _end_of(current)

    def add_calendar_days(self, moment: dt.datetime, days: int) -> dt.datetime:
        """The end of the day ``days`` calendar days after ``moment``'s local date; if that is a rest day,
        the end of the next working day."""
        if days < 0:
            raise ValueError("days must not be negative")
        target = _local_date(moment) + dt.timedelta(days=days)
        return _end_of(self.next_working_day(target))

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days after ``start`` up to and including ``end`` (0 when ``end <= start``)."""
        count = 0
        current = start + dt.timedelta(days=1)
        while current <= end:
            if self.is_working_day(current):
                count += 1
            current += dt.timedelta(days=1)
        return count

    def month(self, year: int, month: int) -> list[tuple[dt.date, bool, str | None]]:
        """Every day of a month with whether it is a working day and the holiday it belongs to, if any."""
        first = dt.date(year, month, 1)
        days = []
        current = first
        while current.month == month:
            name = None
            if current.year in holiday_data_years():
                _on_holiday, name = chinese_calendar.get_holiday_detail(current)
            days.append((current, self.is_working_day(current), name))
            current += dt.timedelta(days=1)
        return days


def add_hours(moment: dt.datetime, hours: float) -> dt.datetime:
    """Hours-based limits (urgent matters) run around the clock."""
    if hours < 0:
        raise ValueError("hours must not be negative")
    return moment + dt.timedelta(hours=hours)


def is_working_day(day: dt.date) -> bool:
    return WorkingCalendar().is_working_day(day)


def add_working_days(moment: dt.datetime, days: int) -> dt.datetime:
    return WorkingCalendar().add_working_days(moment, days)


def add_calendar_days(moment: dt.datetime, days: int) -> dt.datetime:
    return WorkingCalendar().add_calendar_days(moment, days)


def _local_date(moment: dt.datetime) -> dt.date:
    if moment.tzinfo is None:
        raise ValueError("deadlines are computed from aware datetimes only")
    return moment.astimezone(clock.local_zone()).date()


def _end_of(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, END_OF_DAY, tzinfo=clock.local_zone())
