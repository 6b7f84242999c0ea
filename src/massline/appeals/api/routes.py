"""The public operations of the appeals API: submit an appeal, follow it. Thin adapters (STYLE.md §1, §7): parse,
call ``appeal_submit`` or read the public view of an appeal, render. No session and no cookie is used, so no
CSRF token is needed; a signed-in visitor's session is ignored and the appeal is submitted as the public's."""

from __future__ import annotations

import hashlib
import json

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Header, Router, Status

from massline.core.errors import NotFound, ValidationFailed
from massline.org.models import Area, Category
from massline.org.selectors import active_area_by_code, active_category_by_code

from ..choices import Channel
from ..models import Appeal
from ..redaction import mask_personal_data
from ..services import ContactInput, appeal_submit
from ..services.intake import MAX_KEY
from ..timeline import public_timeline
from ..transitions import Group
from ..web.limits import intake_limited
from .errors import RateLimited
from .schemas import AppealIn, ErrorsOut, SubmittedOut, TrackingOut

router = Router(tags=["appeals"])

CREATED = 201
OK = 200


def _scoped_key(key: str | None, payload: AppealIn) -> str | None:
    """The client's ``Idempotency-Key`` bound to what it sent. A retry sends the same body and finds its first
    appeal; another client that happens to use the same key sends a different body and is not mistaken for a
    retry, so nothing it submits is lost and nobody learns another's tracking code. The passphrase is left out:
    only its keyed hash is ever stored."""
    if not key:
        return None
    body = payload.model_dump(exclude={"passphrase"})
    digest = hashlib.sha256(json.dumps([key, body], sort_keys=True, ensure_ascii=False).encode()).hexdigest()
    return f"api:{digest}"


def _area(code: str | None) -> Area | None:
    if not code:
        return None
    area = active_area_by_code(code)
    if area is None:
        raise ValidationFailed(_("No place has this code."), code="unknown", field="area_code")
    return area


def _category(code: str | None) -> Category | None:
    if not code:
        return None
    category = active_category_by_code(code)
    if category is None:
        raise ValidationFailed(_("No topic has this code."), code="unknown", field="category_code")
    return category


@router.post(
    "/appeals",
    response={CREATED: SubmittedOut, OK: SubmittedOut, 400: ErrorsOut, 422: ErrorsOut, 429: ErrorsOut},
    exclude_none=True,
    url_name="appeal_submit",
    operation_id="appeal_submit",
    summary="Submit an appeal",
)
def submit(
    request: HttpRequest,
    payload: AppealIn,
    response: HttpResponse,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key", max_length=MAX_KEY),
) -> Status[dict[str, object]]:
    """Store the appeal and answer 201 with its tracking code and passphrase (shown once). A retry with the same
    ``Idempotency-Key`` and body answers 200 with the same tracking code and no passphrase. Submissions per
    client are limited as on the web form; over the limit: 429 with ``Retry-After``, nothing stored. Input
    refused before the service is called does not use up the limit."""
    # Unknown codes are refused first (from the process memos, no query), so that they use up nothing; then one
    # round trip to the counters both checks and counts.
    area, category = _area(payload.area_code), _category(payload.category_code)
    if (limited := intake_limited(request, increment=True)) is not None:
        raise RateLimited(limited)
    contact = payload.contact
    result = appeal_submit(
        actor=None,
        kind=payload.kind,
        channel=Channel.API,
        title=payload.title,
        description=payload.description,
        location_text=payload.location_text,
        area=area,
        category=category,
        contact=ContactInput(**contact.model_dump()) if contact is not None else None,
        anonymous=payload.anonymous,
        contact_confidential=payload.contact_confidential,
        passphrase=payload.passphrase,
        latitude=payload.latitude,
        longitude=payload.longitude,
        publish_consent=payload.publish_consent,
        idempotency_key=_scoped_key(idempotency_key, payload),
    )
    appeal = result.appeal
    status_url = request.build_absolute_uri(reverse("api-1:appeal_track", args=[appeal.tracking_code]))
    response["Location"] = status_url
    response["Cache-Control"] = "no-store"  # the passphrase must not stay in any cache
    body: dict[str, object] = {
        "tracking_code": appeal.tracking_code,
        "passphrase": result.passphrase or None,
        "status_url": status_url,
        "state": appeal.state,
    }
    return Status(CREATED if result.created else OK, body)


@router.get(
    "/appeals/{code}",
    response={OK: TrackingOut, 404: ErrorsOut},
    url_name="appeal_track",
    operation_id="appeal_track",
    summary="Follow an appeal",
)
def track(request: HttpRequest, code: str) -> dict[str, object]:
    """What the public tracking page shows: the stage, the responsible office, the deadline, the outcome, the
    reply with personal numbers masked, and the public steps. Never who raised it, their contact or notes."""
    appeal = Appeal.objects.select_related("lead_unit").filter(tracking_code=code.strip().upper()).first()
    if appeal is None:
        raise NotFound(_("No appeal has this tracking code. Check it and try again."), field="code")
    return {
        "tracking_code": appeal.tracking_code,
        "kind": appeal.kind,
        "kind_label": appeal.get_kind_display(),
        "state": appeal.state,
        "state_label": appeal.get_state_display(),
        "state_group": appeal.state_group,
        "office": appeal.lead_unit.label if appeal.lead_unit else None,
        "due_at": appeal.due_at if appeal.state_group == Group.OPEN else None,
        "outcome": appeal.outcome or None,
        "outcome_label": appeal.get_outcome_display() if appeal.outcome else None,
        "reply": mask_personal_data(appeal.reply_text) if appeal.reply_text else None,
        "timeline": [
            {"when": item["when"], "title": str(item["title"]), "body": item["body"]}
            for item in public_timeline(appeal)
        ],
    }
