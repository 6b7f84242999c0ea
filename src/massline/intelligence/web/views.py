"""The hot-issue board (未诉先办) for supervisors, analysts and dispatchers, one issue's page where a supervisor
takes it up or dismisses it, and the public page of proactive work."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from massline.core.errors import DomainError

from .. import selectors
from ..models import HotIssue, HotIssueState
from ..redaction import redact
from ..services import hot_issue_dismiss, hot_issue_take_up
from ..services.hot import may_decide
from .charts import daily_bars, days_between, dot_map, sparkline
from .forms import DismissForm, TakeUpForm

PAGE_SIZE = 25
LISTED = 200  # appeals listed on an issue's page, the oldest first


def _days(issue: HotIssue) -> list[Any]:
    return days_between(issue.daily, first=timezone.localdate(issue.first_at), last=timezone.localdate(issue.last_at))


@login_required
def board(request: HttpRequest) -> HttpResponse:
    """The hottest issues first, with their figures and trend, and where they are."""
    if not selectors.may_see_hot_issues(request.user):
        raise Http404
    state = request.GET.get("state", "")
    if state not in HotIssueState.values:
        state = ""
    cooled = request.GET.get("cooled") == "1"
    issues = selectors.hot_issues_for(user=request.user, state=state, cooled=cooled)
    page = Paginator(issues, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        {
            "issue": issue,
            "label": redact(issue.label),
            "trend": sparkline(
                _days(issue),
                label=_("Appeals per day, %(first)s to %(last)s")
                % {"first": timezone.localdate(issue.first_at), "last": timezone.localdate(issue.last_at)},
            ),
        }
        for issue in page.object_list
    ]
    where = Counter(
        issue.area.label if issue.area else _("area not known")
        for issue in selectors.hot_issues_for(user=request.user).select_related("area")[:200]
    ).most_common(10)
    return render(
        request,
        "intelligence/hot_board.html",
        {
            "rows": rows,
            "page": page,
            "state": state,
            "states": HotIssueState.choices,
            "cooled": cooled,
            "where": where,
        },
    )


def _issue_context(request: HttpRequest, issue: HotIssue, **forms: Any) -> dict[str, Any]:
    user = request.user
    visible = selectors.hot_issue_appeals(user=user, issue=issue)
    appeals = list(visible[:LISTED])
    seen = len(appeals) if len(appeals) < LISTED else visible.count()
    points = [
        (float(a.latitude), float(a.longitude), f"{a.tracking_code} {redact(a.title)}")
        for a in appeals
        if a.latitude is not None and a.longitude is not None
    ]
    decide = may_decide(user, issue) and issue.task_id is None and issue.state != HotIssueState.DISMISSED
    label = redact(issue.label)
    return {
        "issue": issue,
        "label": label,
        "crumbs": [(_("Hot issues"), reverse("intelligence:hot_board")), (label, "")],
        "appeals": [(appeal, redact(appeal.title)) for appeal in appeals],
        "hidden": max(issue.volume - seen, 0),
        "unlisted": seen - len(appeals),
        "chart": daily_bars(
            _days(issue),
            chart_id="hot-daily",
            title=_("Appeals per day"),
            description=_("%(volume)d appeals from %(first)s to %(last)s; the busiest day had %(top)d.")
            % {
                "volume": issue.volume,
                "first": timezone.localdate(issue.first_at),
                "last": timezone.localdate(issue.last_at),
                "top": max(issue.daily.values() or [0]),
            },
        ),
        "map": dot_map(
            points,
            chart_id="hot-map",
            title=_("Where the appeals come from"),
            description=_("%(count)d appeals placed by their map pins, north up.") % {"count": len(points)},
        ),
        "decide": decide,
        "take_up_form": forms.get("take_up_form") or (TakeUpForm(user=user, issue=issue) if decide else None),
        "dismiss_form": forms.get("dismiss_form") or (DismissForm() if decide else None),
    }


@login_required
def issue_detail(request: HttpRequest, pk: int) -> HttpResponse:
    issue = selectors.hot_issue_for(user=request.user, pk=pk)
    if issue is None:
        raise Http404
    return render(request, "intelligence/hot_issue.html", _issue_context(request, issue))


@login_required
@require_POST
def issue_take_up(request: HttpRequest, pk: int) -> HttpResponse:
    issue = selectors.hot_issue_for(user=request.user, pk=pk)
    if issue is None or not may_decide(request.user, issue):
        raise Http404
    form = TakeUpForm(request.POST, user=request.user, issue=issue)
    if form.is_valid():
        try:
            task = hot_issue_take_up(
                actor=request.user,
                issue=issue,
                title=form.cleaned_data["title"],
                lead_unit=form.cleaned_data["lead_unit"],
                due_date=form.cleaned_data["due_date"],
                note=form.cleaned_data["note"],
                programme=form.cleaned_data["programme"],
            )
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error.message))
        else:
            messages.success(
                request,
                _("Proactive task %(code)s sent to %(unit)s.") % {"code": task.tracking_code, "unit": task.lead_unit},
            )
            return redirect("intelligence:hot_issue", pk=issue.pk)
    context = _issue_context(request, issue, take_up_form=form)
    return render(request, "intelligence/hot_issue.html", context, status=400)


@login_required
@require_POST
def issue_dismiss(request: HttpRequest, pk: int) -> HttpResponse:
    issue = selectors.hot_issue_for(user=request.user, pk=pk)
    if issue is None or not may_decide(request.user, issue):
        raise Http404
    form = DismissForm(request.POST)
    if form.is_valid():
        try:
            hot_issue_dismiss(actor=request.user, issue=issue, reason=form.cleaned_data["reason"])
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error.message))
        else:
            messages.success(request, _("The hot issue was dismissed."))
            return redirect("intelligence:hot_board")
    context = _issue_context(request, issue, dismiss_form=form)
    return render(request, "intelligence/hot_issue.html", context, status=400)


def proactive(request: HttpRequest) -> HttpResponse:
    """Public: what the government took up before more people had to complain, with each task's progress."""
    page = Paginator(selectors.proactive_work(), PAGE_SIZE).get_page(request.GET.get("page"))
    from massline.appeals.redaction import mask_for_publication

    items = [
        {
            "issue": issue,
            "label": mask_for_publication(issue.task.title) if issue.task else "",
            "task": issue.task,
            "reply": mask_for_publication(issue.task.reply_text) if issue.task and issue.task.replied_at else "",
        }
        for issue in page.object_list
    ]
    return render(request, "intelligence/proactive.html", {"items": items, "page": page})
