"""Public pages of consultations: the list of matters, a matter's page with everything it publishes, and the
forms residents and the public use (co-sign, comment, vote on statements, ask to speak, object, say how
satisfied they are). Each form that fails comes back with its answers kept and the reason beside the field."""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from massline.core.errors import DomainError
from massline.core.pdf import render_pdf

from .. import selectors, services
from ..models import Hearing, Matter, Publicity, Step
from ..permissions import may_run
from ..transitions import blockers, comment_period_ends, satisfaction_ends
from . import forms

PARTICIPANT_COOKIE = "ml_participant"
PARTICIPANT_SALT = "massline.consultations.participant"


def participant_key(request: HttpRequest) -> str:
    """The anonymous key of this browser on the opinion map (a signed cookie), empty when it has none yet."""
    return str(request.get_signed_cookie(PARTICIPANT_COOKIE, default="", salt=PARTICIPANT_SALT) or "")


def refuse(request: HttpRequest, form: Any, error: DomainError) -> None:
    """Put a refusal beside its field; one that concerns no field of the form (the step is over, the period
    ended) goes at the top of the page, where it is read even when the form is no longer shown."""
    if error.field in form.fields:
        form.add_error(error.field, str(error.message))
    else:
        messages.error(request, str(error.message))


def matter_list(request: HttpRequest) -> HttpResponse:
    state = "closed" if request.GET.get("state") == "closed" else "open"
    page = Paginator(selectors.public_matters(state=state), 20).get_page(request.GET.get("page"))
    return render(request, "consultations/list.html", {"page": page, "state": state})


def _matter(code: str) -> Matter:
    matter = selectors.public_matter(code)
    if matter is None:
        raise Http404
    return matter


def matter_context(request: HttpRequest, matter: Matter, **bound: Any) -> dict[str, Any]:
    """Everything the matter's page shows; ``bound`` replaces a blank form by one that failed."""
    participant = participant_key(request)
    publicity = matter.publicities.order_by("-starts_at").first()
    hearings = list(matter.hearings.prefetch_related("speakers"))
    blank = {
        "sign_form": forms.SignForm(),
        "comment_form": forms.CommentForm(initial={"idempotency_key": secrets.token_urlsafe(16)}),
        "speaker_form": forms.SpeakerForm(),
        "objection_form": forms.ObjectionForm(),
        "satisfaction_form": forms.SatisfactionForm(),
    }
    opinion = selectors.opinion_summary(matter) if matter.statements.exists() else None
    return {
        "matter": matter,
        "steps": selectors.steps_of(matter),
        "may_run": request.user.is_authenticated and may_run(request.user, matter),
        "signatures": selectors.signature_progress(matter),
        "comments": matter.comments.all(),
        "comment_ends": comment_period_ends(matter) if matter.step == Step.COMMENT else None,
        "feedback": selectors.feedback_of(matter),
        "statements": selectors.statements_for(matter, participant),
        "opinion": opinion,
        "hearings": hearings,
        "assessments": matter.assessments.filter(signed_at__isnull=False).prefetch_related("items"),
        "meetings": selectors.meetings_of(matter),
        "publicity": publicity,
        "objections": [(objection, selectors.masked_name(objection.name)) for objection in publicity.objections.all()]
        if publicity
        else [],
        "milestones": matter.milestones.all(),
        "spending": matter.spending.all(),
        "spent": selectors.spending_of(matter),
        "documents": matter.documents.all(),
        "satisfaction": selectors.satisfaction_of(matter),
        "satisfaction_ends": satisfaction_ends(matter) if matter.step == Step.EVALUATION else None,
        "events": selectors.timeline_of(matter),
        "blockers": blockers(matter) if matter.is_open else [],
        **blank,
        **bound,
    }


def matter_detail(request: HttpRequest, code: str) -> HttpResponse:
    matter = _matter(code)
    return render(request, "consultations/matter.html", matter_context(request, matter))


def _public_post(request: HttpRequest, matter: Matter, form_name: str, form: Any, act: Any, done: str) -> HttpResponse:
    """Validate ``form``, run ``act(cleaned_data)``; on success say ``done`` and go back to the page, on a
    refusal show the page with the form as it was and the reason beside its field."""
    if form.is_valid():
        try:
            act(form.cleaned_data)
        except DomainError as error:
            refuse(request, form, error)
        else:
            messages.success(request, done)
            return redirect("consultations:matter", code=matter.code)
    context = matter_context(request, matter, **{form_name: form})
    return render(request, "consultations/matter.html", context, status=400)


