"""The staff workspace: queues per role, and the case page where each step is taken."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from massline.core import clock
from massline.core.errors import DomainError, ValidationFailed
from massline.core.pagination import keyset_page

from .. import selectors
from ..choices import AssignmentRole, AssignmentState, ExtensionState, SpecialRoute, SupervisionState
from ..models import Extension, SupervisionOrder, UnitConsultation
from ..permissions import (
    acts_for_unit,
    can_call_back,
    can_decide_extension,
    can_dispatch,
    can_review,
    can_see_internal,
    can_supervise,
    hotline_covers,
)
from ..selectors.queues import BY_NAME, queue_order
from ..services import (
    appeal_contact,
    appeal_merge,
    appeal_note,
    appeal_rate,
    appeal_reply,
    appeal_review_decide,
    appeal_send,
    appeal_special_route,
    assignment_accept,
    assignment_object,
    co_unit_report,
    consultation_answer,
    extension_decide,
    extension_request,
    supervision_order_answer,
    supervision_order_close,
    supervision_order_issue,
    units_consult,
)
from ..services.dispatch import appeals_dispatch_many
from ..services.handling import reply_check, return_refusal
from ..services.special import instruction_for
from ..transitions import Action, State, TransitionNotAllowed, side_actions
from .staff_forms import (
    BulkDispatchForm,
    CallbackForm,
    ConsultAnswerForm,
    ConsultForm,
    ContactForm,
    CoReportForm,
    DispatchForm,
    ExtensionDecisionForm,
    ExtensionForm,
    MergeForm,
    NoteForm,
    ObjectForm,
    QueueFilterForm,
    ReplyForm,
    ReviewForm,
    SpecialRouteForm,
    SuperviseForm,
    SupervisionAnswerForm,
    SupervisionCloseForm,
)

# The steps of the case page, in the order they are shown, with their headings.
STEP_TITLES = {
    "dispatch": gettext_lazy("Dispatch"),
    "consult": gettext_lazy("Consult units before dispatch"),
    "consultanswer": gettext_lazy("Give your unit's view"),
    "merge": gettext_lazy("Merge with an appeal about the same matter"),
    "special": gettext_lazy("Special route (not dispatched)"),
    "object": gettext_lazy("Return to the dispatcher"),
    "contact": gettext_lazy("Contact with the citizen"),
    "reply": gettext_lazy("Reply"),
    "extend": gettext_lazy("Ask for more time"),
    "extdecide": gettext_lazy("Decide the extension request"),
    "coreport": gettext_lazy("Report to the lead unit"),
    "supanswer": gettext_lazy("Answer the supervision order"),
    "supervise": gettext_lazy("Issue a supervision order"),
    "supclose": gettext_lazy("Close the supervision order"),
    "review": gettext_lazy("Review"),
    "callback": gettext_lazy("Record the callback"),
    "note": gettext_lazy("Internal note"),
}
STEPS = frozenset({"accept", *STEP_TITLES})
PAGE_SIZE = 50


@login_required
def workspace(request: HttpRequest) -> HttpResponse:
    """The queues of the signed-in official, filtered and paged by keyset; htmx swaps only the list."""
    user = request.user
    if not user.is_official:  # type: ignore[union-attr]
        raise Http404
    queues = selectors.queues_for(user)
    queue = request.GET.get("queue") or queues[0]
    if queue not in queues:
        raise Http404
    filters = QueueFilterForm(request.GET or None)
    appeals = _filtered(selectors.appeal_queue(user=user, queue=queue), filters)
    page = keyset_page(appeals, order=queue_order(queue), cursor=request.GET.get("after"), size=PAGE_SIZE)
    context = {
        "queue": queue,
        "queue_label": BY_NAME[queue].label,
        "tabs": [(name, BY_NAME[name].label) for name in queues],
        "page": page,
        "filters": filters,
        "query": _query_without_cursor(request),
        "bulk_form": BulkDispatchForm(user=user) if queue == "dispatch" and can_dispatch(user) else None,
    }
    if getattr(request, "htmx", False) and request.headers.get("HX-Target") == "queue-list":
        return render(request, "appeals/_queue_list.html", context)
    return render(request, "appeals/work.html", context)


@login_required
def queue_counts(request: HttpRequest) -> HttpResponse:
    """The number in each tab, loaded after the page so that the list never waits for the counts."""
    user = request.user
    if not user.is_official:  # type: ignore[union-attr]
        raise Http404
    counts = [(name, selectors.appeal_queue(user=user, queue=name).count()) for name in selectors.queues_for(user)]
    return render(request, "appeals/_queue_counts.html", {"counts": counts})


def _filtered(appeals: Any, filters: QueueFilterForm) -> Any:
    if not filters.is_valid():
        return appeals
    q = filters.cleaned_data.get("q", "").strip()
    if q:
        # Chinese has no word boundaries: a substring match on the title, or the exact tracking code.
        appeals = appeals.filter(Q(title__icontains=q) | Q(tracking_code=q.upper()))
    if filters.cleaned_data.get("kind"):
        appeals = appeals.filter(kind=filters.cleaned_data["kind"])
    return appeals


def _query_without_cursor(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("after", None)
    return params.urlencode()


@login_required
@require_POST
def bulk_dispatch(request: HttpRequest) -> HttpResponse:
    """Send several appeals from the dispatcher's inbox to one unit; refusals are listed, the rest go."""
    user = request.user
    if not can_dispatch(user):
        raise Http404
    form = BulkDispatchForm(request.POST, user=user)
    codes = [code.upper() for code in request.POST.getlist("codes")][:PAGE_SIZE]
    if not form.is_valid() or not codes:
        messages.error(request, _("Choose the appeals and the unit to send them to."))
        return redirect(f"{reverse('appeals:work')}?queue=dispatch")
    appeals = list(selectors.appeal_list(user=user).filter(tracking_code__in=codes))
    refused = appeals_dispatch_many(actor=user, appeals=appeals, unit=form.cleaned_data["unit"])
    sent = len(appeals) - len(refused)
    messages.success(request, _("%(n)d appeals dispatched.") % {"n": sent})
    for appeal, reason in refused:
        messages.error(request, f"{appeal.tracking_code}: {reason}")
    return redirect(f"{reverse('appeals:work')}?queue=dispatch")


