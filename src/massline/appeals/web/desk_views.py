"""Letters and visits: the reception desk (register a letter or a visit, issue the written acknowledgement, record
a review request), the supervisors' review decisions, and the petitioner's own acknowledgement and review
request from the public tracking page."""

from __future__ import annotations

import hashlib
import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import formats
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from massline.accounts.permissions import is_platform_admin
from massline.accounts.roles import Role
from massline.core import clock
from massline.core.errors import DomainError, PermissionDenied

from .. import selectors
from ..acknowledgement import acknowledgement_pdf
from ..attachments import attachments_check
from ..choices import Channel, ReviewLevel, Track
from ..models import Appeal, ReviewRequest
from ..passphrase import passphrase_matches
from ..permissions import can_review
from ..services import (
    ContactInput,
    acknowledgement_record,
    at_reception_desk,
    petition_register,
    re_review_decide,
    re_review_request,
    review_decide,
    review_request,
    review_window,
)
from ..transitions import State
from .desk_forms import DeskRegistrationForm, PassphraseForm, ReviewDecisionForm, ReviewRequestForm
from .limits import Limited, passphrase_limited

RECEIPT_SESSION_KEY = "appeals_desk_receipt"
REVIEW_STATES = (State.REVIEW, State.RE_REVIEW)
# The tracking page carries several passphrase fields (rating, acknowledgement, review): prefixes keep ids apart.
ACK_PREFIX, REVIEW_PREFIX = "ack", "review"


def _desk_staff(user: Any) -> bool:
    return bool(user.has_role(Role.OPERATOR) or is_platform_admin(user))


def _form_error(form: Any, error: DomainError, *, rename: dict[str, str] | None = None) -> None:
    field = (rename or {}).get(error.field or "", error.field)
    form.add_error(field if field in form.fields else None, str(error.message))


@login_required
@sensitive_post_parameters("name", "address", "phone", "representatives")
@require_http_methods(["GET", "POST"])
def desk_register(request: HttpRequest) -> HttpResponse:
    """Register a letter or a visit; on any refusal the page comes back with every answer kept."""
    if not _desk_staff(request.user):
        raise Http404
    form = DeskRegistrationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            scans = attachments_check(data["scans"]) if data["channel"] == Channel.LETTER else []
            result = petition_register(
                actor=request.user,
                channel=data["channel"],
                kind=data["kind"],
                title=data["title"],
                description=data["description"],
                contact=ContactInput(name=data["name"], phone=data["phone"], address=data["address"]),
                area=data["area"],
                category=data["category"],
                location_text=data["location_text"],
                contact_confidential=data["contact_confidential"],
                scans=scans,
                visitor_count=data["visitor_count"] if data["channel"] == Channel.VISIT else None,
                representatives=data["representatives"] if data["channel"] == Channel.VISIT else [],
                idempotency_key=_session_scoped_key(request),
            )
        except PermissionDenied:
            form.add_error("area", _("Your reception desk does not cover this area."))
        except DomainError as error:
            _form_error(form, error, rename={"attachments": "scans"})
        else:
            earlier = request.session.get(RECEIPT_SESSION_KEY) or {}
            if result.created or earlier.get("code") != result.appeal.tracking_code:
                request.session[RECEIPT_SESSION_KEY] = {
                    "code": result.appeal.tracking_code,
                    "passphrase": result.passphrase,
                }
            return redirect("appeals:desk_registered")
    return render(
        request,
        "appeals/desk/register.html",
        {"form": form, "idempotency_key": request.POST.get("idempotency_key") or uuid.uuid4().hex},
        status=400 if form.is_bound else 200,
    )


def _session_scoped_key(request: HttpRequest) -> str | None:
    raw = (request.POST.get("idempotency_key") or "")[:60]
    if not raw:
        return None
    if not request.session.session_key:
        request.session.save()
    return f"desk:{request.session.session_key}:{raw}"


