"""Deadlines of an appeal, from its policy version on the working calendar."""

from __future__ import annotations

import datetime as dt
from typing import Any

from massline.org.calendar import WorkingCalendar, add_hours

from .choices import Urgency


def answer_due(appeal: Any, *, start: dt.datetime, calendar: WorkingCalendar | None = None) -> dt.datetime:
    """When the lead unit must answer: urgent matters in hours around the clock, others in working days by
    type or category (RULES.md: 5 working days by default)."""
    policy = appeal.policy
    if appeal.urgency == Urgency.URGENT:
        return add_hours(start, float(policy.rule("urgent_hours")))
    days = policy.handle_working_days(
        kind=appeal.kind, category_code=appeal.category.code if appeal.category_id else None
    )
    return (calendar or WorkingCalendar()).add_working_days(start, days)


def objection_due(appeal: Any, *, start: dt.datetime, calendar: WorkingCalendar | None = None) -> dt.datetime:
    """Until when the unit may return the appeal as not competent (Shandong: 2 working days)."""
    return (calendar or WorkingCalendar()).add_working_days(start, int(appeal.policy.rule("object_working_days")))
