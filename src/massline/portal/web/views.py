"""The public site's pages that belong to no domain: home, the working calendar, health."""

import datetime as dt

from django import forms
from django.core.paginator import Paginator
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from massline.core import clock
from massline.org.calendar import WorkingCalendar
from massline.org.selectors import area_public_summary


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/home.html", {"summary": area_public_summary()})


def working_calendar(request: HttpRequest, year: int | None = None, month: int | None = None) -> HttpResponse:
    """The working calendar for a month: which days count for deadlines, and why."""
    today = clock.today()
    year = today.year if year is None else year
    month = today.month if month is None else month
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
    """Ready to serve: the database answers and has every migration this code expects (during a rolling
    deploy, new code on an old schema must not get traffic). The worker is not checked: pages are served
    without it, and /metrics reports its heartbeat."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:  # the database is the one thing we cannot serve without
        return JsonResponse({"status": "unavailable", "database": "down"}, status=503)
    if not _migrations_applied():
        return JsonResponse({"status": "unavailable", "database": "up", "migrations": "pending"}, status=503)
    return JsonResponse({"status": "ok", "database": "up", "migrations": "applied"})


_MIGRATED: list[bool] = []  # set once all migrations are seen applied: they stay so for this process's code


def _migrations_applied() -> bool:
    """Whether the database has every migration of this code. Reading the migration graph costs a few hundred
    milliseconds, so it is read until the answer is yes, then never again in this process."""
    if _MIGRATED:
        return True
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        return False
    _MIGRATED.append(True)
    return True


class _DesignDemoForm(forms.Form):
    """A form for the style guide, shown bound to wrong answers so the error states can be seen."""

    name = forms.CharField(label=_("Your name"), max_length=40, help_text=_("As you would like to be addressed."))
    phone = forms.RegexField(
        label=_("Mobile number"),
        regex=r"^1\d{10}$",
        help_text=_("Eleven digits, starting with 1."),
        error_messages={"invalid": _("Enter an eleven-digit mobile number starting with 1.")},
    )
    channel = forms.ChoiceField(
        label=_("How should we reply?"),
        choices=[("sms", _("Text message")), ("phone", _("Telephone call")), ("post", _("Letter"))],
        widget=forms.RadioSelect,
    )
    details = forms.CharField(label=_("What happened?"), widget=forms.Textarea(attrs={"rows": 4}))
    consent = forms.BooleanField(label=_("I agree that the responsible unit may contact me."))

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        if self.errors:
            raise forms.ValidationError(_("Some answers need correcting before the appeal can be sent."))
        return cleaned


def design(request: HttpRequest) -> HttpResponse:
    """The living style guide: every component of the design system, in both languages."""
    now = clock.now()
    form = _DesignDemoForm(data={"name": "", "phone": "12345", "channel": "", "details": "", "consent": ""})
    form.is_valid()
    events = [
        {"when": now - dt.timedelta(days=3, hours=2), "title": _("Appeal received"), "body": _("By telephone.")},
        {"when": now - dt.timedelta(days=3), "title": _("Sent to the street office"), "body": ""},
        {"when": now - dt.timedelta(days=1), "title": _("Reply sent"), "body": _("The street lamp was repaired.")},
    ]
    page = Paginator(list(range(1, 201)), 10).get_page(request.GET.get("page", 7))
    context = {
        "form": form,
        "events": events,
        "deadlines": [now - dt.timedelta(hours=5), now + dt.timedelta(hours=6), now + dt.timedelta(days=4)],
        "page": page,
        "crumbs": [(_("Home"), reverse("portal:home")), (_("Design system"), "")],
        "table_headers": [_("Unit"), _("Received"), _("Answered on time")],
        "table_rows": [[_("Street office"), 128, "96%"], [_("Housing bureau"), 64, "88%"]],
    }
    return render(request, "portal/design.html", context)


def case_wall(request: HttpRequest) -> HttpResponse:
    """The public case wall: answered appeals whose citizens agreed to publication, with personal details
    masked, newest answer first, paged by keyset."""
    from massline.appeals.choices import AppealKind
    from massline.appeals.selectors.public import case_wall as wall
    from massline.appeals.selectors.public import wall_items
    from massline.core.pagination import keyset_page

    kind = request.GET.get("kind", "")
    page = keyset_page(wall(kind=kind), order="-replied_at", cursor=request.GET.get("after"), size=20)
    params = request.GET.copy()
    params.pop("after", None)
    return render(
        request,
        "portal/case_wall.html",
        {
            "items": wall_items(page.items),
            "page": page,
            "kind": kind,
            "kinds": AppealKind.choices,
            "query": params.urlencode(),
        },
    )