def _open_order(appeal: Any) -> SupervisionOrder | None:
    return appeal.supervision_orders.exclude(state=SupervisionState.CLOSED).select_related("unit").first()


def _open_consultation(user: Any, appeal: Any) -> UnitConsultation | None:
    for consultation in appeal.consultations.filter(answered_at__isnull=True).select_related("unit"):
        if acts_for_unit(user, consultation.unit):
            return consultation
    return None


def _pending_extension(appeal: Any) -> Extension | None:
    return appeal.extensions.filter(state=ExtensionState.PENDING).first()


def _co_unit(user: Any, appeal: Any) -> Any:
    for assignment in appeal.assignments.filter(role=AssignmentRole.CO).exclude(state=AssignmentState.WITHDRAWN):
        if acts_for_unit(user, assignment.unit):
            return assignment.unit
    return None


def _may_still_return(appeal: Any) -> bool:
    """Whether to offer the return step: the service's own rule (``handling.return_refusal``)."""
    assignment = appeal.assignments.filter(role=AssignmentRole.LEAD, state=AssignmentState.PENDING).first()
    return assignment is not None and return_refusal(assignment, now=clock.now()) is None


def _may_reply(user: Any, appeal: Any) -> bool:
    """The lead unit replies to an appeal it is handling (the reply step, and the check of a draft)."""
    return appeal.state == State.IN_PROGRESS and acts_for_unit(user, appeal.lead_unit)