@login_required
def desk_registered(request: HttpRequest) -> HttpResponse:
    """Shown once after registering: the tracking code and the passphrase, to hand to the petitioner."""
    if not _desk_staff(request.user):
        raise Http404
    receipt = request.session.pop(RECEIPT_SESSION_KEY, None)
    if not receipt:
        return redirect("appeals:desk")
    return render(request, "appeals/desk/registered.html", {"receipt": receipt})


def _petition_for_staff(request: HttpRequest, code: str) -> Appeal:
    appeal = selectors.appeal_for_staff(user=request.user, code=code)
    if appeal is None or appeal.track != Track.PETITION:
        raise Http404
    return appeal


@login_required
@require_http_methods(["GET", "POST"])
def desk_case(request: HttpRequest, code: str) -> HttpResponse:
    """The petition's own page for staff who may see the appeal: how it arrived, the representatives (when the
    person may see them), the reviews; the desk records a review request brought in person or by letter."""
    appeal = _petition_for_staff(request, code)
    user = request.user
    window = review_window(appeal)
    desk = at_reception_desk(user, appeal)
    record_form = ReviewRequestForm(request.POST or None) if desk and window.level else None
    if record_form is not None:
        del record_form.fields["passphrase"]
    if request.method == "POST":
        if record_form is None:
            messages.info(request, _("This step is no longer available: the appeal has moved on."))
            return redirect("appeals:desk_case", code=appeal.tracking_code)
        if record_form.is_valid():
            service = review_request if window.level == ReviewLevel.REVIEW else re_review_request
            try:
                service(actor=user, appeal=appeal, reason=record_form.cleaned_data["reason"])
            except DomainError as error:
                _form_error(record_form, error)
            else:
                messages.success(request, _("The request has been recorded."))
                return redirect("appeals:desk_case", code=appeal.tracking_code)
    context = {
        "appeal": appeal,
        "representatives": selectors.representatives_for(user=user, appeal=appeal),
        "scans": appeal.attachments.filter(kind="scan").count(),
        "reviews": ReviewRequest.objects.filter(appeal=appeal).select_related("reviewing_unit"),
        "window": window,
        "desk": desk,
        "record_form": record_form,
        "can_decide": appeal.state in REVIEW_STATES and can_review(user, appeal),
    }
    return render(request, "appeals/desk/case.html", context, status=400 if record_form and record_form.errors else 200)


def _pdf_response(appeal: Appeal, *, actor: Any, via: str) -> HttpResponse:
    pdf = acknowledgement_pdf(appeal)
    acknowledgement_record(actor=actor, appeal=appeal, via=via, sha256=hashlib.sha256(pdf).hexdigest())
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="acknowledgement-{appeal.tracking_code}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
def desk_acknowledgement(request: HttpRequest, code: str) -> HttpResponse:
    """The written acknowledgement, for reception staff whose desk covers the appeal."""
    appeal = _petition_for_staff(request, code)
    if not at_reception_desk(request.user, appeal):
        raise Http404
    return _pdf_response(appeal, actor=request.user, via="desk")


def _public_petition(code: str) -> Appeal:
    appeal = (
        Appeal.objects.select_related("lead_unit", "policy", "area")
        .filter(tracking_code=code.upper(), track=Track.PETITION)
        .first()
    )
    if appeal is None:
        raise Http404
    return appeal


def _too_many(request: HttpRequest, appeal: Any, limited: Limited) -> HttpResponse:
    """Too many passphrase attempts: 429 with the time to wait, and the hotline as the other way."""
    response = render(request, "appeals/too_many.html", {"appeal": appeal, "minutes": limited.minutes}, status=429)
    response["Retry-After"] = str(limited.retry_after)
    return response


