"""Opening a matter, moving it through its procedure, and withdrawing it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from massline.core import clock
from massline.core.errors import PermissionDenied, ValidationFailed

from ..models import Matter, MatterKind, Outcome, ProposerKind, Step
from ..permissions import may_run_for_unit
from ..transitions import blockers
from .common import lock, notify_residents, record, require_runner, require_signer, require_step

STEP_NOTICES: dict[str, Any] = {
    Step.PROPOSAL: gettext_lazy("A proposal is open for co-signature"),
    Step.COMMENT: gettext_lazy("Public comment is open"),
    Step.HEARING: gettext_lazy("A hearing will be held"),
    Step.MEETING: gettext_lazy("The matter goes to a decision meeting"),
    Step.PUBLICITY: gettext_lazy("The decision is published for objections"),
    Step.IMPLEMENTATION: gettext_lazy("Work on the decision has begun"),
    Step.EVALUATION: gettext_lazy("Vote on how satisfied you are with the result"),
}


def _next_code(now: dt.datetime) -> str:
    year = now.astimezone(clock.local_zone()).year
    prefix = f"M{year}-"
    last = (
        Matter.objects.select_for_update()
        .filter(code__startswith=prefix)
        .order_by("-code")
        .values_list("code", flat=True)
        .first()
    )
    number = int(last.removeprefix(prefix)) + 1 if last else 1
    return f"{prefix}{number:04d}"


@transaction.atomic
def matter_create(
    *,
    actor: Any,
    kind: MatterKind,
    owner_unit: Any,
    area: Any,
    title: str,
    summary: str,
    proposer_kind: str,
    affected: str = "",
    budget: Decimal | None = None,
) -> Matter:
    """Open a matter under the procedure of its kind, which it keeps even if the kind is edited later. Who may
    propose follows the kind's rules: the committee, or villagers or representatives by co-signature
    (provincial 一事一议 rules)."""
    if not may_run_for_unit(actor, owner_unit):
        raise PermissionDenied()
    if not area.path.startswith(owner_unit.area.path):
        raise ValidationFailed(_("The area must lie within the owner unit's jurisdiction."), field="area")
    if not kind.is_active or not kind.steps:
        raise ValidationFailed(_("This kind of matter is not in use."), field="kind")
    procedure = kind.procedure()
    rules = procedure["rules"]
    if proposer_kind not in ProposerKind.values:
        raise ValidationFailed(_("Choose who proposes the matter."), field="proposer_kind")
    if proposer_kind == ProposerKind.COMMITTEE and not rules["committee_may_propose"]:
        raise ValidationFailed(
            _("For this kind of matter the residents propose, not the committee."), field="proposer_kind"
        )
    if proposer_kind != ProposerKind.COMMITTEE and not rules["residents_may_propose"]:
        raise ValidationFailed(_("For this kind of matter only the owner unit proposes."), field="proposer_kind")
    if not title.strip() or not summary.strip():
        raise ValidationFailed(_("Give the matter a title and say what is proposed."), field="title")
    now = clock.now()
    matter = Matter.objects.create(
        code=_next_code(now),
        kind=kind,
        procedure=procedure,
        title=title.strip(),
        summary=summary.strip(),
        affected=affected.strip(),
        budget=budget,
        owner_unit=owner_unit,
        area=area,
        proposer_kind=proposer_kind,
        proposed_by=actor,
        step=procedure["steps"][0],
        step_started_at=now,
    )
    record(matter, action="create", actor=actor, data={"kind": kind.code, "proposer_kind": proposer_kind})
    if matter.step in STEP_NOTICES:
        notify_residents(matter, subject=STEP_NOTICES[matter.step], body=f"{matter.title}", key=matter.step)
    return matter


@transaction.atomic
def matter_advance(*, actor: Any, matter: Matter, note: str = "") -> Matter:
    """Move the matter to the next step of its procedure, once everything its current step requires is done
    (``transitions.EXIT_GUARDS``); after the last step it is completed."""
    matter = lock(matter)
    require_runner(actor, matter)
    if not matter.is_open:
        raise ValidationFailed(_("The matter is closed."), code="matter_closed")
    reasons = blockers(matter)
    if reasons:
        raise ValidationFailed(" ".join(reasons), code="step_not_finished")
    before = {"step": matter.step}
    now = clock.now()
    following = matter.next_step()
    _on_leave(matter, now=now)
    if following is None:
        matter.outcome = Outcome.COMPLETED
        matter.closed_at = matter.updated_at = now
        matter.save(update_fields=["outcome", "closed_at", "updated_at"])
        record(matter, action="complete", actor=actor, message=note, before=before)
        return matter
    matter.step = following
    matter.step_started_at = now
    matter.updated_at = now
    matter.save(update_fields=["step", "step_started_at", "updated_at"])
    record(matter, action="advance", actor=actor, message=note, before=before, data={"to": following})
    if following in STEP_NOTICES:
        notify_residents(matter, subject=STEP_NOTICES[following], body=matter.title, key=following)
    return matter


def _on_leave(matter: Matter, *, now: dt.datetime) -> None:
    """What leaving a step seals: the publicity period's certificate."""
    if matter.step == Step.PUBLICITY:
        matter.publicities.filter(certified_at__isnull=True).update(certified_at=now)


@transaction.atomic
def matter_withdraw(*, actor: Any, matter: Matter, reason: str) -> Matter:
    """Withdraw a matter under way, with the reason, which is published."""
    matter = lock(matter)
    require_runner(actor, matter)
    if not matter.is_open:
        raise ValidationFailed(_("The matter is closed."), code="matter_closed")
    if not reason.strip():
        raise ValidationFailed(_("Say why the matter is withdrawn."), field="reason")
    before = {"step": matter.step}
    matter.outcome = Outcome.WITHDRAWN
    matter.closed_at = matter.updated_at = clock.now()
    matter.save(update_fields=["outcome", "closed_at", "updated_at"])
    record(matter, action="withdraw", actor=actor, message=reason.strip(), before=before, reason=reason.strip())
    return matter


@transaction.atomic
def matter_legal_review(*, actor: Any, matter: Matter, opinion: str) -> Matter:
    """Sign the legality review (重大行政决策程序暂行条例 Arts. 25–26: no review, no tabling)."""
    matter = lock(matter)
    require_signer(actor, matter)
    require_step(matter, Step.LEGAL_REVIEW)
    if not opinion.strip():
        raise ValidationFailed(_("Write the review's opinion."), field="opinion")
    matter.legal_opinion = opinion.strip()
    matter.legal_reviewed_at = matter.updated_at = clock.now()
    matter.legal_reviewer = actor
    matter.save(update_fields=["legal_opinion", "legal_reviewed_at", "legal_reviewer", "updated_at"])
    record(matter, action="legal_review", actor=actor, message=opinion.strip())
    return matter
