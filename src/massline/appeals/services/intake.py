"""Intake: a submission is stored (state ``received``) before anything else touches it."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from massline.audit.services import audit_record
from massline.core import clock
from massline.core.errors import ValidationFailed
from massline.core.memo import Memo

from ..attachments import CheckedFile, attachment_store
from ..choices import AppealKind, AttachmentKind, Channel, Track, Urgency
from ..models import Appeal, AppealContact, AppealEvent, AppealPolicy
from ..passphrase import passphrase_hash
from ..transitions import notify_after_commit

logger = logging.getLogger(__name__)

# No 0/O, 1/I/L: a code read out on the phone must not be misheard.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
MAX_DESCRIPTION = 4000  # Open311 GeoReport v2's limit, used for every channel
MAX_KEY = 100
MIN_PASSPHRASE = 8


@dataclass(frozen=True)
class ContactInput:
    name: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""

    @property
    def is_empty(self) -> bool:
        return not (self.name or self.phone or self.email or self.address)


@dataclass(frozen=True)
class SubmitResult:
    appeal: Appeal
    created: bool
    passphrase: str  # shown once to the citizen; empty when the submission was a retry


def new_tracking_code() -> str:
    today = clock.today()
    body = "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
    return f"{today:%y%m}-{body[:4]}-{body[4:]}"


_POLICY: Memo[AppealPolicy] = Memo("appeals.active_policy").invalidated_by(AppealPolicy)


def active_policy() -> AppealPolicy:
    """The policy stamped on new appeals: the active version with the highest number (remembered for
    ``MASSLINE_MEMO_SECONDS``, see ``core.memo``)."""
    return _POLICY.get("active", _read_active_policy)


def policy_by_id(policy_id: int) -> AppealPolicy:
    """A policy version by its id (remembered: a version in use is never edited)."""
    return _POLICY.get(("id", policy_id), lambda: AppealPolicy.objects.get(pk=policy_id))


def _read_active_policy() -> AppealPolicy:
    policy = AppealPolicy.objects.filter(is_active=True).order_by("-version").first()
    if policy is None:
        policy, _created = AppealPolicy.objects.get_or_create(version=1, defaults={"name": "RULES.md defaults"})
    return policy


def _validate(*, kind: str, channel: str, urgency: str, track: str, title: str, description: str) -> None:
    if track not in Track.values:
        raise ValidationFailed(_("Unknown track."), field="track")
    if kind not in AppealKind.values:
        raise ValidationFailed(_("Choose the type of your request."), field="kind")
    if channel not in Channel.values:
        raise ValidationFailed(_("Unknown channel."), field="channel")
    if urgency not in Urgency.values:
        raise ValidationFailed(_("Unknown urgency."), field="urgency")
    if not title.strip():
        raise ValidationFailed(_("Give your request a short title."), field="title")
    if len(title) > 200:
        raise ValidationFailed(_("The title can be at most 200 characters."), field="title")
    if not description.strip():
        raise ValidationFailed(_("Describe the problem."), field="description")
    if len(description) > MAX_DESCRIPTION:
        raise ValidationFailed(
            _("The description can be at most %(max)d characters.") % {"max": MAX_DESCRIPTION}, field="description"
        )


def _validate_point(latitude: Any, longitude: Any) -> None:
    """A map pin is both coordinates or neither, on the globe."""
    if (latitude is None) != (longitude is None):
        raise ValidationFailed(_("A map point needs both latitude and longitude."), field="latitude")
    if latitude is None:
        return
    try:
        lat, lon = float(latitude), float(longitude)
    except (TypeError, ValueError):
        raise ValidationFailed(_("The map point is not a valid position."), field="latitude") from None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise ValidationFailed(_("The map point is not a valid position."), field="latitude")


def appeal_submit(
    *,
    actor: Any,
    kind: str,
    channel: str,
    title: str,
    description: str,
    location_text: str = "",
    area: Any = None,
    category: Any = None,
    contact: ContactInput | None = None,
    anonymous: bool = False,
    contact_confidential: bool = False,
    passphrase: str = "",
    urgency: str = Urgency.NORMAL,
    track: str = Track.HOTLINE,
    latitude: Any = None,
    longitude: Any = None,
    publish_consent: bool = False,
    visitor_count: int | None = None,
    attachments: Sequence[CheckedFile] = (),
    idempotency_key: str | None = None,
    route_after_commit: bool = True,
) -> SubmitResult:
    """Store a citizen's appeal and give back its tracking code and passphrase (Beijing regulation Art. 10:
    the work order records time, matter and contact details). Routing happens after this transaction commits,
    so nothing that fails later can lose the submission. The same ``idempotency_key`` returns the first
    appeal and never creates a second. Callers that route the appeal themselves (imports, the demo seed) pass
    ``route_after_commit=False``."""
    _validate(kind=kind, channel=channel, urgency=urgency, track=track, title=title, description=description)
    _validate_point(latitude, longitude)
    if idempotency_key and len(idempotency_key) > MAX_KEY:
        raise ValidationFailed(
            _("The idempotency key can be at most %(max)d characters.") % {"max": MAX_KEY}, field="idempotency_key"
        )
    if passphrase and len(passphrase) < MIN_PASSPHRASE:
        raise ValidationFailed(
            _("A passphrase needs at least %(min)d characters.") % {"min": MIN_PASSPHRASE}, field="passphrase"
        )
    secret = passphrase or secrets.token_urlsafe(6)
    fields = {
        "kind": kind,
        "channel": channel,
        "urgency": urgency,
        "track": track,
        "latitude": latitude,
        "longitude": longitude,
        "publish_consent": publish_consent,
        "visitor_count": visitor_count,
        "title": title.strip(),
        "description": description.strip(),
        "location_text": location_text.strip(),
        "area": area,
        "category": category,
        "anonymous": anonymous,
        "contact_confidential": contact_confidential,
        "passphrase_hash": passphrase_hash(secret),
        "idempotency_key": idempotency_key or None,
    }
    # No reads before the write: the unique constraints on the idempotency key and the tracking code decide.
    # A retry (or a concurrent twin) with the same key finds the first appeal; a tracking-code collision, one
    # in hundreds of billions a month, draws a new code.
    for attempt in range(3):
        try:
            with transaction.atomic():
                appeal, event = _store(
                    actor=actor, contact=None if anonymous else contact, attachments=attachments, **fields
                )
            break
        except IntegrityError:
            if idempotency_key:
                existing = Appeal.objects.filter(idempotency_key=idempotency_key).first()
                if existing is not None:
                    return SubmitResult(existing, created=False, passphrase="")
            if attempt == 2:
                raise  # three failures in a row are not collisions: something else is wrong
    if route_after_commit:
        if transaction.get_connection().in_atomic_block:  # the caller's transaction has not committed yet
            transaction.on_commit(lambda: route_stored_appeal(appeal.pk), robust=True)
        else:
            appeal = route_stored_appeal(appeal) or appeal
    else:
        notify_after_commit(event.pk)
    return SubmitResult(appeal, created=True, passphrase=secret)


def route_leaving_notifications(appeal: Appeal | int) -> Appeal:
    """Route a stored appeal (the object just stored, or an id) without queueing a notification task per step:
    the caller queues one ``notify.notify_appeal`` for the appeal afterwards. Raises ``Appeal.DoesNotExist``
    for no appeal."""
    from ..notify import prepared_here
    from .dispatch import appeal_route

    with prepared_here():
        if isinstance(appeal, Appeal):
            return appeal_route(appeal=appeal, as_stored=True)
        return appeal_route(appeal=Appeal(pk=appeal))


def route_stored_appeal(stored: Appeal | int) -> Appeal | None:
    """Route an appeal whose submission has committed (the object intake stored, or its id), at once and in
    this process (dispatch when the matrix names a unit), then queue the notifications of its receipt and its
    routing as one task; returns the routed appeal, or None when routing failed. Never raises
    into the caller: the citizen's submission is already safe, and if routing fails here the worker tries
    again (``tasks.route_appeal``); if the process dies first, the periodic ``tasks.route_catch_up`` routes it a
    minute or two later. A dispatcher sees the appeal in the inbox meanwhile."""
    from ..notify import notify_appeal
    from ..tasks import route_appeal

    appeal_id = stored.pk if isinstance(stored, Appeal) else stored
    try:
        routed = route_leaving_notifications(stored)
    except Exception:
        logger.exception("appeal %s could not be routed at once; queued for the worker", appeal_id)
        try:
            route_appeal.enqueue(appeal_id)
        except Exception:
            logger.exception("appeal %s could not be queued for routing either", appeal_id)
        return None
    try:
        notify_appeal(appeal_id)
    except Exception:  # the periodic catch-up prepares them
        logger.exception("notifications of appeal %s could not be queued", appeal_id)
    return routed


def _store(
    *, actor: Any, contact: ContactInput | None, attachments: Sequence[CheckedFile], **fields: Any
) -> tuple[Appeal, AppealEvent]:
    now = clock.now()
    appeal = Appeal.objects.create(
        tracking_code=new_tracking_code(),
        policy=active_policy(),
        received_at=now,
        # An anonymous appeal keeps no trace of who sent it, not even a signed-in citizen's account.
        submitted_by=actor if getattr(actor, "is_authenticated", False) and not fields["anonymous"] else None,
        **fields,
    )
    if contact is not None and not contact.is_empty:
        AppealContact.objects.create(
            appeal=appeal, name=contact.name, phone=contact.phone, email=contact.email, address=contact.address
        )
    else:
        # Known to have none (as Django notes after a lookup that found none), so routing reads nothing for it.
        Appeal.contact.related.set_cached_value(appeal, None)
    for checked in attachments:
        attachment_store(appeal=appeal, checked=checked, kind=AttachmentKind.CITIZEN, actor=actor)
    event = AppealEvent.objects.create(
        appeal=appeal,
        at=now,
        action="submit",
        public_message="",
        # The language of the page or API call it came from: the citizen's messages are written in it, later,
        # by the worker, where no request says which language is active.
        data={"channel": appeal.channel, "attachments": len(attachments), "language": get_language()},
    )
    audit_record(
        event="appeals.appeal.submit",
        actor=actor,
        target=appeal,
        after={
            "tracking_code": appeal.tracking_code,
            "kind": appeal.kind,
            "channel": appeal.channel,
            "attachments": [checked.sha256 for checked in attachments],
        },
    )
    return appeal, event
