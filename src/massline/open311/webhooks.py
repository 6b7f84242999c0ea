"""Webhook subscriptions and deliveries.

- **What is sent.** Public steps of appeals that Open311 lists (``selectors.public_requests``): received,
  dispatched, accepted, replied, closed, reopened, referred, linked, merged. The payload is the request in its
  Open311 shape, so it carries nothing the public pages would not show.
- **Signing.** ``X-Massline-Signature: t=<unix time>,v1=<hex HMAC-SHA256 of "<t>.<body>" with the secret>``.
  A receiver recomputes it and refuses a time more than five minutes old.
- **Retries.** A delivery that fails (no answer in ``TIMEOUT`` seconds, or a status outside 2xx) is tried again
  after ``RETRY_DELAYS``, then given up.
- **Log and replay.** Every delivery is logged with its attempts, last status and error. ``webhook_replay`` sends
  one again (the receiver de-duplicates by ``X-Massline-Delivery``).
- **Delivery is at least once.** Each delivery is claimed by moving its next attempt ahead (a lease), so a
  worker that dies mid-send only delays it."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import logging
import secrets
import urllib.error
import urllib.request
from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.translation import gettext as _

from massline.appeals.transitions import Action
from massline.audit.services import audit_record
from massline.core import clock
from massline.core.errors import ValidationFailed
from massline.core.leases import claim_due, drain
from massline.core.memo import Memo

from .models import DeliveryState, WebhookDelivery, WebhookSubscription

logger = logging.getLogger(__name__)

PUBLIC_ACTIONS = (
    Action.SUBMIT,
    Action.DISPATCH,
    Action.ACCEPT,
    Action.REPLY,
    Action.CLOSE,
    Action.REOPEN,
    Action.REFER,
    Action.LINK,
    Action.MERGE,
)
RETRY_DELAYS = (
    dt.timedelta(minutes=1),
    dt.timedelta(minutes=5),
    dt.timedelta(minutes=30),
    dt.timedelta(hours=2),
    dt.timedelta(hours=12),
)
TIMEOUT = 10
LEASE = dt.timedelta(minutes=2)
BATCH = 50
# Read for every public step of every appeal: kept by each process (core.memo), emptied when a subscription is
# saved; other processes follow within MASSLINE_MEMO_SECONDS.
_ACTIVE: Memo[list[WebhookSubscription]] = Memo("open311.webhook_subscriptions").invalidated_by(WebhookSubscription)


@transaction.atomic
def webhook_subscribe(
    *, actor: Any, name: str, url: str, actions: list[str] | tuple[str, ...] = ()
) -> tuple[WebhookSubscription, str]:
    """Subscribe ``url`` to the public steps ``actions`` (all when empty); returns the subscription and its
    signing secret, shown this once."""
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        raise ValidationFailed(_("Give an http or https address."), field="url") from None
    unknown = sorted(set(actions) - {str(action) for action in PUBLIC_ACTIONS})
    if unknown:
        raise ValidationFailed(_("Not a public step: %(steps)s.") % {"steps": ", ".join(unknown)}, field="actions")
    secret = f"whsec_{secrets.token_urlsafe(24)}"
    subscription = WebhookSubscription.objects.create(
        name=name.strip() or url,
        url=url,
        secret=secret,
        actions=sorted(set(actions)),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit_record(
        event="open311.webhook.subscribe",
        actor=actor,
        target=subscription,
        after={"name": subscription.name, "url": url, "actions": subscription.actions},
    )
    return subscription, secret


@transaction.atomic
def webhook_unsubscribe(*, actor: Any, subscription: WebhookSubscription) -> None:
    """Stop sending to a subscription; its delivery log stays."""
    subscription.is_active = False
    subscription.updated_at = clock.now()
    subscription.save(update_fields=["is_active", "updated_at"])  # saved, so the memo of subscriptions empties
    audit_record(event="open311.webhook.unsubscribe", actor=actor, target=subscription)


def deliveries_for_events(events: Sequence[Mapping[str, Any]]) -> list[int]:
    """Log a delivery of each appeal event (a mapping of ``id``, ``appeal_id``, ``action`` and ``at``) for every
    active subscription that wants its step, when the appeal is public to Open311; the public requests of the
    appeals are read in one query. Idempotent (one delivery per subscription and event). Run in the transaction
    that prepares the events' notifications; returns the new deliveries' ids."""
    from . import selectors

    subscriptions = _ACTIVE.get("active", lambda: list(WebhookSubscription.objects.filter(is_active=True)))
    wanted = {
        event["id"]: [
            subscription
            for subscription in subscriptions
            if not subscription.actions or event["action"] in subscription.actions
        ]
        for event in events
        if event["action"] in PUBLIC_ACTIONS
    }
    public = [event for event in events if wanted.get(event["id"])]
    if not public:
        return []
    # Confidential appeals, petitions, reports and legal channels are not in public_requests: not for partners.
    rows = list(
        selectors.public_requests().filter(pk__in={event["appeal_id"] for event in public}).values(*selectors.FIELDS)
    )
    requests = {
        row["pk"]: request for row, request in zip(rows, selectors.as_requests(rows, english=False), strict=True)
    }
    now = clock.now()
    created = []
    for event in public:
        request = requests.get(event["appeal_id"])
        if request is None:
            continue
        event_type = f"appeal.{event['action']}"
        payload: dict[str, Any] = {
            "event": event_type,
            "event_id": event["id"],
            "occurred_at": event["at"].isoformat(timespec="seconds"),
            "service_request": request,
        }
        for subscription in wanted[event["id"]]:
            delivery, made = WebhookDelivery.objects.get_or_create(
                subscription=subscription,
                event_id=event["id"],
                defaults={
                    "event_type": event_type,
                    "payload": payload,
                    "next_attempt_at": now,
                    "created_at": now,
                },
            )
            if made:
                created.append(delivery.pk)
    if created:
        transaction.on_commit(lambda: _enqueue(created), robust=True)
    return created


def _enqueue(ids: list[int]) -> None:
    from .tasks import deliver_webhooks

    for delivery_id in ids:
        deliver_webhooks.enqueue(delivery_id)


def signature(secret: str, body: bytes, timestamp: int) -> str:
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def _claim(delivery_id: int | None, limit: int) -> list[WebhookDelivery]:
    due = WebhookDelivery.objects.filter(state=DeliveryState.PENDING, next_attempt_at__lte=clock.now())
    if delivery_id is not None:
        due = due.filter(pk=delivery_id)
    return claim_due(due.select_related("subscription").order_by("next_attempt_at", "id"), limit=limit, lease=LEASE)


def _send(delivery: WebhookDelivery) -> int:
    body = json.dumps(delivery.payload, ensure_ascii=False, separators=(",", ":")).encode()
    timestamp = int(clock.now().timestamp())
    request = urllib.request.Request(  # noqa: S310 — the address was checked to be http(s) when subscribed
        delivery.subscription.url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": "massline-webhooks/1",
            "X-Massline-Event": delivery.event_type,
            "X-Massline-Delivery": str(delivery.pk),
            "X-Massline-Signature": signature(delivery.subscription.secret, body, timestamp),
        },
    )
    with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310
        return int(response.status)


def webhook_deliver(*, delivery_id: int | None = None, limit: int = BATCH) -> int:
    """Send the due deliveries (one, or up to ``limit``) and return how many were delivered. Each outcome is
    saved on its own, outside any transaction: a slow receiver never holds the database."""
    delivered = 0
    for delivery in _claim(delivery_id, limit):
        attempts = delivery.attempts + 1
        status: int | None = None
        error = ""
        try:
            status = _send(delivery)
        except urllib.error.HTTPError as failure:
            status, error = failure.code, f"HTTP {failure.code}"
        except (OSError, ValueError) as failure:  # refused, timed out, unreachable
            error = f"{type(failure).__name__}: {failure}"
        if status is not None and 200 <= status < 300:
            WebhookDelivery.objects.filter(pk=delivery.pk).update(
                state=DeliveryState.DELIVERED, attempts=attempts, last_status=status, last_error="",
                delivered_at=clock.now(), next_attempt_at=None,
            )  # fmt: skip
            delivered += 1
            continue
        final = attempts > len(RETRY_DELAYS)
        WebhookDelivery.objects.filter(pk=delivery.pk).update(
            state=DeliveryState.FAILED if final else DeliveryState.PENDING,
            attempts=attempts,
            last_status=status,
            last_error=(error or f"HTTP {status}")[:500],
            next_attempt_at=None if final else clock.now() + RETRY_DELAYS[attempts - 1],
        )
        logger.warning("webhook delivery %s attempt %d failed: %s", delivery.pk, attempts, error or status)
    return delivered


def webhook_deliver_due() -> int:
    """The sweep: everything due, in batches (an enqueue lost after commit is caught up here)."""
    return drain(webhook_deliver, batch=BATCH)


@transaction.atomic
def webhook_replay(*, actor: Any, delivery: WebhookDelivery) -> WebhookDelivery:
    """Send a delivery again, whatever became of it (the receiver asked, or it had given up)."""
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        state=DeliveryState.PENDING, next_attempt_at=clock.now(), attempts=0
    )
    audit_record(
        event="open311.webhook.replay", actor=actor, target_type="open311.webhookdelivery", target_id=delivery.pk
    )
    transaction.on_commit(lambda: _enqueue([delivery.pk]), robust=True)
    delivery.refresh_from_db()
    return delivery
