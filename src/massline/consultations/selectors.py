"""Read use cases of consultations. The public reads everything a matter publishes — never a resident's identity
number, phone or how a named person voted; staff read the matters they run."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, QuerySet, Sum
from django.utils.translation import gettext_lazy as _

from .models import (
    Body,
    Matter,
    MeetingResult,
    Outcome,
    Resident,
    Satisfaction,
    SatisfactionVote,
    Statement,
    StatementVote,
    Step,
)
from .permissions import runnable
from .transitions import signatures_needed


def public_matters(*, state: str = "open") -> QuerySet[Matter]:
    matters = Matter.objects.select_related("kind", "area", "owner_unit")
    if state == "open":
        return matters.filter(outcome=Outcome.UNDER_WAY).order_by("-step_started_at", "-id")
    return matters.exclude(outcome=Outcome.UNDER_WAY).order_by("-closed_at", "-id")


def public_matter(code: str) -> Matter | None:
    return Matter.objects.select_related("kind", "area", "owner_unit").filter(code=code).first()


def matters_run_by(user: Any) -> QuerySet[Matter]:
    return runnable(user, Matter.objects.select_related("kind", "area", "owner_unit")).order_by(
        "outcome", "-updated_at", "-id"
    )


def masked_name(name: str) -> str:
    """A name as published beside an objection: its first character and a star for each of the rest."""
    name = name.strip()
    return name[:1] + "*" * max(len(name) - 1, 1) if name else ""


@dataclass
class StepView:
    code: str
    label: str
    state: str  # "done", "current" or "todo"


def steps_of(matter: Matter) -> list[StepView]:
    steps = matter.steps
    current = steps.index(matter.step)
    views = []
    for index, step in enumerate(steps):
        if not matter.is_open:
            state = (
                "done"
                if index < current or matter.outcome == Outcome.COMPLETED
                else ("current" if index == current else "todo")
            )
        else:
            state = "done" if index < current else ("current" if index == current else "todo")
        views.append(StepView(step, str(Step(step).label), state))
    return views


@dataclass
class Feedback:
    """What the feedback report counts: the comments by stance and by answer."""

    total: int
    by_stance: dict[str, int] = field(default_factory=dict)
    by_answer: dict[str, int] = field(default_factory=dict)
    unanswered: int = 0


def feedback_of(matter: Matter) -> Feedback:
    comments = list(matter.comments.values_list("stance", "answer_kind"))
    return Feedback(
        total=len(comments),
        by_stance=dict(Counter(stance for stance, _answer in comments)),
        by_answer=dict(Counter(answer for _stance, answer in comments if answer)),
        unanswered=sum(1 for _stance, answer in comments if not answer),
    )


@dataclass
class SatisfactionResult:
    votes: int
    counts: dict[str, int]
    adults: int

    @property
    def satisfied_share(self) -> float | None:
        """Satisfied plus basically satisfied, of those who voted."""
        if not self.votes:
            return None
        return (self.counts.get(Satisfaction.SATISFIED, 0) + self.counts.get(Satisfaction.BASICALLY, 0)) / self.votes


def satisfaction_of(matter: Matter) -> SatisfactionResult:
    counts = dict(
        SatisfactionVote.objects.filter(matter=matter)
        .values_list("choice")
        .annotate(n=Count("id"))
        .values_list("choice", "n")
    )
    adults = Resident.objects.filter(area=matter.area, is_adult=True).count()
    return SatisfactionResult(votes=sum(counts.values()), counts=counts, adults=adults)


def spending_of(matter: Matter) -> Decimal:
    return matter.spending.aggregate(total=Sum("amount"))["total"] or Decimal("0")


def statements_for(matter: Matter, participant: str) -> list[tuple[Statement, int | None]]:
    """The visible statements with the participant's own vote (None where they have not voted)."""
    statements = list(matter.statements.filter(is_hidden=False))
    mine = (
        dict(
            StatementVote.objects.filter(statement__matter=matter, participant=participant).values_list(
                "statement_id", "value"
            )
        )
        if participant
        else {}
    )
    return [(statement, mine.get(statement.pk)) for statement in statements]


def opinion_summary(matter: Matter) -> Any:
    """The opinion map of the matter's statements (``opinion.opinion_map``), or None before anyone voted."""
    statements = list(matter.statements.filter(is_hidden=False).values_list("id", "text"))
    if not statements:
        return None
    index = {pk: i for i, (pk, _text) in enumerate(statements)}
    rows = list(
        StatementVote.objects.filter(statement_id__in=index).values_list("participant", "statement_id", "value")
    )
    if not rows:
        return None
    import numpy as np

    from .opinion import opinion_map

    people: dict[str, int] = {}
    participants = np.fromiter(
        (people.setdefault(p, len(people)) for p, _s, _v in rows), dtype=np.int64, count=len(rows)
    )
    statement_idx = np.fromiter((index[s] for _p, s, _v in rows), dtype=np.int64, count=len(rows))
    values = np.fromiter((v for _p, _s, v in rows), dtype=np.int64, count=len(rows))
    result = opinion_map(
        participants,
        statement_idx,
        values,
        n_participants=len(people),
        n_statements=len(statements),
        # Pol.is places people who voted on 7 statements; a short list asks for most of it instead.
        min_votes=min(7, max(2, len(statements) - 1)),
    )
    texts = [text for _pk, text in statements]
    return {
        "participants": len(people),
        "consensus": [texts[item.statement] for item in result.consensus],
        "groups": [
            {
                "letter": chr(ord("A") + group.index),
                "size": group.size,
                "agrees": [
                    texts[r.statement] for r in group.representative if r.significant and r.direction == "agree"
                ][:3],
                "disagrees": [
                    texts[r.statement] for r in group.representative if r.significant and r.direction == "disagree"
                ][:3],
            }
            for group in result.groups
        ],
        "divisive": [texts[item.statement] for item in result.divisive][:3],
    }


