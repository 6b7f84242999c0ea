"""The owner unit's pages: the matters it runs, opening one, and the matter's working page where every step of
the procedure is taken. Each step is one form and one service; a refused step comes back with the reason and
the answers kept, and the page always says what is still missing before the matter may move on."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from massline.accounts.permissions import Scope, scope_filter, scope_for
from massline.core.errors import DomainError
from massline.org.models import Area, Unit

from .. import selectors, services
from ..models import Body, Hearing, Matter, Meeting, Step
from ..permissions import RUNNING_ROLES, may_run
from . import forms
from .views import matter_context, refuse


def _units_for(user: Any) -> Any:
    """The units whose matters ``user`` may open: in their units' subtrees or their areas."""
    units = Unit.objects.select_related("area").filter(is_active=True)
    return scope_filter(units, scope_for(user, *RUNNING_ROLES), area_path="area__path", unit_path="path")


def _areas_for(user: Any) -> Any:
    """The areas a matter of ``user``'s may concern: their areas, and those of the units they run."""
    scope = scope_for(user, *RUNNING_ROLES)
    areas = Area.objects.filter(is_active=True)
    if scope.everything:
        return areas
    paths = tuple(sorted(set(scope.area_paths) | set(_units_for(user).values_list("area__path", flat=True))))
    return scope_filter(areas, Scope(area_paths=paths), area_path="path")


@login_required
def manage_list(request: HttpRequest) -> HttpResponse:
    matters = selectors.matters_run_by(request.user)
    if not _units_for(request.user).exists():
        raise Http404
    page = Paginator(matters, 30).get_page(request.GET.get("page"))
    return render(request, "consultations/manage_list.html", {"page": page})


@login_required
def manage_new(request: HttpRequest) -> HttpResponse:
    units, areas = _units_for(request.user), _areas_for(request.user)
    if not units.exists():
        raise Http404
    form = forms.MatterCreateForm(request.POST or None, units=units, areas=areas)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                matter = services.matter_create(actor=request.user, **form.cleaned_data)
            except DomainError as error:
                refuse(request, form, error)
            else:
                messages.success(request, _("The matter is open."))
                return redirect("consultations:manage", code=matter.code)
    return render(request, "consultations/manage_new.html", {"form": form}, status=status)


def _runnable(user: Any, code: str) -> Matter:
    matter = selectors.public_matter(code)
    if matter is None or not may_run(user, matter):
        raise Http404
    return matter


def _open_meeting(matter: Matter) -> Meeting | None:
    return matter.meetings.filter(closed_at__isnull=True).first()


def _residents_choices(meeting: Meeting | None) -> list[tuple[int, str]]:
    if meeting is None:
        return []
    return [
        (resident.pk, f"{resident.name} · {resident.household}")
        for resident in selectors.eligible_for_meeting(meeting).order_by("household", "id")
    ]


def _voter_choices(meeting: Meeting | None) -> list[tuple[int, str]]:
    if meeting is None:
        return []
    present = selectors.eligible_for_meeting(meeting).filter(pk__in=meeting.attendance.values("resident_id"))
    return [
        (resident.pk, f"{resident.name} · {resident.household}") for resident in present.order_by("household", "id")
    ]


@dataclass(frozen=True)
class StepAction:
    form: Callable[..., Any]
    run: Callable[[Any, Matter, dict[str, Any], Any], Any]
    done: str = ""


def _hearing(matter: Matter, pk: int) -> Hearing:
    hearing = matter.hearings.filter(pk=pk).first()
    if hearing is None:
        raise DomainError(_("There is no such hearing."))
    return hearing


def _meeting(matter: Matter) -> Meeting:
    meeting = _open_meeting(matter)
    if meeting is None:
        raise DomainError(_("No meeting is open."))
    return meeting


