"""The citizen's pages: submit, receipt, track, rate. Public pages never show personal data."""

import datetime as dt
import uuid
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods

from massline.core.errors import DomainError, PermissionDenied

from ..models import Appeal
from ..services import ContactInput, appeal_rate, appeal_submit
from ..services.special import instruction_for
from ..timeline import public_timeline
from ..transitions import State
from .forms import AppealForm, PlaceForm, RatingForm, TrackForm
from .limits import Limited, intake_limited, passphrase_limited

RECEIPT_SESSION_KEY = "appeals_receipt"
TOO_MANY_REQUESTS = 429


def _retry_context(limited: Limited) -> dict[str, Any]:
    at = timezone.localtime() + dt.timedelta(seconds=limited.retry_after)
    return {"retry_at": at, "retry_minutes": limited.minutes}


def _kept_form(request: HttpRequest) -> AppealForm:
    """The form as the citizen left it, without judging it: for the place picker's server-side step and for
    the page shown when a rate limit was reached. Files cannot be kept."""
    return AppealForm(initial=request.POST.dict())


@sensitive_post_parameters("passphrase", "name", "phone", "email")
@require_http_methods(["GET", "POST"])
def appeal_new(request: HttpRequest) -> HttpResponse:
    """The public form. A POST with ``refresh_places`` is the picker's step for browsers without JavaScript: the
    form comes back with the places inside the one chosen, and everything typed kept."""
    key = request.POST.get("idempotency_key") or uuid.uuid4().hex
    if request.method != "POST":
        form = AppealForm(initial={"area": request.GET.get("area", "")})
        return render(request, "appeals/new.html", {"form": form, "idempotency_key": key})
    if request.POST.get("refresh_places"):
        return render(request, "appeals/new.html", {"form": _kept_form(request), "idempotency_key": key})
    limited = intake_limited(request, increment=False)
    if limited is None:
        form = AppealForm(request.POST, request.FILES)
        if not form.is_valid():
            return render(request, "appeals/new.html", {"form": form, "idempotency_key": key})
        limited = intake_limited(request, increment=True)
    if limited is not None:
        context = {
            "form": _kept_form(request),
            "idempotency_key": key,
            "files_dropped": bool(request.FILES),
            **_retry_context(limited),
        }
        response = render(request, "appeals/new.html", context, status=TOO_MANY_REQUESTS)
        response["Retry-After"] = str(limited.retry_after)
        return response
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
            latitude=data["latitude"],
            longitude=data["longitude"],
            publish_consent=data["publish_consent"],
            attachments=form.checked_files,
            idempotency_key=_session_scoped_key(request),
        )
    except DomainError as error:
        form.add_error(error.field if error.field in form.fields else None, str(error.message))
        return render(request, "appeals/new.html", {"form": form, "idempotency_key": key})
    earlier = request.session.get(RECEIPT_SESSION_KEY) or {}
    if result.created or earlier.get("code") != result.appeal.tracking_code:
        # A double click's second answer must not replace the first one's passphrase.
        request.session[RECEIPT_SESSION_KEY] = {
            "code": result.appeal.tracking_code,
            "passphrase": result.passphrase,
            "attachments": len(form.checked_files),
        }
    return redirect("appeals:receipt")


@require_GET
def appeal_places(request: HttpRequest) -> HttpResponse:
    """The place picker alone (htmx): the lists below the level just chosen."""
    return render(request, "appeals/_place_picker.html", {"form": PlaceForm(request.GET)})


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
    limited = None
    if request.method == "POST" and rating_form is not None and rating_form.is_valid():
        # Every attempt counts, per client and per appeal, so a passphrase cannot be guessed by trying.
        limited = passphrase_limited(request, code=appeal.tracking_code)
    if limited is not None and rating_form is not None:
        rating_form.add_error(
            "passphrase",
            _(
                "Too many attempts. Try again after %(time)s (in about %(minutes)d minutes), "
                "or call the hotline to give your rating by phone."
            )
            % {"time": f"{_retry_context(limited)['retry_at']:%H:%M}", "minutes": limited.minutes},
        )
    elif request.method == "POST" and rating_form is not None and rating_form.is_valid():
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
    timeline = public_timeline(appeal)
    response = render(
        request,
        "appeals/detail.html",
        {
            "appeal": appeal,
            "timeline": timeline,
            "rating_form": rating_form,
            "instruction": instruction_for(appeal.special_route, appeal.special_route_detail),
        },
    )
    if limited is not None:
        response.status_code = TOO_MANY_REQUESTS
        response["Retry-After"] = str(limited.retry_after)
    return response