@require_POST
def matter_sign(request: HttpRequest, code: str) -> HttpResponse:
    matter = _matter(code)
    return _public_post(
        request,
        matter,
        "sign_form",
        forms.SignForm(request.POST),
        lambda data: services.matter_sign(matter=matter, name=data["name"], id_number=data["id_number"]),
        _("Your co-signature is recorded."),
    )


@require_POST
def comment(request: HttpRequest, code: str) -> HttpResponse:
    matter = _matter(code)
    return _public_post(
        request,
        matter,
        "comment_form",
        forms.CommentForm(request.POST),
        lambda data: services.comment_submit(
            matter=matter,
            stance=data["stance"],
            text=data["text"],
            author_name=data["author_name"],
            idempotency_key=data["idempotency_key"],
        ),
        _("Your comment is published. The owner unit will answer it."),
    )


@require_POST
def statement_vote(request: HttpRequest, code: str, statement: int) -> HttpResponse:
    matter = _matter(code)
    participant = participant_key(request) or secrets.token_urlsafe(18)
    try:
        value = int(request.POST.get("value", ""))
        services.statement_vote(matter=matter, statement_id=statement, participant=participant, value=value)
    except (ValueError, DomainError) as error:
        messages.error(request, str(getattr(error, "message", _("Agree, disagree or pass."))))
    else:
        messages.success(request, _("Your vote is counted."))
    response = redirect(matter_url(matter))
    response.set_signed_cookie(
        PARTICIPANT_COOKIE, participant, salt=PARTICIPANT_SALT, max_age=3600 * 24 * 365, httponly=True, samesite="Lax"
    )
    return response


def matter_url(matter: Matter) -> str:
    from django.urls import reverse

    return reverse("consultations:matter", args=[matter.code])


@require_POST
def hearing_speak(request: HttpRequest, code: str, hearing: int) -> HttpResponse:
    matter = _matter(code)
    target = Hearing.objects.filter(matter=matter, pk=hearing).first()
    if target is None:
        raise Http404
    return _public_post(
        request,
        matter,
        "speaker_form",
        forms.SpeakerForm(request.POST),
        lambda data: services.speaker_register(hearing=target, **data),
        _("You are registered. The speakers are chosen so that every side is heard; the list is published here."),
    )


@require_POST
def objection(request: HttpRequest, code: str, publicity: int) -> HttpResponse:
    matter = _matter(code)
    target = Publicity.objects.filter(matter=matter, pk=publicity).first()
    if target is None:
        raise Http404
    return _public_post(
        request,
        matter,
        "objection_form",
        forms.ObjectionForm(request.POST),
        lambda data: services.objection_submit(publicity=target, **data),
        _("Your objection is recorded. It will be answered here before the publicity ends."),
    )


@require_POST
def satisfaction(request: HttpRequest, code: str) -> HttpResponse:
    matter = _matter(code)
    return _public_post(
        request,
        matter,
        "satisfaction_form",
        forms.SatisfactionForm(request.POST),
        lambda data: services.satisfaction_vote(matter=matter, **data),
        _("Thank you: your vote is counted."),
    )


def _pdf(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


def risk_report(request: HttpRequest, code: str, round: int) -> HttpResponse:
    """The signed social-stability risk assessment report, as PDF."""
    matter = _matter(code)
    assessment = matter.assessments.filter(round=round, signed_at__isnull=False).first()
    if assessment is None:
        raise Http404
    context = {"matter": matter, "assessment": assessment, "items": assessment.items.all()}
    return _pdf(render_pdf("consultations/risk_report.html", context), f"{matter.code}-risk-{round}.pdf")


def certificate(request: HttpRequest, code: str) -> HttpResponse:
    """The publicity certificate, once the period has ended and every objection was answered."""
    matter = _matter(code)
    publicity = matter.publicities.filter(certified_at__isnull=False).first()
    if publicity is None:
        raise Http404
    objections = list(publicity.objections.all())
    context = {"matter": matter, "publicity": publicity, "objections": objections}
    return _pdf(render_pdf("consultations/certificate.html", context), f"{matter.code}-publicity.pdf")