@sensitive_post_parameters("passphrase")
@require_http_methods(["GET", "POST"])
def track_acknowledgement(request: HttpRequest, code: str) -> HttpResponse:
    """The petitioner downloads the acknowledgement again with the passphrase (a POST, never in a link)."""
    appeal = _public_petition(code)
    if request.method == "GET":
        return redirect("appeals:detail", code=appeal.tracking_code)
    form = PassphraseForm(request.POST, prefix=ACK_PREFIX)
    limited = passphrase_limited(request, code=appeal.tracking_code)  # every attempt counts
    if limited is not None:
        return _too_many(request, appeal, limited)
    if not form.is_valid() or not passphrase_matches(form.cleaned_data["passphrase"], appeal.passphrase_hash):
        messages.error(request, _("That passphrase is not the one given when the appeal was registered."))
        return redirect("appeals:detail", code=appeal.tracking_code)
    return _pdf_response(appeal, actor=request.user, via="tracking")


@sensitive_post_parameters("passphrase")
@require_http_methods(["GET", "POST"])
def track_review_request(request: HttpRequest, code: str) -> HttpResponse:
    """The petitioner asks for a review, or later a re-review, with the passphrase."""
    appeal = _public_petition(code)
    window = review_window(appeal)
    form = ReviewRequestForm(request.POST or None, prefix=REVIEW_PREFIX)
    if request.method == "POST":
        limited = passphrase_limited(request, code=appeal.tracking_code)  # every attempt counts
        if limited is not None:
            return _too_many(request, appeal, limited)
    if request.method == "POST" and form.is_valid():
        service = re_review_request if window.level == ReviewLevel.RE_REVIEW else review_request
        try:
            appeal = service(
                actor=request.user,
                appeal=appeal,
                reason=form.cleaned_data["reason"],
                passphrase=form.cleaned_data["passphrase"],
            )
        except PermissionDenied:
            form.add_error("passphrase", _("That passphrase is not the one given when the appeal was registered."))
        except DomainError as error:
            _form_error(form, error)
        else:
            due = appeal.due_at.astimezone(clock.local_zone()).date() if appeal.due_at else None
            messages.success(
                request,
                _("Your request has been received. The answer is due by %(date)s.")
                % {"date": formats.date_format(due, "DATE_FORMAT") if due else "—"},
            )
            return redirect("appeals:detail", code=appeal.tracking_code)
    return render(
        request,
        "appeals/desk/review_request.html",
        {"appeal": appeal, "window": window, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
def desk_reviews(request: HttpRequest) -> HttpResponse:
    """Reviews and re-reviews waiting for a decision in the supervisor's area."""
    user: Any = request.user
    if not (user.has_role(Role.SUPERVISOR) or is_platform_admin(user)):
        raise Http404
    return render(
        request, "appeals/desk/reviews.html", {"appeals": selectors.petition_reviews_pending(user=request.user)[:200]}
    )


@login_required
@require_http_methods(["GET", "POST"])
def desk_review(request: HttpRequest, code: str) -> HttpResponse:
    """The supervisor's written decision on a review or a re-review."""
    appeal = _petition_for_staff(request, code)
    if not can_review(request.user, appeal):
        raise Http404
    level = ReviewLevel.RE_REVIEW if appeal.state == State.RE_REVIEW else ReviewLevel.REVIEW
    pending = appeal.state in REVIEW_STATES
    form = ReviewDecisionForm(request.POST or None) if pending else None
    if request.method == "POST":
        if form is None:
            messages.info(request, _("This step is no longer available: the appeal has moved on."))
            return redirect("appeals:desk_case", code=appeal.tracking_code)
        if form.is_valid():
            service = re_review_decide if level == ReviewLevel.RE_REVIEW else review_decide
            try:
                service(
                    actor=request.user,
                    appeal=appeal,
                    decision=form.cleaned_data["decision"],
                    text=form.cleaned_data["text"],
                )
            except DomainError as error:
                _form_error(form, error)
            else:
                messages.success(request, _("The decision has been recorded."))
                return redirect("appeals:desk_reviews")
    context = {
        "appeal": appeal,
        "form": form,
        "level": level,
        "request_row": ReviewRequest.objects.filter(appeal=appeal, level=level).first(),
        "reviews": ReviewRequest.objects.filter(appeal=appeal).select_related("reviewing_unit"),
    }
    return render(request, "appeals/desk/review.html", context, status=400 if form and form.errors else 200)
