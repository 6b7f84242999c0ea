"""The staff workspace: queues per role, and the case page where each step is taken."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from massline.core.errors import DomainError

from .. import selectors
from ..permissions import acts_for_unit, can_call_back, can_dispatch, can_review
from ..services import (
    appeal_rate,
    appeal_reply,
    appeal_review_decide,
    appeal_send,
    assignment_accept,
    assignment_object,
)
from ..transitions import Action, State
from .staff_forms import CallbackForm, DispatchForm, ObjectForm, ReplyForm, ReviewForm

STEPS = frozenset({"dispatch", "accept", "object", "reply", "review", "callback"})
QUEUE_LABELS = {
    "dispatch": gettext_lazy("To dispatch"),
    "unit": gettext_lazy("To accept"),
    "handling": gettext_lazy("Being handled"),
    "review": gettext_lazy("To review"),
    "answered": gettext_lazy("Answered, awaiting rating"),
}


@login_required
def workspace(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not user.is_official:  # type: ignore[union-attr]
        raise Http404
    queues = selectors.queues_for(user)
    queue = request.GET.get("queue") or queues[0]
    if queue not in queues:
        raise Http404
    page = Paginator(selectors.appeal_queue(user=user, queue=queue), 50).get_page(request.GET.get("page"))
    tabs = [(name, str(QUEUE_LABELS[name]), selectors.appeal_queue(user=user, queue=name).count()) for name in queues]
    return render(request, "appeals/work.html", {"queue": queue, "tabs": tabs, "page": page})


def _forms_for(user: Any, appeal: Any, data: Any = None, only: str | None = None) -> dict[str, Any]:
    """The step forms ``user`` may use on ``appeal`` now (bound to ``data`` for the one named ``only``)."""

    def bound(name: str) -> Any:
        return data if only == name else None

    forms: dict[str, Any] = {}
    if can_dispatch(user, appeal) and appeal.state in (State.RECEIVED, State.PENDING_DISPATCH, State.OBJECTED):
        forms["dispatch"] = DispatchForm(bound("dispatch"))
    if acts_for_unit(user, appeal.lead_unit):
        if appeal.state == State.DISPATCHED:
            forms["accept"] = True
            forms["object"] = ObjectForm(bound("object"))
        if appeal.state == State.IN_PROGRESS:
            forms["reply"] = ReplyForm(bound("reply"))
    if appeal.state == State.UNDER_REVIEW and can_review(user, appeal):
        forms["review"] = ReviewForm(bound("review"))
    if appeal.state == State.REPLIED and can_call_back(user, appeal):
        forms["callback"] = CallbackForm(bound("callback"))
    return forms


def _case_context(user: Any, appeal: Any, forms: dict[str, Any]) -> dict[str, Any]:
    labels = dict(Action.choices)
    timeline = [
        {
            "when": event.at,
            "title": f"{labels.get(event.action, event.action)}{' · ' + event.unit.label if event.unit else ''}",
            "body": "\n".join(part for part in (event.public_message, event.note) if part),
        }
        for event in appeal.events.select_related("unit").order_by("at", "id")
    ]
    return {
        "appeal": appeal,
        "contact": selectors.contact_for(user=user, appeal=appeal),
        "assignments": appeal.assignments.select_related("unit").order_by("dispatched_at", "id"),
        "timeline": timeline,
        "forms": forms,
    }


@login_required
def case(request: HttpRequest, code: str) -> HttpResponse:
    appeal = selectors.appeal_for_staff(user=request.user, code=code)
    if appeal is None:
        raise Http404
    return render(request, "appeals/case.html", _case_context(request.user, appeal, _forms_for(request.user, appeal)))


@login_required
@require_POST
def case_step(request: HttpRequest, code: str, step: str) -> HttpResponse:
    """Take one step on the case page; on a refused step, the page comes back with the reason and the
    answers kept."""
    user = request.user
    appeal = selectors.appeal_for_staff(user=user, code=code)
    if appeal is None:
        raise Http404
    if step not in STEPS:
        raise Http404
    forms = _forms_for(user, appeal, request.POST, only=step)
    if step not in forms:
        # A double click, or someone else was quicker: say so instead of failing.
        messages.info(request, _("This step is no longer available: the appeal has moved on."))
        return redirect("appeals:case", code=appeal.tracking_code)
    form = forms[step]
    if form is True or form.is_valid():
        data = {} if form is True else form.cleaned_data
        try:
            _take(step, user, appeal, data)
        except DomainError as error:
            if form is True:
                messages.error(request, str(error.message))
            else:
                form.add_error(error.field if error.field in form.fields else None, str(error.message))
        else:
            messages.success(request, _("Done."))
            return redirect("appeals:case", code=appeal.tracking_code)
    return render(
        request, "appeals/case.html", _case_context(user, appeal, forms), status=400 if form is not True else 200
    )


def _take(step: str, user: Any, appeal: Any, data: dict[str, Any]) -> None:
    if step == "dispatch":
        appeal_send(actor=user, appeal=appeal, unit=data["unit"], reason=data["reason"])
    elif step == "accept":
        assignment_accept(actor=user, appeal=appeal)
    elif step == "object":
        assignment_object(actor=user, appeal=appeal, reason=data["reason"])
    elif step == "reply":
        appeal_reply(actor=user, appeal=appeal, outcome=data["outcome"], text=data["text"])
    elif step == "review":
        appeal_review_decide(actor=user, appeal=appeal, reopen=data["decision"] == "reopen", reason=data["reason"])
    elif step == "callback":
        appeal_rate(actor=user, appeal=appeal, satisfaction=data["satisfaction"], solved=data["solved"])
