"""Administrator corrections to the working calendar."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from massline.audit.services import audit_record, snapshot

from ..models import CalendarOverride


@transaction.atomic
def calendar_override_set(*, actor: Any, date: dt.date, is_working_day: bool, reason: str) -> CalendarOverride:
    """Make ``date`` a working day or a rest day whatever the statutory calendar says (for a local holiday,
    or a year whose State Council schedule the library does not yet know)."""
    override = CalendarOverride.objects.select_for_update().filter(date=date).first()
    before = snapshot(override) if override else None
    if override is None:
        override = CalendarOverride(date=date)
    override.is_working_day = is_working_day
    override.reason = reason
    override.full_clean()
    override.save()
    audit_record(
        event="org.calendaroverride.set",
        actor=actor,
        target=override,
        before=before,
        after=snapshot(override),
        reason=reason,
    )
    return override


@transaction.atomic
def calendar_override_remove(*, actor: Any, override: CalendarOverride, reason: str) -> None:
    before = snapshot(override)
    pk = override.pk
    override.delete()
    audit_record(
        event="org.calendaroverride.removed",
        actor=actor,
        target_type="org.calendaroverride",
        target_id=str(pk),
        before=before,
        reason=reason,
    )
