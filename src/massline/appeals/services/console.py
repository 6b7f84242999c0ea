"""The hotline operator's console: consultations answered during the call."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from massline.core import clock
from massline.core.errors import PermissionDenied, ValidationFailed

from ..choices import AppealKind, Outcome
from ..models import Appeal
from ..permissions import can_call_back
from ..redaction import mask_personal_data
from ..transitions import Action, State, TransitionNotAllowed, transition

MIN_ANSWER_CHARACTERS = 6  # as for a unit's reply: "已修复，谢谢。" says it all


@transaction.atomic
def appeal_answer_on_the_spot(*, actor: Any, appeal: Appeal, text: str) -> Appeal:
    """A hotline operator answers a consultation during the call and the appeal is closed as answered at once
    (Beijing regulation on 接诉即办, Art. 11: consultations are answered on the spot when possible). Only a
    consultation that is still ``received`` (not yet routed to a unit) can be answered so; the answer is
    recorded as the reply and shown, masked, on the public tracking page."""
    locked = Appeal.objects.select_for_update(of=("self",)).select_related("area", "policy").get(pk=appeal.pk)
    if not can_call_back(actor, locked):
        raise PermissionDenied()
    if locked.kind != AppealKind.CONSULTATION:
        raise ValidationFailed(_("Only a consultation can be answered on the spot."), field="answer")
    if locked.state != State.RECEIVED:
        raise TransitionNotAllowed()
    answer = text.strip()
    if len(answer) < MIN_ANSWER_CHARACTERS:
        raise ValidationFailed(
            _("Write the answer given to the caller (at least %(min)d characters).") % {"min": MIN_ANSWER_CHARACTERS},
            field="answer",
        )
    now = clock.now()
    locked.outcome, locked.reply_text, locked.replied_at, locked.closed_at = Outcome.EXPLAINED, answer, now, now
    locked.save(update_fields=["outcome", "reply_text", "replied_at", "closed_at"])
    return transition(
        locked,
        action=Action.ANSWER,
        actor=actor,
        public_message=mask_personal_data(answer),
        data={"outcome": Outcome.EXPLAINED, "on_the_spot": True},
    )