def _forms_for(user: Any, appeal: Any, data: Any = None, only: str | None = None) -> dict[str, Any]:
    """The step forms ``user`` may use on ``appeal`` now (bound to ``data`` for the one named ``only``), in
    the order of ``STEP_TITLES``."""

    def bound(name: str) -> Any:
        return data if only == name else None

    state = appeal.state
    lead = acts_for_unit(user, appeal.lead_unit)
    waiting = state in (State.RECEIVED, State.PENDING_DISPATCH, State.OBJECTED)
    forms: dict[str, Any] = {}
    if can_dispatch(user, appeal) and waiting:
        suggested = selectors.dispatch_suggestions(user=user, appeal=appeal)
        initial = {"unit": suggested[0][0].pk} if suggested else {}
        forms["dispatch"] = DispatchForm(bound("dispatch"), user=user, initial=initial)
        forms["dispatch"].suggestions = suggested
        forms["consult"] = ConsultForm(bound("consult"), user=user)
    if waiting and _open_consultation(user, appeal) is not None:
        forms["consultanswer"] = ConsultAnswerForm(bound("consultanswer"))
    if can_dispatch(user, appeal) and state in (State.RECEIVED, State.PENDING_DISPATCH):
        duplicates = selectors.possible_duplicates(user=user, appeal=appeal)
        if duplicates:
            forms["merge"] = MergeForm(bound("merge"), duplicates=duplicates)
    if (can_dispatch(user, appeal) or hotline_covers(user, appeal)) and state in (
        State.RECEIVED,
        State.PENDING_DISPATCH,
    ):
        forms["special"] = SpecialRouteForm(bound("special"))
    if lead and state == State.DISPATCHED:
        forms["accept"] = True
        if _may_still_return(appeal):
            forms["object"] = ObjectForm(bound("object"))
    if (lead or hotline_covers(user, appeal)) and state in side_actions().get(Action.CONTACT, ()):
        forms["contact"] = ContactForm(bound("contact"))
    pending_extension = _pending_extension(appeal)
    if _may_reply(user, appeal):
        forms["reply"] = ReplyForm(bound("reply"))
        if pending_extension is None:
            forms["extend"] = ExtensionForm(bound("extend"))
    if pending_extension is not None and can_decide_extension(user, appeal):
        forms["extdecide"] = ExtensionDecisionForm(bound("extdecide"))
    if state in side_actions().get(Action.CO_REPORT, ()) and _co_unit(user, appeal) is not None:
        forms["coreport"] = CoReportForm(bound("coreport"))
    order = _open_order(appeal)
    if order is not None and order.state == SupervisionState.OPEN and acts_for_unit(user, order.unit):
        forms["supanswer"] = SupervisionAnswerForm(bound("supanswer"))
    if can_supervise(user, appeal):
        if order is None and appeal.lead_unit_id and state in side_actions().get(Action.SUPERVISE, ()):
            policy_days = int(appeal.policy.rule("supervision_working_days"))
            forms["supervise"] = SuperviseForm(bound("supervise"), initial={"working_days": policy_days})
        if order is not None:
            forms["supclose"] = SupervisionCloseForm(bound("supclose"))
    if state == State.UNDER_REVIEW and can_review(user, appeal):
        forms["review"] = ReviewForm(bound("review"))
    if state == State.REPLIED and can_call_back(user, appeal):
        forms["callback"] = CallbackForm(bound("callback"))
    if can_see_internal(user, appeal):
        forms["note"] = NoteForm(bound("note"))
    return forms


def _case_context(user: Any, appeal: Any, forms: dict[str, Any]) -> dict[str, Any]:
    labels = dict(Action.choices)
    internal = can_see_internal(user, appeal)
    person = selectors.may_see_person(user=user, appeal=appeal)

    def body(event: Any) -> str:
        # Notes are for those who work the case; a contact summary may name the citizen, so only for those
        # who may see the person.
        show_note = internal and (person or event.action != Action.CONTACT)
        return "\n".join(part for part in (event.public_message, event.note if show_note else "") if part)

    timeline = [
        {
            "when": event.at,
            "title": f"{labels.get(event.action, event.action)}{' · ' + event.unit.label if event.unit else ''}",
            "body": body(event),
        }
        for event in appeal.events.select_related("unit").order_by("at", "id")
    ]
    return {
        "appeal": appeal,
        "contact": selectors.contact_for(user=user, appeal=appeal),
        "assignments": appeal.assignments.select_related("unit").order_by("dispatched_at", "id"),
        "extensions": appeal.extensions.select_related("unit").order_by("requested_at", "id"),
        "orders": appeal.supervision_orders.select_related("unit").order_by("issued_at", "id"),
        "consultations": appeal.consultations.select_related("unit").order_by("asked_at", "id"),
        "reply_templates": selectors.reply_templates_for(user=user) if "reply" in forms else [],
        "attachments": list(selectors.attachments_for(user=user, appeal=appeal)),
        "linked_appeals": appeal.linked_appeals.only("tracking_code", "title", "state").order_by("received_at"),
        "instruction": instruction_for(appeal.special_route, appeal.special_route_detail),
        "timeline": timeline,
        "steps": [
            (step, STEP_TITLES[step], form) for step, form in forms.items() if form is not True and step in STEP_TITLES
        ],
        "can_accept": forms.get("accept") is True,
        "reply_quality": reply_check(appeal, text=appeal.reply_text, outcome=appeal.outcome or "")
        if appeal.reply_text
        else None,
    }


@login_required
def case(request: HttpRequest, code: str) -> HttpResponse:
    appeal = selectors.appeal_for_staff(user=request.user, code=code)
    if appeal is None:
        raise Http404
    return render(request, "appeals/case.html", _case_context(request.user, appeal, _forms_for(request.user, appeal)))


