"""Special routes before dispatch (Beijing regulation Art. 11): an emergency is referred to 110/119/120/122
with the instruction shown; a matter for litigation, arbitration, discipline inspection, reconsideration or an
information-disclosure request is not dispatched, and the citizen is told the legal channel; the same matter
with no new facts is linked to the earlier appeal and the citizen told its progress; a matter outside any
government remit is explained. None of these reaches a unit."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from massline.core.errors import PermissionDenied, ValidationFailed

from ..choices import EmergencyService, LegalChannel, SpecialRoute
from ..models import Appeal
from ..permissions import can_dispatch, hotline_covers
from ..redaction import mask_personal_data
from ..transitions import Action, TransitionNotAllowed, transition
from .casework import _locked

# What the citizen reads on the receipt and the tracking page, in their own language.
EMERGENCY_INSTRUCTIONS = {
    EmergencyService.POLICE: gettext_lazy("Call 110 now: the police handle danger to people and property."),
    EmergencyService.FIRE: gettext_lazy("Call 119 now: fire and rescue."),
    EmergencyService.AMBULANCE: gettext_lazy("Call 120 now for an ambulance."),
    EmergencyService.TRAFFIC: gettext_lazy("Call 122 now: traffic police for road accidents."),
}
LEGAL_INSTRUCTIONS = {
    LegalChannel.LITIGATION: gettext_lazy(
        "This matter is for the courts: file a case with the people's court that has jurisdiction."
    ),
    LegalChannel.ARBITRATION: gettext_lazy(
        "This matter is for arbitration: apply to the arbitration commission (for labour disputes, the labour "
        "dispute arbitration commission)."
    ),
    LegalChannel.DISCIPLINE: gettext_lazy(
        "Reports about officials go to the discipline inspection and supervision commission, which protects "
        "the reporter's identity."
    ),
    LegalChannel.RECONSIDERATION: gettext_lazy(
        "To challenge an administrative decision, apply for administrative reconsideration within 60 days of "
        "learning of it, or sue in court."
    ),
    LegalChannel.DISCLOSURE: gettext_lazy(
        "Ask for government information with a disclosure request to the office that holds it; it must answer "
        "within 20 working days."
    ),
}


def instruction_for(route: str, detail: str) -> str:
    """The standard instruction for a special route, in the active language."""
    if route == SpecialRoute.EMERGENCY:
        return str(EMERGENCY_INSTRUCTIONS.get(detail, ""))  # type: ignore[call-overload]
    if route == SpecialRoute.LEGAL_CHANNEL:
        return str(LEGAL_INSTRUCTIONS.get(detail, ""))  # type: ignore[call-overload]
    return ""


@transaction.atomic
def appeal_special_route(
    *,
    actor: Any,
    appeal: Appeal,
    route: str,
    detail: str = "",
    message: str = "",
    linked_to: Appeal | None = None,
) -> Appeal:
    """Take an appeal off the dispatch path. Operators (while on the call) and dispatchers of the centre
    covering the appeal may do it, before it is dispatched."""
    locked = _locked(appeal)
    if not (can_dispatch(actor, locked) or hotline_covers(actor, locked)):
        raise PermissionDenied()
    message = (message or "").strip()
    data: dict[str, Any] = {"route": route, "detail": detail}
    if route == SpecialRoute.EMERGENCY:
        if detail not in EmergencyService.values:
            raise ValidationFailed(_("Choose the emergency service."), field="detail")
    elif route == SpecialRoute.LEGAL_CHANNEL:
        if detail not in LegalChannel.values:
            raise ValidationFailed(_("Choose the legal channel."), field="detail")
    elif route == SpecialRoute.OUTSIDE_REMIT:
        if not message:
            raise ValidationFailed(
                _("Explain to the citizen why no government office can take this up."), field="message"
            )
    elif route == SpecialRoute.SAME_MATTER:
        if linked_to is None or linked_to.pk == locked.pk:
            raise ValidationFailed(_("Give the tracking code of the earlier appeal."), field="linked_to")
        if linked_to.linked_to_id is not None:
            linked_to = linked_to.linked_to  # always link to the first appeal about the matter
        assert linked_to is not None
        data["linked_to"] = linked_to.tracking_code
    else:
        raise ValidationFailed(_("Choose a route."), field="route")
    if route == SpecialRoute.SAME_MATTER:
        locked.linked_to = linked_to
    locked.special_route, locked.special_route_detail = route, detail
    locked.save(update_fields=["special_route", "special_route_detail", "linked_to"])
    action = Action.LINK if route == SpecialRoute.SAME_MATTER else Action.REFER
    try:
        return transition(locked, action=action, actor=actor, public_message=mask_personal_data(message), data=data)
    except TransitionNotAllowed:
        raise ValidationFailed(
            _("Only an appeal that has not been dispatched can take a special route."), code="too_late"
        ) from None
