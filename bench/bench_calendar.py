"""Working calendar: deadline computations per second (5 working days, 60 calendar days), as a sweep over
many cases would run them."""

import datetime as dt
import time

from _setup import setup_django


def main() -> None:
    database = setup_django("calendar")
    from massline.org.calendar import WorkingCalendar

    calendar = WorkingCalendar()
    start = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC)
    moments = [start + dt.timedelta(hours=7 * i) for i in range(20000)]
    calendar.add_working_days(start, 1)  # warm the per-year override cache
    started = time.perf_counter()
    for moment in moments:
        calendar.add_working_days(moment, 5)
    five = time.perf_counter() - started
    started = time.perf_counter()
    for moment in moments:
        calendar.add_calendar_days(moment, 60)
    sixty = time.perf_counter() - started
    started = time.perf_counter()
    for moment in moments[:2000]:
        WorkingCalendar().add_working_days(moment, 5)
    fresh = time.perf_counter() - started
    print(f"database:                          {database}")
    print(f"add 5 working days:                {len(moments) / five:,.0f} per second")
    print(f"add 60 calendar days:              {len(moments) / sixty:,.0f} per second")
    print(f"add 5 working days, new calendar:  {2000 / fresh:,.0f} per second (one override query each)")


if __name__ == "__main__":
    main()