def eligible_for_meeting(meeting: Any) -> QuerySet[Resident]:
    """The register entries entitled to attend and vote: adult villagers at an assembly, representatives at
    theirs."""
    register = Resident.objects.filter(area=meeting.matter.area)
    if meeting.body == Body.REPRESENTATIVES:
        return register.filter(is_representative=True)
    return register.filter(is_adult=True)


def signature_progress(matter: Matter) -> tuple[int, int]:
    return matter.signatures.count(), signatures_needed(matter)


ACTION_TITLES = {
    "create": _("Matter opened"),
    "sign": _("A resident co-signed the proposal"),
    "advance": _("Moved on to the next step"),
    "complete": _("Completed"),
    "withdraw": _("Withdrawn"),
    "reject": _("Rejected by the meeting"),
    "comment": _("Comment received"),
    "answer_comment": _("Comment answered"),
    "feedback": _("Feedback report published"),
    "statement": _("Statement added to the opinion map"),
    "hearing_schedule": _("Hearing called and its materials published"),
    "hearing_speakers": _("Hearing speakers chosen"),
    "hearing_held": _("Hearing held"),
    "risk_open": _("Risk assessment opened"),
    "risk_item": _("Risk register updated"),
    "risk_survey": _("Stakeholder survey recorded"),
    "risk_sign": _("Risk grade signed"),
    "legal_review": _("Legality review signed"),
    "meeting_call": _("Meeting called"),
    "meeting_quorum": _("Quorum present"),
    "meeting_inquorate": _("No quorum: the meeting could not decide"),
    "meeting_speech": _("Speech recorded"),
    "meeting_vote": _("Vote recorded"),
    "meeting_result": _("Meeting result"),
    "publicity_open": _("Published for objections"),
    "objection": _("Objection received"),
    "objection_answer": _("Objection answered"),
    "milestone": _("Milestone set"),
    "milestone_done": _("Milestone done"),
    "spending": _("Spending recorded"),
    "document": _("Document published"),
    "satisfaction_vote": _("A resident voted on the result"),
}


def timeline_of(matter: Matter) -> list[dict[str, Any]]:
    """The matter's public timeline, for ``components/timeline.html``; individual votes are left out."""
    return [
        {
            "when": event.at,
            "title": ACTION_TITLES.get(event.action, event.action),
            "body": event.message,
        }
        for event in matter.events.exclude(action__in=["meeting_vote", "sign", "satisfaction_vote"])
    ]


@dataclass(frozen=True)
class QuorumNeed:
    persons: float  # an assembly or a collective meeting needs more than this many present; representatives this many
    households: int  # an assembly may instead have this many households represented


def quorum_need(matter: Matter, meeting: Any) -> QuorumNeed:
    """What the deciding body needs present, from the matter's rules (村民委员会组织法 Arts. 22, 25)."""
    if meeting.body == Body.COLLECTIVE:
        return QuorumNeed(float(matter.rule("collective_quorum")) * (meeting.members_total or 0), 0)
    if meeting.body == Body.REPRESENTATIVES:
        return QuorumNeed(math.ceil(float(matter.rule("representatives_quorum")) * meeting.eligible - 1e-9), 0)
    return QuorumNeed(
        float(matter.rule("assembly_quorum_persons")) * meeting.eligible,
        math.ceil(float(matter.rule("assembly_quorum_households")) * meeting.eligible_households - 1e-9),
    )


def _number(value: float) -> str:
    return f"{value:g}" if value == int(value) else f"{value:.1f}"


def quorum_text(meeting: Any) -> str:
    """The quorum check in words, in the reader's language, with the figures."""
    if meeting.quorum_checked_at is None:
        return ""
    need = quorum_need(meeting.matter, meeting)
    if meeting.body == Body.COLLECTIVE:
        return str(_("%(present)d of %(total)d members present; more than %(need)s needed.")) % {
            "present": meeting.members_present or 0,
            "total": meeting.members_total or 0,
            "need": _number(need.persons),
        }
    if meeting.body == Body.REPRESENTATIVES:
        return str(_("%(present)d of %(total)d representatives present; %(need)s needed.")) % {
            "present": meeting.present,
            "total": meeting.eligible,
            "need": _number(need.persons),
        }
    return str(
        _(
            "%(present)d of %(total)d adult villagers present (more than %(persons)s needed), "
            "%(households)d of %(all_households)d households represented (%(households_need)d needed)."
        )
    ) % {
        "present": meeting.present,
        "total": meeting.eligible,
        "persons": _number(need.persons),
        "households": meeting.present_households,
        "all_households": meeting.eligible_households,
        "households_need": need.households,
    }


def result_text(meeting: Any) -> str:
    """The vote in words, in the reader's language: passed by more than half of those present who may vote."""
    if meeting.result not in (MeetingResult.PASSED, MeetingResult.REJECTED):
        return ""
    share = float(meeting.matter.rule("pass_share"))
    return str(
        _(
            "%(for)d for, %(against)d against, %(abstain)d abstaining, of %(voters)d present and entitled to "
            "vote; more than %(need)s needed."
        )
    ) % {
        "for": meeting.votes_for,
        "against": meeting.votes_against,
        "abstain": meeting.votes_abstain,
        "voters": meeting.voters,
        "need": _number(share * meeting.voters),
    }


def meetings_of(matter: Matter) -> list[dict[str, Any]]:
    return [
        {"meeting": meeting, "quorum": quorum_text(meeting), "result": result_text(meeting)}
        for meeting in matter.meetings.select_related("matter").prefetch_related("speeches")
    ]