ACTIONS: dict[str, StepAction] = {
    "advance": StepAction(
        forms.NoteForm, lambda user, m, d, f: services.matter_advance(actor=user, matter=m, note=d["note"])
    ),
    "withdraw": StepAction(
        forms.WithdrawForm, lambda user, m, d, f: services.matter_withdraw(actor=user, matter=m, reason=d["reason"])
    ),
    "document": StepAction(
        forms.DocumentForm,
        lambda user, m, d, f: services.document_add(
            actor=user, matter=m, title=d["title"], upload=d["file"], is_photo=d["is_photo"]
        ),
    ),
    "answer": StepAction(
        forms.AnswerForm,
        lambda user, m, d, f: services.comment_answer(
            actor=user,
            comment=m.comments.get(pk=d["comment"]),
            answer_kind=d["answer_kind"],
            answer_text=d["answer_text"],
        ),
    ),
    "statement": StepAction(
        forms.StatementForm, lambda user, m, d, f: services.statement_add(actor=user, matter=m, text=d["text"])
    ),
    "feedback": StepAction(
        forms.FeedbackForm,
        lambda user, m, d, f: services.feedback_publish(actor=user, matter=m, changes=d["changes"]),
    ),
    "hearing": StepAction(
        forms.HearingForm, lambda user, m, d, f: services.hearing_schedule(actor=user, matter=m, **d)
    ),
    "speakers": StepAction(
        forms.HearingPickForm,
        lambda user, m, d, f: services.hearing_select_speakers(actor=user, hearing=_hearing(m, d["hearing"])),
    ),
    "hearing_record": StepAction(
        forms.HearingRecordForm,
        lambda user, m, d, f: services.hearing_record(
            actor=user, hearing=_hearing(m, d["hearing"]), minutes=d["minutes"], dissent=d["dissent"]
        ),
    ),
    "risk_open": StepAction(forms.EmptyForm, lambda user, m, d, f: services.risk_assessment_open(actor=user, matter=m)),
    "risk_item": StepAction(
        forms.RiskItemForm,
        lambda user, m, d, f: services.risk_item_set(
            actor=user,
            matter=m,
            item_id=d["item"],
            description=d["description"],
            likelihood=d["likelihood"],
            impact=d["impact"],
            mitigation=d["mitigation"],
        ),
    ),
    "risk_survey": StepAction(
        forms.RiskSurveyForm, lambda user, m, d, f: services.risk_survey_record(actor=user, matter=m, **d)
    ),
    "risk_sign": StepAction(
        forms.RiskSignForm, lambda user, m, d, f: services.risk_assessment_sign(actor=user, matter=m, **d)
    ),
    "legal_review": StepAction(
        forms.LegalReviewForm,
        lambda user, m, d, f: services.matter_legal_review(actor=user, matter=m, opinion=d["opinion"]),
    ),
    "meeting": StepAction(
        forms.MeetingForm, lambda user, m, d, f: services.meeting_schedule(actor=user, matter=m, **d)
    ),
    "attendance": StepAction(
        forms.AttendanceForm,
        lambda user, m, d, f: services.meeting_attend(actor=user, meeting=_meeting(m), resident_ids=d["residents"]),
    ),
    "quorum": StepAction(
        forms.QuorumForm,
        lambda user, m, d, f: services.meeting_check_quorum(
            actor=user, meeting=_meeting(m), members_present=d["members_present"]
        ),
    ),
    "speech": StepAction(
        forms.SpeechForm, lambda user, m, d, f: services.meeting_speech(actor=user, meeting=_meeting(m), **d)
    ),
    "ballot": StepAction(
        forms.BallotForm,
        lambda user, m, d, f: services.meeting_vote(
            actor=user, meeting=_meeting(m), resident_id=d["resident"], choice=d["choice"], reason=d["reason"]
        ),
    ),
    "meeting_close": StepAction(
        forms.MeetingCloseForm, lambda user, m, d, f: services.meeting_close(actor=user, meeting=_meeting(m), **d)
    ),
    "publicity": StepAction(
        forms.PublicityForm, lambda user, m, d, f: services.publicity_open(actor=user, matter=m, text=d["text"])
    ),
    "objection_answer": StepAction(
        forms.ObjectionAnswerForm,
        lambda user, m, d, f: services.objection_answer(
            actor=user,
            objection=_objection(m, d["objection"]),
            outcome=d["outcome"],
            answer=d["answer"],
        ),
    ),
    "milestone": StepAction(
        forms.MilestoneForm, lambda user, m, d, f: services.milestone_set(actor=user, matter=m, **d)
    ),
    "milestone_done": StepAction(
        forms.MilestoneDoneForm,
        lambda user, m, d, f: services.milestone_done(
            actor=user, matter=m, milestone_id=d["milestone"], note=d["note"]
        ),
    ),
    "spending": StepAction(
        forms.SpendingForm, lambda user, m, d, f: services.spending_record(actor=user, matter=m, **d)
    ),
}