@login_required
@require_POST
def reply_quality_check(request: HttpRequest, code: str) -> HttpResponse:
    """The quality of the answer being written, checked before it is sent (htmx, from the reply form)."""
    appeal = selectors.appeal_for_staff(user=request.user, code=code)
    if appeal is None or not _may_reply(request.user, appeal):
        raise Http404
    text = request.POST.get("text", "").strip()
    quality = reply_check(appeal, text=text, outcome=request.POST.get("outcome", "")) if text else None
    return render(request, "appeals/_reply_quality.html", {"quality": quality, "draft": True})


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


def _merge(user: Any, appeal: Any, data: dict[str, Any]) -> None:
    into = next(
        (match.appeal for match in selectors.possible_duplicates(user=user, appeal=appeal)
         if match.appeal.tracking_code == data["into"]),
        None,
    )  # fmt: skip
    if into is None:  # it was answered or merged meanwhile
        raise TransitionNotAllowed()
    appeal_merge(actor=user, appeal=appeal, into=into, note=data.get("note", ""))


def _take(step: str, user: Any, appeal: Any, data: dict[str, Any]) -> None:
    if step == "dispatch":
        appeal_send(actor=user, appeal=appeal, unit=data["unit"], reason=data["reason"])
    elif step == "merge":
        _merge(user, appeal, data)
    elif step == "special":
        _special(user, appeal, data)
    elif step == "consult":
        units_consult(actor=user, appeal=appeal, units=list(data["units"]), question=data["question"])
    elif step == "consultanswer":
        consultation = _open_consultation(user, appeal)
        if consultation is None:
            raise TransitionNotAllowed()
        consultation_answer(actor=user, consultation=consultation, view=data["view"], answer=data["answer"])
    elif step == "accept":
        assignment_accept(actor=user, appeal=appeal)
    elif step == "object":
        assignment_object(actor=user, appeal=appeal, reason=data["reason"])
    elif step == "contact":
        appeal_contact(actor=user, appeal=appeal, summary=data["summary"])
    elif step == "reply":
        appeal_reply(actor=user, appeal=appeal, outcome=data["outcome"], text=data["text"])
    elif step == "extend":
        extension_request(actor=user, appeal=appeal, days=data["days"], reason=data["reason"])
    elif step == "extdecide":
        extension = _pending_extension(appeal)
        if extension is None:
            raise TransitionNotAllowed()
        extension_decide(actor=user, extension=extension, approve=data["decision"] == "approve", reason=data["reason"])
    elif step == "coreport":
        co_unit_report(actor=user, appeal=appeal, text=data["text"])
    elif step == "supervise":
        supervision_order_issue(
            actor=user, appeal=appeal, instruction=data["instruction"], working_days=data["working_days"]
        )
    elif step in ("supanswer", "supclose"):
        order = _open_order(appeal)
        if order is None:
            raise TransitionNotAllowed()
        if step == "supanswer":
            supervision_order_answer(actor=user, order=order, response=data["response"])
        else:
            supervision_order_close(actor=user, order=order, reason=data["reason"])
    elif step == "review":
        appeal_review_decide(actor=user, appeal=appeal, reopen=data["decision"] == "reopen", reason=data["reason"])
    elif step == "callback":
        appeal_rate(actor=user, appeal=appeal, satisfaction=data["satisfaction"], solved=data["solved"])
    elif step == "note":
        appeal_note(actor=user, appeal=appeal, text=data["text"])


def _special(user: Any, appeal: Any, data: dict[str, Any]) -> None:
    route = data["route"]
    detail = {"emergency": data.get("emergency", ""), "legal_channel": data.get("legal_channel", "")}.get(route, "")
    linked = None
    if route == SpecialRoute.SAME_MATTER:
        code = (data.get("linked_to") or "").strip().upper()
        linked = selectors.appeal_list(user=user).filter(tracking_code=code).first() if code else None
        if linked is None:
            raise ValidationFailed(_("No appeal you can see has that tracking code."), field="linked_to")
    appeal_special_route(
        actor=user, appeal=appeal, route=route, detail=detail, message=data.get("message", ""), linked_to=linked
    )


@login_required
def attachment_download(request: HttpRequest, code: str, pk: int) -> FileResponse:
    """A file attached to the case, for staff who work it; anyone else gets "not found"."""
    appeal = selectors.appeal_for_staff(user=request.user, code=code)
    if appeal is None:
        raise Http404
    attachment = selectors.attachments_for(user=request.user, appeal=appeal).filter(pk=pk).first()
    if attachment is None:
        raise Http404
    response = FileResponse(
        attachment.file.open("rb"),
        content_type=attachment.content_type,
        as_attachment=attachment.content_type == "application/pdf",
        filename=attachment.original_name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
