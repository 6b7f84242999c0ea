"""The citizen's pages: submit, receipt, track, rate. Public pages never show personal data."""

import uuid

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from massline.core.errors import DomainError, PermissionDenied

from ..models import Appeal
from ..services import ContactInput, appeal_rate, appeal_submit
from ..transitions import Action, State
from .forms import AppealForm, RatingForm, TrackForm

RECEIPT_SESSION_KEY = "appeals_receipt"


@sensitive_post_parameters("passphrase", "name", "phone", "email")
@require_http_methods(["GET", "POST"])
def appeal_new(request: HttpRequest) -> HttpResponse:
    form = AppealForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            result = appeal_submit(
                actor=request.user,
                kind=data["kind"],
                channel="web",
                title=data["title"],
                description=data["description"],
                location_text=data["location_text"],
                area=data["area"],
                category=data["category"],
                contact=ContactInput(name=data["name"], phone=data["phone"], email=data["email"]),
                anonymous=data["anonymous"],
                contact_confidential=data["contact_confidential"],
                passphrase=data["passphrase"],
                idempotency_key=_session_scoped_key(request),
            )
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error.message))
        else:
            earlier = request.session.get(RECEIPT_SESSION_KEY) or {}
            if result.created or earlier.get("code") != result.appeal.tracking_code:
                # A double click's second answer must not replace the first one's passphrase.
                request.session[RECEIPT_SESSION_KEY] = {
                    "code": result.appeal.tracking_code,
                    "passphrase": result.passphrase,
                }
            return redirect("appeals:receipt")
    return render(
        request,
        "appeals/new.html",
        {"form": form, "idempotency_key": request.POST.get("idempotency_key") or uuid.uuid4().hex},
    )


def _session_scoped_key(request: HttpRequest) -> str | None:
    """The form's one-time key, scoped to the visitor's session so nobody else's retry can match it."""
    raw = (request.POST.get("idempotency_key") or "")[:60]
    if not raw:
        return None
    if not request.session.session_key:
        request.session.save()
    return f"web:{request.session.session_key}:{raw}"


def appeal_receipt(request: HttpRequest) -> HttpResponse:
    """Shown once after submitting: the tracking code and the passphrase (kept only as a hash)."""
    receipt = request.session.pop(RECEIPT_SESSION_KEY, None)
    if not receipt:
        return redirect("appeals:track")
    return render(request, "appeals/receipt.html", {"receipt": receipt})


def appeal_track(request: HttpRequest) -> HttpResponse:
    form = TrackForm(request.GET or None)
    if form.is_bound and form.is_valid():
        code = form.cleaned_data["code"]
        if Appeal.objects.filter(tracking_code=code).exists():
            return redirect("appeals:detail", code=code)
        form.add_error("code", _("No appeal has this tracking code. Check it and try again."))
    return render(request, "appeals/track.html", {"form": form})


@sensitive_post_parameters("passphrase")
@require_http_methods(["GET", "POST"])
def appeal_detail(request: HttpRequest, code: str) -> HttpResponse:
    """The public tracking page: stage, responsible unit, deadline, public steps and reply; never who raised
    it or internal notes."""
    appeal = Appeal.objects.select_related("lead_unit", "category", "area").filter(tracking_code=code.upper()).first()
    if appeal is None:
        raise Http404
    rating_form = RatingForm(request.POST or None) if appeal.state == State.REPLIED else None
    if request.method == "POST" and rating_form is not None and rating_form.is_valid():
        try:
            appeal_rate(
                actor=request.user,
                appeal=appeal,
                satisfaction=rating_form.cleaned_data["satisfaction"],
                solved=rating_form.cleaned_data["solved"],
                passphrase=rating_form.cleaned_data["passphrase"],
            )
        except PermissionDenied:
            rating_form.add_error(
                "passphrase", _("That passphrase is not the one given when the appeal was submitted.")
            )
        except DomainError as error:
            rating_form.add_error(None, str(error.message))
        else:
            messages.success(request, _("Thank you. Your rating has been recorded."))
            return redirect("appeals:detail", code=appeal.tracking_code)
    labels = dict(Action.choices)
    timeline = []
    for event in (
        appeal.events.select_related("unit").only("at", "action", "public_message", "unit").order_by("at", "id")
    ):
        body = event.public_message
        if event.action == Action.DISPATCH and event.unit is not None:
            body = _("Sent to %(unit)s.") % {"unit": event.unit.label}
        timeline.append({"when": event.at, "title": labels.get(event.action, event.action), "body": body})
    return render(request, "appeals/detail.html", {"appeal": appeal, "timeline": timeline, "rating_form": rating_form})
