"""The hotline operator's console: one screen per call, driven by the keyboard (docs/hotline-console.md).

The side panel follows the typing through htmx: the caller's earlier appeals by phone number, similar open
appeals, and earlier public answers to similar consultations."""

from __future__ import annotations

import re
import uuid
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods

from massline.accounts.roles import Role
from massline.core.errors import DomainError

from ..choices import Channel, Urgency
from ..selectors.callers import MIN_DIGITS, caller_history
from ..selectors.knowledge import knowledge_search
from ..selectors.similar import similar_open_appeals
from ..services import ContactInput, appeal_answer_on_the_spot, appeal_submit
from ..transitions import State
from .console_forms import ANSWER, CallForm, HintForm

RESULT_SESSION_KEY = "appeals_console_result"


def _operator(request: HttpRequest) -> Any:
    """Hotline operators only; for anyone else the console does not exist (as the staff pages answer)."""
    user = request.user
    if not user.has_role(Role.OPERATOR):  # type: ignore[union-attr]
        raise Http404
    return user


@login_required
@sensitive_post_parameters("phone", "name")
@require_http_methods(["GET", "POST"])
def console_call(request: HttpRequest) -> HttpResponse:
    """The call screen. Each screen carries its own key, so pressing submit twice records one appeal."""
    operator = _operator(request)
    form = CallForm(request.POST or None, initial={"call_key": uuid.uuid4().hex})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        answering = data["action"] == ANSWER
        try:
            with transaction.atomic():
                result = appeal_submit(
                    actor=operator,
                    kind=data["kind"],
                    channel=Channel.HOTLINE,
                    title=data["title"],
                    description=data["description"],
                    location_text=data["location_text"],
                    area=data["area"],
                    category=data["category"],
                    contact=ContactInput(name=data["name"], phone=re.sub(r"[\s-]", "", data["phone"])),
                    anonymous=data["anonymous"],
                    contact_confidential=data["contact_confidential"],
                    publish_consent=data["publish_consent"],
                    urgency=Urgency.URGENT if data["urgent"] else Urgency.NORMAL,
                    idempotency_key=f"console:{operator.pk}:{data['call_key']}",
                    route_after_commit=not answering,
                )
                appeal = result.appeal
                if answering and appeal.state == State.RECEIVED:
                    appeal = appeal_answer_on_the_spot(actor=operator, appeal=appeal, text=data["answer"])
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error.message))
        else:
            earlier = request.session.get(RESULT_SESSION_KEY) or {}
            if result.created or earlier.get("code") != appeal.tracking_code:
                request.session[RESULT_SESSION_KEY] = {
                    "code": appeal.tracking_code,
                    "passphrase": result.passphrase,
                    "answered": appeal.state == State.CLOSED,
                }
            return redirect("appeals:console_done")
    return render(request, "appeals/console/call.html", {"form": form})


@login_required
@require_GET
def console_done(request: HttpRequest) -> HttpResponse:
    """The tracking code, big, to be read out; then a new call."""
    _operator(request)
    result = request.session.get(RESULT_SESSION_KEY)
    if not result:
        return redirect("appeals:console")
    return render(request, "appeals/console/done.html", {"result": result})


@login_required
@require_GET
def console_caller(request: HttpRequest) -> HttpResponse:
    """The caller's earlier appeals (htmx partial)."""
    operator = _operator(request)
    phone = (request.GET.get("phone") or "")[:30]
    enough = len(re.sub(r"\D", "", phone)) >= MIN_DIGITS
    appeals = list(caller_history(user=operator, phone=phone)) if enough else None
    return render(request, "appeals/console/_caller.html", {"appeals": appeals, "phone": phone})


@login_required
@require_GET
def console_hints(request: HttpRequest) -> HttpResponse:
    """Similar open appeals and earlier answers for the text typed so far (htmx partial)."""
    operator = _operator(request)
    form = HintForm(request.GET)
    form.is_valid()
    data = form.cleaned_data
    text = f"{data.get('title') or ''}\n{data.get('description') or ''}".strip()
    context = {
        "typed": bool(text),
        "similar": similar_open_appeals(user=operator, text=text, area=data.get("area"), category=data.get("category")),
        "answers": knowledge_search(text=text),
    }
    return render(request, "appeals/console/_hints.html", context)
