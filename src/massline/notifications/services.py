"""Notification use cases: fill the outbox for an appeal event, deliver what is due with retries, collapse the
daily digests, and the staff member's own actions (mark read, choose how e-mail comes)."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.db import connection, transaction
from django.db.models import QuerySet

from massline.appeals.models import Appeal, AppealEvent
from massline.core import clock
from massline.core.errors import ValidationFailed
from massline.core.leases import claim_due, drain

from .conf import MAX_BACKOFF_SECONDS, setting
from .messages import render_citizen, render_digest, render_staff, representatives_of
from .models import Audience, Channel, Delivery, NotificationPreference, OutboxMessage, OutboxState
from .recipients import (
    UNIT_ROLES,
    citizen_address,
    citizen_language,
    earlier_citizen_languages,
    event_unit_id,
    staff_for,
    staff_language,
    unit_role_assignments,
)
from .rules import Audience as RuleAudience
from .rules import rules_for
from .selectors import preferences_for
from .senders import channel_enabled, sender_for

logger = logging.getLogger(__name__)

LEASE = dt.timedelta(minutes=5)  # a row being sent is not picked up again before this, unless the sender died
BATCH = 100


EVENT_RELATIONS = ("appeal", "unit", "appeal__lead_unit", "appeal__submitted_by", "appeal__area", "appeal__contact")


def events_to_notify() -> QuerySet[AppealEvent]:
    """Appeal events with everything preparing their notifications reads (the citizen's contact included)."""
    return AppealEvent.objects.select_related(*EVENT_RELATIONS)


class OutboxBatch:
    """The outbox rows of several appeal events, following ``rules.py``, prepared in one transaction and written
    with one statement: the staff of a unit or an area, their preferences and a citizen's language are read
    once per batch, not once per event. ``save`` must run inside the transaction that marks the events as
    prepared; the due rows are delivered after it commits. Safe to run again for the same events: a row's key
    (event, recipient, channel) is unique, so nothing is created, let alone sent, twice."""

    def __init__(self, events: list[AppealEvent]) -> None:
        """``events`` read with ``events_to_notify``, in the order they happened."""
        self.now = clock.now()
        self.rows: list[OutboxMessage] = []
        self._staff: dict[tuple[Any, ...], list[Any]] = {}
        self._rules = {event.pk: rules_for(event.action, event.data or {}) for event in events}
        citizens = {event.appeal_id for event in events if self._rules[event.pk]}
        self._languages: dict[int, str] = earlier_citizen_languages(citizens) if citizens else {}
        self._representatives = representatives_of(citizens) if citizens else {}
        self._units: dict[int, list[Any]] = unit_role_assignments(
            event for event in events if any(rule.audience in UNIT_ROLES for rule in self._rules[event.pk])
        )
        self._preferences = preferences_for(
            {assignment.user for assignments in self._units.values() for assignment in assignments}
        )
        for event in events:
            self._add(event)

    def _add(self, event: AppealEvent) -> None:
        appeal: Appeal = event.appeal
        matching = self._rules[event.pk]
        if not matching:
            return
        address = citizen_address(appeal)
        for rule in matching:
            if rule.audience == RuleAudience.CITIZEN:
                if address is not None:
                    self.rows += self._citizen_rows(rule.message, event=event, address=address)
                continue
            for user in self._staff_for(rule.audience, event=event):
                self.rows += _staff_rows(
                    rule.message,
                    urgent=rule.urgent,
                    appeal=appeal,
                    event=event,
                    user=user,
                    address=address,
                    now=self.now,
                    preference=self._preference(user),
                    representatives=self._representatives.get(appeal.pk, ()),
                )

    def save(self) -> list[OutboxMessage]:
        """Write the rows not written before (one statement) and have the due ones delivered after commit;
        returns the rows created now."""
        if not self.rows:
            return []
        existing = set(
            OutboxMessage.objects.filter(key__in=[row.key for row in self.rows]).values_list("key", flat=True)
        )
        fresh: dict[str, OutboxMessage] = {}
        for row in self.rows:
            if row.key not in existing and row.key not in fresh:  # two rules may name the same person
                fresh[row.key] = row
        OutboxMessage.objects.bulk_create(fresh.values(), ignore_conflicts=True)
        due = sorted(
            {
                row.event_id
                for row in fresh.values()
                if row.event_id is not None and row.state == OutboxState.PENDING and not row.hold_for_digest
            }
        )
        if due:
            transaction.on_commit(lambda: _enqueue_delivery(due), robust=True)
        return list(fresh.values())

    def _citizen_rows(self, message: str, *, event: AppealEvent, address: Any) -> list[OutboxMessage]:
        appeal = event.appeal
        language = citizen_language(
            appeal,
            at_submission=(event.data or {}).get("language") if event.action == "submit" else None,
            earlier=self._languages.get(appeal.pk),
        )
        self._languages.setdefault(appeal.pk, language)  # the citizen's next message in this batch: the same
        return _citizen_rows(message, appeal=appeal, event=event, address=address, now=self.now, language=language)

    def _staff_for(self, audience: str, *, event: AppealEvent) -> list[Any]:
        appeal = event.appeal
        # A unit's staff depend on the unit, the dispatchers' and supervisors' on the appeal's area.
        where = event_unit_id(appeal, event) if audience in UNIT_ROLES else appeal.area_id
        key = (audience, where, event.actor_id)
        if key not in self._staff:
            staff = self._staff[key] = staff_for(audience, appeal=appeal, event=event, units=self._units)
            # The units' staff came with their preferences; an area's dispatchers or supervisors come now.
            self._preferences.update(preferences_for(user for user in staff if user.pk not in self._preferences))
        return self._staff[key]

    def _preference(self, user: Any) -> NotificationPreference:
        return self._preferences[user.pk]


def _enqueue_delivery(event_ids: list[int]) -> None:
    from .tasks import deliver_events_notifications

    deliver_events_notifications.enqueue(event_ids)


def _citizen_rows(
    message: str, *, appeal: Appeal, event: AppealEvent, address: Any, now: dt.datetime, language: str
) -> list[OutboxMessage]:
    rendered = render_citizen(message, appeal=appeal, event=event, language=language, address=address)
    rows = []
    for channel, to, body in (
        (Channel.EMAIL, address.email, rendered.body),
        (Channel.SMS, address.phone, rendered.sms),
    ):
        if not to or not channel_enabled(channel):
            continue
        rows.append(
            OutboxMessage(
                key=f"e{event.pk}:citizen:{channel}",
                appeal=appeal,
                event=event,
                kind=message,
                audience=Audience.CITIZEN,
                channel=channel,
                address=to,
                language=language,
                subject=rendered.subject,
                body=body,
                url=rendered.url,
                next_attempt_at=now,
                created_at=now,
            )
        )
    return rows


def _staff_rows(
    message: str,
    *,
    urgent: bool,
    appeal: Appeal,
    event: AppealEvent,
    user: Any,
    address: Any,
    now: dt.datetime,
    preference: NotificationPreference,
    representatives: tuple[str, ...],
) -> list[OutboxMessage]:
    language = staff_language(user)
    rendered = render_staff(
        message, appeal=appeal, event=event, language=language, address=address, representatives=representatives
    )
    common = {
        "appeal": appeal,
        "event": event,
        "kind": message,
        "audience": Audience.STAFF,
        "user": user,
        "language": language,
        "subject": rendered.subject,
        "body": rendered.body,
        "url": rendered.url,
        "urgent": urgent,
        "created_at": now,
    }
    # The in-app notice is the row itself: delivered the moment it exists.
    rows = [
        OutboxMessage(
            key=f"e{event.pk}:u{user.pk}:{Channel.INAPP}",
            channel=Channel.INAPP,
            state=OutboxState.SENT,
            sent_at=now,
            **common,
        )
    ]
    if user.email:
        mode = preference.urgent if urgent else preference.routine
        rows.append(
            OutboxMessage(
                key=f"e{event.pk}:u{user.pk}:{Channel.EMAIL}",
                channel=Channel.EMAIL,
                address=user.email,
                hold_for_digest=mode == Delivery.DIGEST,
                next_attempt_at=now,
                **common,
            )
        )
    return rows


def backoff(attempts: int) -> dt.timedelta:
    """Wait before the next attempt: the base delay doubled after each failure, at most six hours."""
    base = int(setting("MASSLINE_NOTIFY_RETRY_SECONDS"))
    return dt.timedelta(seconds=min(base * 2 ** max(attempts - 1, 0), MAX_BACKOFF_SECONDS))


def _claim(*, event_ids: list[int] | None, limit: int) -> list[OutboxMessage]:
    """Take up to ``limit`` due rows for this worker, leased (``core.leases``: at-least-once delivery)."""
    due = OutboxMessage.objects.filter(
        state=OutboxState.PENDING, hold_for_digest=False, next_attempt_at__lte=clock.now()
    ).order_by("next_attempt_at", "id")
    if event_ids is not None:
        due = due.filter(event_id__in=event_ids)
    return claim_due(due, limit=limit, lease=LEASE)


def outbox_deliver(*, event_ids: list[int] | None = None, limit: int = BATCH) -> int:
    """Send the due rows (of these events, or all) and return how many were sent. A failure is retried with
    exponential backoff until ``MASSLINE_NOTIFY_MAX_ATTEMPTS`` attempts, then the row is marked failed. Not
    one transaction: each row's outcome is saved on its own, so a slow gateway never holds the database."""
    sent = 0
    max_attempts = int(setting("MASSLINE_NOTIFY_MAX_ATTEMPTS"))
    for row in _claim(event_ids=event_ids, limit=limit):
        attempts = row.attempts + 1
        try:
            sender_for(row.channel).send(row)
        except Exception as error:
            final = attempts >= max_attempts
            OutboxMessage.objects.filter(pk=row.pk).update(
                attempts=attempts,
                last_error=f"{type(error).__name__}: {error}"[:1000],
                state=OutboxState.FAILED if final else OutboxState.PENDING,
                next_attempt_at=None if final else clock.now() + backoff(attempts),
                address="" if final else row.address,
            )
            log = logger.error if final else logger.warning
            log("notification %s attempt %d failed: %s", row.key, attempts, error)
            continue
        _mark_sent(row, attempts=attempts)
        sent += 1
    return sent


def _mark_sent(row: OutboxMessage, *, attempts: int) -> None:
    """Save that ``row`` went out, and forget its address. One plain statement: it runs after every message
    sent, and the ORM cost several times more to build it than the database to run it."""
    sql = f"""UPDATE {OutboxMessage._meta.db_table}
        SET attempts = %s, state = %s, sent_at = %s, next_attempt_at = NULL, address = '' WHERE id = %s"""  # noqa: S608 — our table
    with connection.cursor() as cursor:
        cursor.execute(sql, [attempts, OutboxState.SENT, connection.ops.adapt_datetimefield_value(clock.now()), row.pk])


def outbox_deliver_due() -> int:
    """The sweep: deliver everything due, in batches, so nothing is lost when an enqueue after commit failed."""
    return drain(outbox_deliver, batch=BATCH)


def digest_cutoff(now: dt.datetime) -> dt.datetime | None:
    """Today's digest time in the deployment's zone, once it has come; None before it."""
    local = now.astimezone(clock.local_zone())
    at = local.replace(hour=int(setting("MASSLINE_NOTIFY_DIGEST_HOUR")), minute=0, second=0, microsecond=0)
    return at if local >= at else None


def digest_send_daily() -> int:
    """Collapse each staff member's e-mails waiting for the digest into one e-mail, once a day from
    ``MASSLINE_NOTIFY_DIGEST_HOUR``. Idempotent per day: the digest's key names the day, so a second run the
    same day sends nothing more (what arrives later waits for tomorrow's). Returns the digests created."""
    now = clock.now()
    cutoff = digest_cutoff(now)
    if cutoff is None:
        return 0
    day = cutoff.date().isoformat()
    user_ids = (
        OutboxMessage.objects.filter(state=OutboxState.PENDING, hold_for_digest=True, user__isnull=False)
        .values_list("user_id", flat=True)
        .distinct()
    )
    created = 0
    for user_id in sorted(set(user_ids)):
        if _digest_for_user(user_id=user_id, day=day, now=now) is not None:
            created += 1
    if created:
        outbox_deliver_due()
    return created


@transaction.atomic
def _digest_for_user(*, user_id: int, day: str, now: dt.datetime) -> OutboxMessage | None:
    key = f"digest:{day}:u{user_id}:{Channel.EMAIL}"
    if OutboxMessage.objects.filter(key=key).exists():
        return None
    waiting = list(
        OutboxMessage.objects.select_for_update()
        .select_related("user")
        .filter(user_id=user_id, state=OutboxState.PENDING, hold_for_digest=True)
        .order_by("created_at", "id")
    )
    if not waiting:
        return None
    user = waiting[0].user
    assert user is not None
    language = staff_language(user)
    rendered = render_digest(language=language, messages=waiting)
    digest = OutboxMessage.objects.create(
        key=key,
        kind="digest",
        audience=Audience.STAFF,
        user=user,
        channel=Channel.EMAIL,
        address=user.email,
        language=language,
        subject=rendered.subject,
        body=rendered.body,
        url=rendered.url,
        next_attempt_at=now,
        created_at=now,
    )
    OutboxMessage.objects.filter(pk__in=[row.pk for row in waiting]).update(
        state=OutboxState.DIGESTED, digest=digest, next_attempt_at=None, address=""
    )
    return digest


@transaction.atomic
def notifications_mark_read(*, user: Any) -> int:
    """Mark every in-app notification of ``user`` read; returns how many were unread."""
    return OutboxMessage.objects.filter(user=user, channel=Channel.INAPP, read_at__isnull=True).update(
        read_at=clock.now()
    )


@transaction.atomic
def preference_set(*, user: Any, routine: str, urgent: str) -> NotificationPreference:
    """Choose how notices by e-mail come: at once, or in one daily summary. Rows already waiting for the digest
    keep waiting; the choice applies to what comes next."""
    if routine not in Delivery.values:
        raise ValidationFailed(field="routine")
    if urgent not in Delivery.values:
        raise ValidationFailed(field="urgent")
    preference, _created = NotificationPreference.objects.update_or_create(
        user=user, defaults={"routine": routine, "urgent": urgent}
    )
    return preference
