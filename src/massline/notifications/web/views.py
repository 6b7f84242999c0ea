"""The staff member's own notifications: the in-app list, "mark all read", and how e-mail should come."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import selectors
from ..services import notifications_mark_read, preference_set
from .forms import PreferenceForm


def _staff(request: HttpRequest) -> Any:
    user = request.user
    if not getattr(user, "is_official", False):
        raise Http404
    return user


def _render(request: HttpRequest, form: PreferenceForm, status: int = 200) -> HttpResponse:
    user = _staff(request)
    page = Paginator(selectors.inbox_for(user=user).select_related("appeal"), 50).get_page(request.GET.get("page"))
    context = {"page": page, "unread": selectors.unread_count(user=user), "form": form, "has_email": bool(user.email)}
    return render(request, "notifications/inbox.html", context, status=status)


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    preference = selectors.preference_for(user=_staff(request))
    return _render(request, PreferenceForm(initial={"routine": preference.routine, "urgent": preference.urgent}))


@login_required
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    count = notifications_mark_read(user=_staff(request))
    if count:
        messages.success(request, _("All notifications are marked read."))
    return redirect("notifications:inbox")


@login_required
@require_POST
def preferences(request: HttpRequest) -> HttpResponse:
    user = _staff(request)
    form = PreferenceForm(request.POST)
    if not form.is_valid():
        return _render(request, form, status=400)
    preference_set(user=user, routine=form.cleaned_data["routine"], urgent=form.cleaned_data["urgent"])
    messages.success(request, _("Your notification preferences are saved."))
    return redirect("notifications:inbox")
