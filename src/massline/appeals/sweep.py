"""The deadline sweep: no appeal can stall without someone being told.

Run every few minutes by the periodic scheduler; each pass is idempotent (marks on the appeal say what was
already done for its current deadline) and works in small batches off partial indexes on open rows, each
appeal in its own short transaction under a row lock (STYLE.md §4):

1. a unit that let the objection period pass has accepted the appeal (first-receiver responsibility, Art. 14);
2. at the policy's fraction of the time (default 80%) the unit is warned that the deadline is near; an appeal
   waiting for a dispatcher too long warns the dispatchers;
3. at the deadline the appeal is overdue and the unit leader is told (level 1);
4. a further ``escalate_supervisor_after_working_days`` later, the supervisors are told (level 2);
5. an unanswered supervision order past its own deadline is reported overdue.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q

from massline.core import clock
from massline.org.calendar import WorkingCalendar

from .choices import AssignmentRole, AssignmentState, SupervisionState
from .models import Appeal, Assignment, SupervisionOrder
from .transitions import DEADLINE_STATES, RUNNING_DEADLINE, Action, Group, State, side_actions, transition

BATCH = 200


@dataclass
class SweepResult:
    counts: dict[str, int] = field(default_factory=dict)

    def add(self, name: str, n: int) -> None:
        self.counts[name] = self.counts.get(name, 0) + n


def _in_batches(ids: Callable[[int], list[int]], handle: Callable[[int], bool]) -> int:
    """Handle the ids returned by ``ids(after)`` batch by batch (keyset on id); count those really handled."""
    done, after = 0, 0
    while True:
        batch = ids(after)
        if not batch:
            return done
        for pk in batch:
            if handle(pk):
                done += 1
        after = batch[-1]


def _ids(queryset: Iterable[int]) -> list[int]:
    return list(queryset)


def _auto_accept(now: dt.datetime) -> int:
    pending = Assignment.objects.filter(
        role=AssignmentRole.LEAD, state=AssignmentState.PENDING, object_due_at__lte=now
    ).order_by("appeal_id")

    def ids(after: int) -> list[int]:
        return _ids(pending.filter(appeal_id__gt=after).values_list("appeal_id", flat=True).distinct()[:BATCH])

    def handle(pk: int) -> bool:
        with transaction.atomic():
            appeal = Appeal.objects.select_for_update(of=("self",)).select_related("lead_unit").get(pk=pk)
            assignment = (
                appeal.assignments.select_for_update()
                .filter(role=AssignmentRole.LEAD, state=AssignmentState.PENDING, object_due_at__lte=now)
                .first()
            )
            if assignment is None or appeal.state != State.DISPATCHED:
                return False
            assignment.state, assignment.decided_at = AssignmentState.ACCEPTED, now
            assignment.save(update_fields=["state", "decided_at"])
            transition(
                appeal,
                action=Action.ACCEPT,
                actor=None,
                unit=appeal.lead_unit,
                data={"automatic": True, "reason": "objection_period_passed"},
            )
            return True

    return _in_batches(ids, handle)


def _warn(now: dt.datetime) -> int:
    due = Appeal.objects.filter(state_group=Group.OPEN, warned_at__isnull=True, warn_at__lte=now).order_by("pk")

    def ids(after: int) -> list[int]:
        return _ids(due.filter(pk__gt=after).values_list("pk", flat=True)[:BATCH])

    def handle(pk: int) -> bool:
        with transaction.atomic():
            appeal = Appeal.objects.select_for_update(of=("self",)).select_related("lead_unit").get(pk=pk)
            if appeal.state_group != Group.OPEN or appeal.warned_at is not None:
                return False
            appeal.warned_at = now
            appeal.save(update_fields=["warned_at"])
            if appeal.due_at is not None and appeal.due_at <= now:
                return False  # already overdue: the overdue step speaks for it
            waiting = appeal.state in (State.RECEIVED, State.PENDING_DISPATCH, State.OBJECTED)
            if not waiting and appeal.state not in DEADLINE_STATES:
                return False
            transition(
                appeal,
                action=Action.WARN,
                actor=None,
                unit=None if waiting else appeal.lead_unit,
                data={
                    "kind": "dispatch_wait" if waiting else "deadline",
                    "due_at": appeal.due_at.isoformat() if appeal.due_at else None,
                },
            )
            return True

    return _in_batches(ids, handle)


def _escalation_bound(now: dt.datetime, calendar: WorkingCalendar) -> dt.datetime:
    """Deadlines before this moment may be due for the supervisors: the start of the n-th working day before
    today, n the smallest ``escalate_supervisor_after_working_days`` of the policies in use."""
    from .models import AppealPolicy

    n = min((int(p.rule("escalate_supervisor_after_working_days")) for p in AppealPolicy.objects.all()), default=1)
    day, found = now.astimezone(clock.local_zone()).date(), 0
    while found < max(n, 1):
        day -= dt.timedelta(days=1)
        if calendar.is_working_day(day):
            found += 1
    return dt.datetime.combine(day, dt.time.min, tzinfo=clock.local_zone())


def _overdue(now: dt.datetime, *, level: int, calendar: WorkingCalendar) -> int:
    overdue = Appeal.objects.filter(RUNNING_DEADLINE, due_at__lte=now, escalation_level__lt=level).order_by("pk")
    if level == 2:
        # A bound from the working calendar first, so a weekend or holiday does not bring the same appeals
        # back on every pass; the exact rule of each appeal's policy is checked per appeal.
        overdue = overdue.filter(
            Q(state__in=(State.REVIEW, State.RE_REVIEW))
            | Q(escalation_level=1, due_at__lt=_escalation_bound(now, calendar))
        )

    def ids(after: int) -> list[int]:
        return _ids(overdue.filter(pk__gt=after).values_list("pk", flat=True)[:BATCH])

    def handle(pk: int) -> bool:
        with transaction.atomic():
            appeal = Appeal.objects.select_for_update(of=("self",)).select_related("lead_unit", "policy").get(pk=pk)
            if (
                appeal.state_group != Group.OPEN
                or appeal.state not in DEADLINE_STATES
                or appeal.due_at is None
                or appeal.due_at > now
                or appeal.escalation_level >= level
            ):
                return False
            reviewing = appeal.state in (State.REVIEW, State.RE_REVIEW)
            if level == 2 and not reviewing:
                after_days = int(appeal.policy.rule("escalate_supervisor_after_working_days"))
                if calendar.add_working_days(appeal.due_at, after_days) > now:
                    return False
            unit, reached = appeal.lead_unit, level
            if reviewing:
                # A late review is the reviewing organ's, not the unit whose answer is reviewed: the
                # supervisors are told at once.
                reached = 2
                request = appeal.review_requests.filter(decided_at__isnull=True).select_related("reviewing_unit")
                unit = next((r.reviewing_unit for r in request.order_by("-requested_at")[:1]), None)
            appeal.escalation_level, appeal.escalated_at = reached, now
            appeal.save(update_fields=["escalation_level", "escalated_at"])
            transition(
                appeal,
                action=Action.OVERDUE,
                actor=None,
                unit=unit,
                data={"level": reached, "due_at": appeal.due_at.isoformat(), "review": reviewing},
            )
            return True

    return _in_batches(ids, handle)


def _supervision_overdue(now: dt.datetime) -> int:
    late = SupervisionOrder.objects.filter(
        Q(state=SupervisionState.OPEN), due_at__lte=now, overdue_notified_at__isnull=True
    ).order_by("pk")

    def ids(after: int) -> list[int]:
        return _ids(late.filter(pk__gt=after).values_list("pk", flat=True)[:BATCH])

    def handle(pk: int) -> bool:
        with transaction.atomic():
            order = SupervisionOrder.objects.select_for_update().select_related("unit").get(pk=pk)
            if order.state != SupervisionState.OPEN or order.overdue_notified_at is not None:
                return False
            appeal = Appeal.objects.select_for_update(of=("self",)).get(pk=order.appeal_id)
            order.overdue_notified_at = now
            order.save(update_fields=["overdue_notified_at"])
            if appeal.state not in side_actions().get(Action.OVERDUE, ()):
                return False  # the appeal was closed meanwhile; the order no longer matters
            transition(
                appeal,
                action=Action.OVERDUE,
                actor=None,
                unit=order.unit,
                data={"level": 1, "order": order.pk, "due_at": order.due_at.isoformat()},
            )
            return True

    return _in_batches(ids, handle)


def deadline_sweep(*, now: dt.datetime | None = None) -> SweepResult:
    """One pass of the sweep; returns how many appeals each step acted on."""
    now = now or clock.now()
    calendar = WorkingCalendar()
    result = SweepResult()
    result.add("auto_accepted", _auto_accept(now))
    result.add("warned", _warn(now))
    result.add("overdue", _overdue(now, level=1, calendar=calendar))
    result.add("escalated", _overdue(now, level=2, calendar=calendar))
    result.add("supervision_overdue", _supervision_overdue(now))
    return result
