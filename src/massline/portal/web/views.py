"""The public site's pages that belong to no domain: home, the working calendar, health."""

import datetime as dt

from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from massline.core import clock
from massline.org.calendar import WorkingCalendar
from massline.org.selectors import area_public_summary


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/home.html", {"summary": area_public_summary()})


def working_calendar(request: HttpRequest, year: int | None = None, month: int | None = None) -> HttpResponse:
    """The working calendar for a month: which days count for deadlines, and why."""
    today = clock.today()
    year = year or today.year
    month = month or today.month
    if not (1 <= month <= 12 and 2000 <= year <= 2100):
        raise Http404
    days = WorkingCalendar().month(year, month)
    first = dt.date(year, month, 1)
    previous = (first - dt.timedelta(days=1)).replace(day=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    leading_blanks = range(first.weekday())
    return render(
        request,
        "portal/calendar.html",
        {
            "days": days,
            "first": first,
            "previous": previous,
            "following": following,
            "leading_blanks": leading_blanks,
            "today": today,
        },
    )


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


@never_cache
def readyz(request: HttpRequest) -> JsonResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:  # the database is the one thing we cannot serve without
        return JsonResponse({"status": "unavailable", "database": "down"}, status=503)
    return JsonResponse({"status": "ok", "database": "up"})
