"""The matter's procedure as data. A matter walks the steps its kind lists (``Matter.procedure``), in order;
what must be true before it may leave a step is the table ``EXIT_GUARDS``: for each step, a function that
returns the reasons it may not leave yet (empty: it may). The staff page shows these reasons, so nobody meets
a refusal without knowing what is missing."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from massline.core import clock

from .models import (
    Body,
    Grade,
    Matter,
    MeetingResult,
    ProposerKind,
    Resident,
    Step,
)


def _local(moment: dt.datetime) -> str:
    return date_format(moment.astimezone(clock.local_zone()), "DATETIME_FORMAT")


def comment_period_ends(matter: Matter) -> dt.datetime:
    return matter.step_started_at + dt.timedelta(days=int(matter.rule("comment_min_days")))


def signatures_needed(matter: Matter) -> int:
    """How many co-signatures the proposal needs: a tenth of the adult villagers, or a fifth of the
    representatives, rounded up (provincial 一事一议 rules); none when the committee proposes."""
    register = Resident.objects.filter(area=matter.area)
    if matter.proposer_kind == ProposerKind.VILLAGERS:
        return math.ceil(register.filter(is_adult=True).count() * float(matter.rule("villager_proposal_share")))
    if matter.proposer_kind == ProposerKind.REPRESENTATIVES:
        return math.ceil(
            register.filter(is_representative=True).count() * float(matter.rule("representative_proposal_share"))
        )
    return 0


def _proposal(matter: Matter) -> list[str]:
    needed = signatures_needed(matter)
    have = matter.signatures.count()
    if have < needed:
        return [
            ngettext(
                "The proposal has %(have)d co-signature of the %(needed)d it needs.",
                "The proposal has %(have)d co-signatures of the %(needed)d it needs.",
                needed,
            )
            % {"have": have, "needed": needed}
        ]
    return []


def _comment(matter: Matter) -> list[str]:
    reasons = []
    ends = comment_period_ends(matter)
    if clock.now() < ends:
        reasons.append(_("The comment period runs until %(end)s.") % {"end": _local(ends)})
    waiting = matter.comments.filter(answered_at__isnull=True).count()
    if waiting:
        reasons.append(
            ngettext("%(count)d comment has no answer yet.", "%(count)d comments have no answer yet.", waiting)
            % {"count": waiting}
        )
    if matter.feedback_published_at is None:
        reasons.append(_("The feedback report on the comments is not published yet."))
    return reasons


def _hearing(matter: Matter) -> list[str]:
    if not matter.hearings.filter(held_at__isnull=False).exclude(minutes="").exists():
        return [_("No hearing has been held and minuted yet.")]
    return []


def _risk(matter: Matter) -> list[str]:
    latest = matter.assessments.filter(signed_at__isnull=False).order_by("-round").first()
    if latest is None:
        return [_("No signed risk assessment yet.")]
    if latest.grade != Grade.LOW:
        return [
            _("The risk is graded %(grade)s: mitigate the risks and assess again before approval.")
            % {"grade": latest.get_grade_display()}
        ]
    return []


def _legal_review(matter: Matter) -> list[str]:
    if matter.legal_reviewed_at is None:
        return [_("No legality review yet: without it the matter may not be tabled.")]
    return []


def _meeting(matter: Matter) -> list[str]:
    if not matter.meetings.filter(result=MeetingResult.PASSED).exists():
        return [_("No meeting has passed the decision yet.")]
    return []


def _publicity(matter: Matter) -> list[str]:
    publicity = matter.publicities.order_by("-starts_at").first()
    if publicity is None:
        return [_("Nothing has been published yet.")]
    reasons = []
    if clock.now() < publicity.ends_at:
        reasons.append(_("The publicity period runs until %(end)s.") % {"end": _local(publicity.ends_at)})
    waiting = publicity.objections.filter(answered_at__isnull=True).count()
    if waiting:
        reasons.append(
            ngettext("%(count)d objection has no answer yet.", "%(count)d objections have no answer yet.", waiting)
            % {"count": waiting}
        )
    return reasons


def _implementation(matter: Matter) -> list[str]:
    milestones = matter.milestones.all()
    if not milestones:
        return [_("No milestones have been set.")]
    left = sum(1 for milestone in milestones if milestone.done_on is None)
    if left:
        return [
            ngettext("%(count)d milestone is not done.", "%(count)d milestones are not done.", left) % {"count": left}
        ]
    return []


def satisfaction_ends(matter: Matter) -> dt.datetime:
    return matter.step_started_at + dt.timedelta(days=int(matter.rule("satisfaction_days")))


def _evaluation(matter: Matter) -> list[str]:
    ends = satisfaction_ends(matter)
    if clock.now() < ends:
        return [_("The residents' vote runs until %(end)s.") % {"end": _local(ends)}]
    return []


EXIT_GUARDS: dict[str, Callable[[Matter], list[str]]] = {
    Step.PROPOSAL: _proposal,
    Step.COMMENT: _comment,
    Step.HEARING: _hearing,
    Step.RISK: _risk,
    Step.LEGAL_REVIEW: _legal_review,
    Step.MEETING: _meeting,
    Step.PUBLICITY: _publicity,
    Step.IMPLEMENTATION: _implementation,
    Step.EVALUATION: _evaluation,
}


def blockers(matter: Matter) -> list[str]:
    """Why ``matter`` may not leave its current step yet; empty when it may."""
    if not matter.is_open:
        return [_("The matter is closed.")]
    return EXIT_GUARDS[matter.step](matter)


def meeting_body(matter: Matter) -> str:
    return str(matter.rule("meeting_body") or Body.ASSEMBLY)
