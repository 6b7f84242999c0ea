"""Template helpers of the design system: the deadline badge, field attributes for accessible error messages,
and labels for the working calendar.

Load with ``{% load massline_ui %}``."""

from __future__ import annotations

import datetime as dt

from django import template
from django.core.paginator import Page
from django.forms import BoundField
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.timezone import localtime
from django.utils.translation import gettext, gettext_lazy, pgettext_lazy

from massline.core import clock

register = template.Library()

DUE_SOON = dt.timedelta(hours=24)

# chinese-calendar names its holidays in English; these are the names it knows, marked for translation.
HOLIDAY_LABELS = {
    "New Year's Day": gettext_lazy("New Year's Day"),
    "Spring Festival": gettext_lazy("Spring Festival"),
    "Tomb-sweeping Day": gettext_lazy("Tomb-sweeping Day"),
    "Labour Day": gettext_lazy("Labour Day"),
    "Dragon Boat Festival": gettext_lazy("Dragon Boat Festival"),
    "National Day": gettext_lazy("National Day"),
    "Mid-autumn Festival": gettext_lazy("Mid-autumn Festival"),
    "Anti-Fascist 70th Day": gettext_lazy("Anti-Fascist 70th Day"),
}

DEADLINE_STATES = {
    "overdue": pgettext_lazy("deadline state", "Overdue"),
    "due-soon": pgettext_lazy("deadline state", "Due soon"),
    "on-time": pgettext_lazy("deadline state", "On time"),
}


def deadline_state(deadline: dt.datetime, now: dt.datetime | None = None) -> str:
    """``overdue`` once the deadline has passed, ``due-soon`` within the last 24 hours, else ``on-time``."""
    now = now or clock.now()
    if deadline < now:
        return "overdue"
    if deadline - now <= DUE_SOON:
        return "due-soon"
    return "on-time"


@register.simple_tag
def deadline_badge(deadline: dt.datetime | None) -> SafeString:
    """A badge saying whether a deadline is overdue, due soon or on time, with the deadline itself, so the
    state is told in words and not by colour alone. Written here rather than in a template: a queue page shows
    fifty of them, and fifty template renderings cost a quarter of the page."""
    if deadline is None:
        return format_html('<span class="badge badge--none">{}</span>', gettext("No deadline"))
    state = deadline_state(deadline)
    local = localtime(deadline)
    return format_html(
        '<span class="badge badge--{}"><span class="badge__state">{}</span> '
        '<time class="badge__detail" datetime="{}">{}</time></span>',
        state,
        DEADLINE_STATES[state],
        date_format(local, "c"),
        gettext("deadline %(when)s") % {"when": date_format(local, "DATETIME_FORMAT")},
    )


@register.filter
def ui_widget(field: BoundField) -> SafeString:
    """Render a field's widget tied to its help text and errors (``aria-describedby``, ``aria-invalid``), so
    a screen reader reads the error with the field. The ids match those used in ``components/field.html``."""
    attrs: dict[str, str | bool] = {}
    if field.auto_id and not field.is_hidden and not field.use_fieldset:
        described_by = [ui_help_id(field)] if field.help_text else []
        if field.errors:
            described_by.append(ui_error_id(field))
            attrs["aria-invalid"] = "true"
        if described_by:
            attrs["aria-describedby"] = " ".join(described_by)
    return field.as_widget(attrs=attrs)


@register.filter
def ui_help_id(field: BoundField) -> str:
    return f"{field.auto_id}_helptext"


@register.filter
def ui_error_id(field: BoundField) -> str:
    return f"{field.auto_id}_error"


@register.filter
def ui_described_by(field: BoundField) -> str:
    """The ids describing a field, for a ``<fieldset>`` that wraps a group of inputs."""
    ids = []
    if field.help_text:
        ids.append(ui_help_id(field))
    if field.errors:
        ids.append(ui_error_id(field))
    return " ".join(ids)


@register.filter
def is_checkbox(field: BoundField) -> bool:
    return field.widget_type == "checkbox"


@register.filter
def holiday_label(name: str | None) -> str:
    """The chinese-calendar holiday name in the visitor's language (unknown names are shown as given)."""
    if not name:
        return ""
    return str(HOLIDAY_LABELS.get(name, name))


@register.filter
def day_state(day: tuple[dt.date, bool, str | None]) -> str:
    """How a day of the working calendar counts: ``working``, ``makeup`` (a working Saturday or Sunday),
    ``holiday`` (a statutory rest day) or ``rest`` (a weekend or another day off)."""
    date, is_working, holiday = day
    if is_working:
        return "makeup" if date.weekday() >= 5 else "working"
    return "holiday" if holiday else "rest"


@register.filter
def startswith(value: str, prefix: str) -> bool:
    """For marking the current section in the navigation: ``request.path|startswith:section_url``."""
    return bool(prefix) and str(value).startswith(str(prefix))


@register.filter
def elided_pages(page: Page) -> list[int | str]:
    """Page numbers around the current page, with ``Paginator.ELLIPSIS`` for the gaps."""
    return list(page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))


@register.filter
def in_minutes(value: dt.timedelta | None) -> int | str:
    """Whole minutes of a duration (rounded up), or ``""`` when there is none, so ``|default`` can step in."""
    if not value:
        return ""
    return max(1, -(-int(value.total_seconds()) // 60))


@register.simple_tag(takes_context=True)
def site_title(context: template.Context) -> str:
    """The deployment's name, from the ``site`` context processor's rule. A tag, not ``{{ site_name }}``,
    because some of Django's own views (LoginView) put a ``site_name`` of their own (the host) in the context."""
    from massline.core.context_processors import site

    return str(site(context.get("request"))["site_name"])
