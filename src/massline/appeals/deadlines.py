"""Deadlines of an appeal, from its policy version on the working calendar."""

from __future__ import annotations

import datetime as dt
from typing import Any

from massline.org.calendar import WorkingCalendar, add_hours

from .choices import Track, Urgency


def answer_due(appeal: Any, *, start: dt.datetime, calendar: WorkingCalendar | None = None) -> dt.datetime:
    """When the lead unit must answer: urgent matters in hours around the clock; letters and visits in calendar
    days (信访工作条例 Art. 34: 60 days); others in working days by type or category (RULES.md: 5 by default)."""
    policy = appeal.policy
    if appeal.urgency == Urgency.URGENT:
        return add_hours(start, float(policy.rule("urgent_hours")))
    if appeal.track == Track.PETITION:
        return (calendar or WorkingCalendar()).add_calendar_days(start, int(policy.rule("petition_handle_days")))
    days = policy.handle_working_days(
        kind=appeal.kind, category_code=appeal.category.code if appeal.category_id else None
    )
    return (calendar or WorkingCalendar()).add_working_days(start, days)


def warn_from(appeal: Any, *, start: dt.datetime, due: dt.datetime) -> dt.datetime:
    """When the "deadline near" warning goes out: at the policy's fraction of the time allowed (default 80%)."""
    fraction = float(appeal.policy.rule("warn_fraction"))
    return start + (due - start) * min(max(fraction, 0.0), 1.0)


def set_answer_deadline(appeal: Any, *, start: dt.datetime, due: dt.datetime | None = None) -> list[str]:
    """Write the answer deadline and its warning time on ``appeal`` and clear the sweep's marks for the old
    deadline, so that the new one is watched afresh. Returns the fields changed, for ``save(update_fields=…)``."""
    appeal.due_at = due or answer_due(appeal, start=start)
    appeal.warn_at = warn_from(appeal, start=start, due=appeal.due_at)
    appeal.warned_at, appeal.escalation_level, appeal.escalated_at = None, 0, None
    return ["due_at", "warn_at", "warned_at", "escalation_level", "escalated_at"]


def objection_due(appeal: Any, *, start: dt.datetime, calendar: WorkingCalendar | None = None) -> dt.datetime:
    """Until when the unit may return the appeal as not competent (Shandong: 2 working days)."""
    return (calendar or WorkingCalendar()).add_working_days(start, int(appeal.policy.rule("object_working_days")))


def set_dispatch_wait(appeal: Any, *, start: dt.datetime) -> list[str]:
    """An appeal waiting for a dispatcher (unrouted, or returned by a unit) has no answer deadline yet, but the
    dispatchers are warned when it has waited longer than the policy allows (default 2 hours)."""
    appeal.due_at = None
    appeal.warn_at = add_hours(start, float(appeal.policy.rule("dispatch_wait_hours")))
    appeal.warned_at, appeal.escalation_level, appeal.escalated_at = None, 0, None
    return ["due_at", "warn_at", "warned_at", "escalation_level", "escalated_at"]
