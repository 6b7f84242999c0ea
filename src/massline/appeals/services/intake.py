"""Intake: a submission is stored (state ``received``) before anything else touches it."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from massline.audit.services import audit_record
from massline.core import clock
from massline.core.errors import ValidationFailed

from ..attachments import CheckedFile, attachment_store
from ..choices import AppealKind, AttachmentKind, Channel, Track, Urgency
from ..models import Appeal, AppealContact, AppealEvent, AppealPolicy
from ..passphrase import passphrase_hash
from ..transitions import notify_after_commit

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


def active_policy() -> AppealPolicy:
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
    if idempotency_key:
        existing = Appeal.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            return SubmitResult(existing, created=False, passphrase="")
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
    for attempt in range(3):
        try:
            with transaction.atomic():
                appeal = _store(actor=actor, contact=None if anonymous else contact, attachments=attachments, **fields)
            break
        except IntegrityError:
            if idempotency_key:  # a concurrent retry with the same key won the race
                existing = Appeal.objects.filter(idempotency_key=idempotency_key).first()
                if existing is not None:
                    return SubmitResult(existing, created=False, passphrase="")
            if attempt == 2:
                raise  # three tracking-code collisions in a row: something else is wrong
    if route_after_commit:
        from ..tasks import route_appeal

        transaction.on_commit(lambda: route_appeal.enqueue(appeal.pk), robust=True)
    return SubmitResult(appeal, created=True, passphrase=secret)


def _store(*, actor: Any, contact: ContactInput | None, attachments: Sequence[CheckedFile], **fields: Any) -> Appeal:
    for _attempt in range(5):
        code = new_tracking_code()
        if not Appeal.objects.filter(tracking_code=code).exists():
            break
    now = clock.now()
    appeal = Appeal.objects.create(
        tracking_code=code,
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
    for checked in attachments:
        attachment_store(appeal=appeal, checked=checked, kind=AttachmentKind.CITIZEN, actor=actor)
    event = AppealEvent.objects.create(
        appeal=appeal,
        at=now,
        action="submit",
        public_message="",
        data={"channel": appeal.channel, "attachments": len(attachments)},
    )
    notify_after_commit(event.pk)
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
    return appeal
