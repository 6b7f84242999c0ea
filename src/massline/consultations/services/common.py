"""What every consultation service shares: the timeline event with its audit record, the permission checks,
and the notices to the residents of the area."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from massline.audit.services import audit_record
from massline.core import clock
from massline.core.errors import PermissionDenied, ValidationFailed

from ..models import Matter, MatterEvent, Resident, Step
from ..permissions import may_run, may_sign


def record(
    matter: Matter,
    *,
    action: str,
    actor: Any,
    message: str = "",
    data: dict[str, Any] | None = None,
    before: Any = None,
    reason: str = "",
) -> MatterEvent:
    """A step on the matter's public timeline and the same step in the audit ledger, in one transaction."""
    event = MatterEvent.objects.create(
        matter=matter,
        at=clock.now(),
        action=action,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        message=message,
        data=data or {},
    )
    audit_record(
        event=f"consultations.matter.{action}",
        actor=actor,
        target=matter,
        before=before,
        after={"step": matter.step, "outcome": matter.outcome, **(data or {})},
        reason=reason,
    )
    return event


def require_runner(actor: Any, matter: Matter) -> None:
    if not may_run(actor, matter):
        raise PermissionDenied()


def require_signer(actor: Any, matter: Matter) -> None:
    if not may_sign(actor, matter):
        raise PermissionDenied(_("Only the unit's leader, a supervisor or an administrator may sign this."))


def require_step(matter: Matter, step: str) -> None:
    """Refuse, saying where the matter is, when it is not at ``step``."""
    if not matter.is_open:
        raise ValidationFailed(_("The matter is closed."), code="matter_closed")
    if matter.step != step:
        raise ValidationFailed(
            _("This is possible during the %(wanted)s step; the matter is now at the %(step)s step.")
            % {"wanted": Step(step).label, "step": matter.get_step_display()},
            code="wrong_step",
        )


def lock(matter: Matter) -> Matter:
    return Matter.objects.select_for_update().select_related("owner_unit", "area", "kind").get(pk=matter.pk)


def notify_residents(matter: Matter, *, subject: Any, body: Any, key: str) -> int:
    """A text message to every resident of the matter's area with a phone number on the register, written in
    Chinese (the register's language), delivered after the transaction commits by the notification sweep.
    ``key`` makes the notice once-only per resident. Nothing is created when text messages are switched off."""
    from massline.notifications.models import Audience, Channel, OutboxMessage
    from massline.notifications.senders import channel_enabled

    if not channel_enabled(Channel.SMS):
        return 0
    now = clock.now()
    url = reverse("consultations:matter", args=[matter.code])
    rows = []
    with translation.override("zh-hans"):
        text_subject = str(subject)
        text_body = str(body)
    for resident_id, phone in (
        Resident.objects.filter(area=matter.area).exclude(phone="").values_list("id", "phone").iterator()
    ):
        rows.append(
            OutboxMessage(
                key=f"matter:{matter.pk}:{key}:{resident_id}:sms",
                kind="consultation",
                audience=Audience.CITIZEN,
                channel=Channel.SMS,
                address=phone,
                language="zh-hans",
                subject=text_subject[:300],
                body=text_body,
                url=url,
                next_attempt_at=now,
            )
        )
    OutboxMessage.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)
    return len(rows)