def _objection(matter: Matter, pk: int) -> Any:
    from ..models import Objection

    objection = Objection.objects.filter(publicity__matter=matter, pk=pk).first()
    if objection is None:
        raise DomainError(_("There is no such objection."))
    return objection


def _choices(name: str, matter: Matter) -> list[tuple[Any, str]] | None:
    """The list a step picks from, or None when the step picks nothing."""
    meeting = _open_meeting(matter)
    short = lambda text: text if len(text) <= 60 else f"{text[:59]}…"  # noqa: E731
    if name == "attendance":
        return _residents_choices(meeting)
    if name == "ballot":
        return _voter_choices(meeting)
    if name == "answer":
        return [(c.pk, f"#{c.pk} {short(c.text)}") for c in matter.comments.filter(answered_at__isnull=True)]
    if name in ("speakers", "hearing_record"):
        return [
            (h.pk, f"{date_format(localtime(h.scheduled_for), 'SHORT_DATETIME_FORMAT')} {h.place}")
            for h in matter.hearings.filter(held_at__isnull=True)
        ]
    if name == "risk_item":
        assessment = matter.assessments.filter(signed_at__isnull=True).first()
        items = assessment.items.all() if assessment else []
        return [("", "—")] + [(i.pk, f"{short(i.description)} ({i.likelihood}×{i.impact})") for i in items]
    if name == "objection_answer":
        from ..models import Objection

        open_ones = Objection.objects.filter(publicity__matter=matter, answered_at__isnull=True)
        return [(o.pk, f"#{o.pk} {short(o.text)}") for o in open_ones]
    if name == "milestone_done":
        return [(m.pk, m.title) for m in matter.milestones.filter(done_on__isnull=True)]
    return None


def _form(name: str, matter: Matter, data: Any = None, files: Any = None) -> Any:
    factory = ACTIONS[name].form
    choices = _choices(name, matter)
    if choices is not None:
        return factory(data, files, prefix=name, choices=choices)
    return factory(data, files, prefix=name)


def _manage_context(request: HttpRequest, matter: Matter, bound: dict[str, Any] | None = None) -> dict[str, Any]:
    staff_forms = {name: _form(name, matter) for name in ACTIONS}
    staff_forms.update(bound or {})
    meeting = _open_meeting(matter)
    context = matter_context(request, matter)
    context.update(
        {
            "forms": staff_forms,
            "open_meeting": meeting,
            "open_quorum": selectors.quorum_text(meeting) if meeting else "",
            "meeting_is_collective": meeting is not None and meeting.body == Body.COLLECTIVE,
            "attendance": set(meeting.attendance.values_list("resident_id", flat=True)) if meeting else set(),
            "open_assessment": matter.assessments.filter(signed_at__isnull=True).prefetch_related("items").first(),
            "unanswered": matter.comments.filter(answered_at__isnull=True),
            "open_objections": (
                context["publicity"].objections.filter(answered_at__isnull=True) if context["publicity"] else []
            ),
            "Step": Step,
        }
    )
    return context


@login_required
def manage(request: HttpRequest, code: str) -> HttpResponse:
    matter = _runnable(request.user, code)
    return render(request, "consultations/manage.html", _manage_context(request, matter))


@login_required
@require_POST
def manage_step(request: HttpRequest, code: str, action: str) -> HttpResponse:
    matter = _runnable(request.user, code)
    if action not in ACTIONS:
        raise Http404
    form = _form(action, matter, request.POST, request.FILES)
    if form.is_valid():
        try:
            ACTIONS[action].run(request.user, matter, form.cleaned_data, request.FILES)
        except DomainError as error:
            refuse(request, form, error)
        else:
            messages.success(request, _("Done."))
            return redirect("consultations:manage", code=matter.code)
    matter.refresh_from_db()
    return render(request, "consultations/manage.html", _manage_context(request, matter, {action: form}), status=400)
