"""The staff side of the API: the appeals a person may work on, one appeal as staff see it, and a unit's steps
(accept, return, contact, note, ask for more time, reply), for apps acting for a member of staff (a personal key, ``Authorization: Bearer ml_…``) or the
web (the signed-in session, with its CSRF token).

Thin adapters (STYLE.md §1, §7): the selectors decide what the person sees — the same ``appeal_list`` as the
workspace, so a unit never sees the citizen of a confidential appeal and what is outside the person's scope
answers 404, as if it did not exist — and the services decide what they may do. Lists are keyset-paginated;
lists and appeals carry an ``ETag`` and answer 304 to ``If-None-Match``."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.security import APIKeyHeader, django_auth

from massline.accounts.services import api_key_check, api_key_used
from massline.core.errors import NotFound, ValidationFailed
from massline.core.pagination import keyset_page

from .. import selectors
from ..choices import Outcome
from ..models import Appeal
from ..services import (
    appeal_contact,
    appeal_note,
    appeal_reply,
    assignment_accept,
    assignment_object,
    extension_request,
)
from .schemas import ErrorsOut

router = Router(tags=["staff"])

PAGE = 50
MAX_PAGE = 200


class BearerKey(APIKeyHeader):
    """``Authorization: Bearer ml_…``: a personal key acts as its member of staff. Reading needs ``api:read``,
    a step ``api:write``."""

    param_name = "Authorization"

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        if not key or not key.startswith("Bearer "):
            return None
        scope = "api:read" if request.method in ("GET", "HEAD") else "api:write"
        found = api_key_check(key.removeprefix("Bearer ").strip(), scope=scope)
        if found is None or found.user is None or not found.user.is_active:
            return None
        if request.method not in ("GET", "HEAD"):
            api_key_used(key=found)
        return found.user


AUTH = [BearerKey(), django_auth]


class AppealItemOut(Schema):
    tracking_code: str
    title: str
    kind: str
    state: str
    state_label: str
    lead_unit: str | None
    area: str | None
    category: str | None
    received_at: dt.datetime
    due_at: dt.datetime | None


class AppealPageOut(Schema):
    items: list[AppealItemOut]
    next: str | None = Field(None, description="Pass as `after` for the next page; absent on the last page.")


class ContactOut(Schema):
    name: str
    phone: str
    email: str
    address: str


class AppealWorkOut(AppealItemOut):
    description: str
    location_text: str
    outcome: str | None
    reply: str | None
    contact: ContactOut | None = Field(None, description="Only for those who may see the citizen.")


class ReplyIn(Schema):
    outcome: str = Field(..., json_schema_extra={"enum": list(Outcome.values)})
    text: str = Field(..., min_length=1, max_length=10_000)


def _person(request: HttpRequest) -> Any:
    """The member of staff the request acts for (set by ``AUTH``)."""
    return request.auth  # type: ignore[attr-defined]


def _item(appeal: Appeal) -> dict[str, Any]:
    return {
        "tracking_code": appeal.tracking_code,
        "title": appeal.title,
        "kind": appeal.kind,
        "state": appeal.state,
        "state_label": appeal.get_state_display(),
        "lead_unit": appeal.lead_unit.label if appeal.lead_unit else None,
        "area": appeal.area.label if appeal.area else None,
        "category": appeal.category.label if appeal.category else None,
        "received_at": appeal.received_at,
        "due_at": appeal.due_at,
    }


def _etag(*parts: Any) -> str:
    return '"' + hashlib.sha256(repr(parts).encode()).hexdigest()[:32] + '"'


def _not_modified(request: HttpRequest, response: HttpResponse, tag: str) -> bool:
    response["ETag"] = tag
    return tag in [value.strip() for value in request.headers.get("If-None-Match", "").split(",")]


@router.get(
    "/work/appeals",
    auth=AUTH,
    response={200: AppealPageOut, 304: None, 401: ErrorsOut},
    url_name="work_appeals",
    operation_id="work_appeals",
    summary="The appeals I may work on",
)
def work_list(
    request: HttpRequest,
    response: HttpResponse,
    state: str = Query("", max_length=30),
    after: str = Query("", max_length=200, description="The `next` of the previous page."),
    size: int = Query(PAGE, ge=1, le=MAX_PAGE),
) -> Any:
    """Newest first, within the person's scope (the workspace's own selector); ``state`` narrows it."""
    appeals = selectors.appeal_list(user=_person(request)).select_related("lead_unit", "area", "category")
    if state:
        appeals = appeals.filter(state=state)
    page = keyset_page(appeals.order_by("-received_at", "-pk"), order="-received_at", cursor=after or None, size=size)
    tag = _etag([(a.pk, a.updated_at) for a in page.items], page.next_cursor)
    if _not_modified(request, response, tag):
        return Status(304, None)
    return {"items": [_item(appeal) for appeal in page.items], "next": page.next_cursor}


def _visible(request: HttpRequest, code: str) -> Appeal:
    appeal = selectors.appeal_for_staff(user=_person(request), code=code.strip().upper())
    if appeal is None:
        raise NotFound(_("No appeal with this tracking code is yours to see."), field="code")
    return appeal


def _work(request: HttpRequest, appeal: Appeal) -> dict[str, Any]:
    contact = selectors.contact_for(user=_person(request), appeal=appeal)
    return {
        **_item(appeal),
        "description": appeal.description,
        "location_text": appeal.location_text,
        "outcome": appeal.outcome or None,
        "reply": appeal.reply_text or None,
        "contact": (
            {"name": contact.name, "phone": contact.phone, "email": contact.email, "address": contact.address}
            if contact is not None
            else None
        ),
    }


@router.get(
    "/work/appeals/{code}",
    auth=AUTH,
    response={200: AppealWorkOut, 304: None, 401: ErrorsOut, 404: ErrorsOut},
    url_name="work_appeal",
    operation_id="work_appeal",
    summary="One appeal as staff see it",
)
def work_detail(request: HttpRequest, response: HttpResponse, code: str) -> Any:
    appeal = _visible(request, code)
    if _not_modified(request, response, _etag(appeal.pk, appeal.updated_at, appeal.state)):
        return Status(304, None)
    return _work(request, appeal)


@router.post(
    "/work/appeals/{code}/accept",
    auth=AUTH,
    response={200: AppealWorkOut, 401: ErrorsOut, 403: ErrorsOut, 404: ErrorsOut, 409: ErrorsOut},
    url_name="work_accept",
    operation_id="work_accept",
    summary="Accept an appeal for my unit",
)
def work_accept(request: HttpRequest, code: str) -> Any:
    appeal = assignment_accept(actor=_person(request), appeal=_visible(request, code))
    return _work(request, appeal)


@router.post(
    "/work/appeals/{code}/reply",
    auth=AUTH,
    response={200: AppealWorkOut, 401: ErrorsOut, 403: ErrorsOut, 404: ErrorsOut, 409: ErrorsOut, 422: ErrorsOut},
    url_name="work_reply",
    operation_id="work_reply",
    summary="Reply to an appeal",
)
def work_reply(request: HttpRequest, code: str, payload: ReplyIn) -> Any:
    if payload.outcome not in Outcome.values:
        raise ValidationFailed(_("Choose the outcome."), field="outcome")
    appeal = appeal_reply(
        actor=_person(request), appeal=_visible(request, code), outcome=payload.outcome, text=payload.text
    )
    return _work(request, appeal)


class TextIn(Schema):
    text: str = Field(..., min_length=1, max_length=4000)


class ExtensionIn(Schema):
    days: int = Field(..., ge=1, le=30)
    reason: str = Field(..., min_length=1, max_length=4000)


STEP_ERRORS = {401: ErrorsOut, 403: ErrorsOut, 404: ErrorsOut, 409: ErrorsOut, 422: ErrorsOut}


@router.post(
    "/work/appeals/{code}/return",
    auth=AUTH,
    response={200: AppealWorkOut, **STEP_ERRORS},
    url_name="work_return",
    operation_id="work_return",
    summary="Return an appeal that is not my unit's, with the reason",
)
def work_return(request: HttpRequest, code: str, payload: TextIn) -> Any:
    appeal = assignment_object(actor=_person(request), appeal=_visible(request, code), reason=payload.text)
    return _work(request, appeal)


@router.post(
    "/work/appeals/{code}/contact",
    auth=AUTH,
    response={200: AppealWorkOut, **STEP_ERRORS},
    url_name="work_contact",
    operation_id="work_contact",
    summary="Record contacting the citizen",
)
def work_contact(request: HttpRequest, code: str, payload: TextIn) -> Any:
    appeal = appeal_contact(actor=_person(request), appeal=_visible(request, code), summary=payload.text)
    return _work(request, appeal)


@router.post(
    "/work/appeals/{code}/note",
    auth=AUTH,
    response={200: AppealWorkOut, **STEP_ERRORS},
    url_name="work_note",
    operation_id="work_note",
    summary="Add an internal note",
)
def work_note(request: HttpRequest, code: str, payload: TextIn) -> Any:
    appeal = appeal_note(actor=_person(request), appeal=_visible(request, code), text=payload.text)
    return _work(request, appeal)


@router.post(
    "/work/appeals/{code}/extension",
    auth=AUTH,
    response={200: AppealWorkOut, **STEP_ERRORS},
    url_name="work_extension",
    operation_id="work_extension",
    summary="Ask for more time, with the reason",
)
def work_extension(request: HttpRequest, code: str, payload: ExtensionIn) -> Any:
    appeal = _visible(request, code)
    extension_request(actor=_person(request), appeal=appeal, days=payload.days, reason=payload.reason)
    appeal.refresh_from_db()
    return _work(request, appeal)
