"""Deadlines across China's 2026 holidays, checked against the State Council's published schedule
(国办发明电〔2025〕7号): Spring Festival 15–23 Feb with make-up workdays Sat 14 Feb and Sat 28 Feb; Labour Day
1–5 May with Sat 9 May worked; National Day 1–7 Oct with Sun 20 Sep and Sat 10 Oct worked."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from massline.org import calendar
from massline.org.services import calendar_override_set

pytestmark = pytest.mark.django_db
BEIJING = ZoneInfo("Asia/Shanghai")


def at(day: str, hour: int = 10, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour, minute), tzinfo=BEIJING)


def end_of(day: str) -> dt.datetime:
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time.max, tzinfo=BEIJING)


@pytest.mark.parametrize(
    ("day", "working"),
    [
        ("2026-02-13", True),  # Friday before the holiday
        ("2026-02-14", True),  # Saturday, make-up workday
        ("2026-02-15", False),
        ("2026-02-17", False),  # Spring Festival day
        ("2026-02-23", False),  # Monday, still holiday
        ("2026-02-24", True),
        ("2026-02-28", True),  # Saturday, make-up workday
        ("2026-03-01", False),  # ordinary Sunday
        ("2026-05-09", True),  # Saturday, make-up workday
        ("2026-09-20", True),  # Sunday, make-up workday
        ("2026-10-01", False),
        ("2026-10-07", False),
        ("2026-10-08", True),
        ("2026-10-10", True),  # Saturday, make-up workday
        ("2026-10-11", False),  # ordinary Sunday
    ],
)
def test_working_days_of_2026(day: str, working: bool) -> None:
    assert calendar.is_working_day(dt.date.fromisoformat(day)) is working


def test_five_working_days_across_the_spring_festival() -> None:
    # Received Friday 13 Feb: the 14th (make-up Saturday) counts, then nothing until the 24th.
    assert calendar.add_working_days(at("2026-02-13"), 1) == end_of("2026-02-14")
    assert calendar.add_working_days(at("2026-02-13"), 2) == end_of("2026-02-24")
    assert calendar.add_working_days(at("2026-02-13"), 5) == end_of("2026-02-27")
    assert calendar.add_working_days(at("2026-02-13"), 6) == end_of("2026-02-28")  # make-up Saturday


def test_received_during_the_holiday_counts_from_the_first_working_day() -> None:
    assert calendar.add_working_days(at("2026-02-17"), 1) == end_of("2026-02-24")
    assert calendar.add_working_days(at("2026-02-17"), 0) == end_of("2026-02-24")


def test_two_working_days_to_object_across_national_day() -> None:
    # Dispatched Wednesday 30 Sep at 17:00: objection allowed until the end of Friday 9 Oct.
    assert calendar.add_working_days(at("2026-09-30", 17), 2) == end_of("2026-10-09")
    assert calendar.add_working_days(at("2026-09-30", 17), 3) == end_of("2026-10-10")  # make-up Saturday
    assert calendar.add_working_days(at("2026-09-18"), 1) == end_of("2026-09-20")  # make-up Sunday


def test_calendar_day_limit_ending_in_a_holiday_moves_to_the_next_working_day() -> None:
    assert calendar.add_calendar_days(at("2026-09-25"), 7) == end_of("2026-10-08")
    assert calendar.add_calendar_days(at("2026-02-01"), 15) == end_of("2026-02-24")
    assert calendar.add_calendar_days(at("2026-03-02"), 30) == end_of("2026-04-01")  # a working Wednesday


def test_hours_run_around_the_clock_even_on_holidays() -> None:
    assert calendar.add_hours(at("2026-10-01", 9), 2) == at("2026-10-01", 11)
    assert calendar.add_hours(at("2026-02-16", 23), 24) == at("2026-02-17", 23)


def test_day_is_judged_in_beijing_time() -> None:
    # 20:00 UTC on Friday 13 Feb is already Saturday 14 Feb (a make-up workday) in Beijing.
    utc_evening = dt.datetime(2026, 2, 13, 20, 0, tzinfo=dt.UTC)
    assert calendar.add_working_days(utc_evening, 1) == end_of("2026-02-24")


def test_administrator_overrides_win(small_city) -> None:  # type: ignore[no-untyped-def]
    calendar_override_set(actor=None, date=dt.date(2026, 2, 24), is_working_day=False, reason="local holiday")
    calendar_override_set(actor=None, date=dt.date(2026, 3, 1), is_working_day=True, reason="make-up day")
    assert calendar.add_working_days(at("2026-02-13"), 2) == end_of("2026-02-25")
    assert calendar.is_working_day(dt.date(2026, 3, 1))


def test_a_year_without_published_data_counts_weekdays_and_overrides() -> None:
    # chinese-calendar 1.11 knows no 2027 schedule; until it is entered, weekends are the only rest days.
    new_year = dt.date(2027, 1, 1)
    if new_year.year in calendar.holiday_data_years():
        pytest.fail("chinese-calendar now knows 2027: replace this test with the published schedule")
    assert calendar.is_working_day(new_year)  # a Friday, not yet known as a holiday
    calendar_override_set(actor=None, date=new_year, is_working_day=False, reason="New Year's Day 2027")
    assert calendar.add_working_days(at("2026-12-31"), 1) == end_of("2027-01-04")


def test_working_days_between() -> None:
    cal = calendar.WorkingCalendar()
    assert cal.working_days_between(dt.date(2026, 9, 30), dt.date(2026, 10, 12)) == 4  # 8, 9, 10, 12 Oct
    assert cal.working_days_between(dt.date(2026, 3, 2), dt.date(2026, 3, 2)) == 0


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        calendar.add_working_days(dt.datetime(2026, 3, 2, 10, 0), 1)
