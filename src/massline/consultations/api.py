"""The public operations of consultations in the JSON API (``/api/v1/consultations/…``): list and read matters,
comment, co-sign a proposal, and vote on the result. Thin adapters: parse, call one service, render; errors in
the API's one shape. No session is used, so no CSRF token is needed."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from decimal import Decimal
from typing import Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Header, Query, Router, Schema, Status
from pydantic import BaseModel

from massline.appeals.api.errors import RateLimited
from massline.appeals.api.schemas import STRICT_INPUT, ErrorsOut
from massline.appeals.web.limits import intake_limited
from massline.core.errors import NotFound

from . import selectors, services
from .models import Comment, Matter, Satisfaction, Stance, Step
from .transitions import blockers

router = Router(tags=["consultations"])
OK, CREATED = 200, 201
PAGE = 50


class StepOut(Schema):
    step: str
    label: str
    state: str


class MatterOut(Schema):
    code: str
    title: str
    kind: str
    kind_label: str
    area: str
    owner_unit: str
    summary: str
    budget: Decimal | None
    proposer_kind: str
    step: str
    step_label: str
    outcome: str
    steps: list[StepOut]
    signatures: int
    signatures_needed: int
    comments: int
    comments_answered: int
    waiting_for: list[str]
    opened_at: dt.datetime
    closed_at: dt.datetime | None


class MatterListOut(Schema):
    items: list[MatterOut]
    next: str | None


class CommentIn(BaseModel):
    model_config = STRICT_INPUT

    stance: str = Field(..., json_schema_extra={"enum": list(Stance.values)})
    text: str = Field(..., min_length=1, max_length=services.participation.MAX_COMMENT)
    author_name: str = Field("", max_length=60)


class CommentOut(Schema):
    id: int
    stance: str
    text: str
    author_name: str
    answer: str
    answer_text: str
    created_at: dt.datetime
    answered_at: dt.datetime | None


class ResidentIn(BaseModel):
    model_config = STRICT_INPUT

    name: str = Field(..., min_length=1, max_length=100)
    id_number: str = Field(..., min_length=1, max_length=30, description="Checked against the register, never stored.")


class SatisfactionIn(ResidentIn):
    choice: str = Field(..., json_schema_extra={"enum": list(Satisfaction.values)})


class DoneOut(Schema):
    ok: bool


def _matter(code: str) -> Matter:
    matter = selectors.public_matter(code)
    if matter is None:
        raise NotFound(_("No matter has this reference."), field="code")
    return matter


def _comment(comment: Comment) -> dict[str, object]:
    return {
        "id": comment.pk,
        "stance": comment.stance,
        "text": comment.text,
        "author_name": comment.author_name,
        "answer": comment.answer_kind,
        "answer_text": comment.answer_text,
        "created_at": comment.created_at,
        "answered_at": comment.answered_at,
    }


def _render(matter: Matter) -> dict[str, object]:
    have, needed = selectors.signature_progress(matter)
    comments = list(matter.comments.values_list("answered_at", flat=True))
    return {
        "code": matter.code,
        "title": matter.title,
        "kind": matter.kind.code,
        "kind_label": matter.kind.label,
        "area": matter.area.label,
        "owner_unit": matter.owner_unit.label,
        "summary": matter.summary,
        "budget": matter.budget,
        "proposer_kind": matter.proposer_kind,
        "step": matter.step,
        "step_label": str(Step(matter.step).label),
        "outcome": matter.outcome,
        "steps": [{"step": s.code, "label": s.label, "state": s.state} for s in selectors.steps_of(matter)],
        "signatures": have,
        "signatures_needed": needed,
        "comments": len(comments),
        "comments_answered": sum(1 for answered in comments if answered is not None),
        "waiting_for": blockers(matter) if matter.is_open else [],
        "opened_at": matter.created_at,
        "closed_at": matter.closed_at,
    }


@router.get(
    "/consultations/matters",
    response={OK: MatterListOut, 400: ErrorsOut, 422: ErrorsOut},
    url_name="matter_list",
    operation_id="matter_list",
    summary="List matters",
)
def matter_list(
    request: HttpRequest,
    state: Literal["open", "closed"] = "open",
    after: str = Query("", max_length=20, description="The `next` value of the previous page."),
) -> dict[str, object]:
    """Matters under way (``state=open``) or decided and closed, newest first, 50 a page by their reference."""
    matters = selectors.public_matters(state="closed" if state == "closed" else "open").order_by("-code")
    if after:
        matters = matters.filter(code__lt=after)
    page = list(matters[: PAGE + 1])
    return {
        "items": [_render(matter) for matter in page[:PAGE]],
        "next": page[PAGE - 1].code if len(page) > PAGE else None,
    }


@router.get(
    "/consultations/matters/{code}",
    response={OK: MatterOut, 404: ErrorsOut},
    url_name="matter_read",
    operation_id="matter_read",
    summary="Read a matter",
)
def matter_read(request: HttpRequest, code: str) -> dict[str, object]:
    """A matter as its public page shows it, with what it waits for before its next step."""
    return _render(_matter(code))


@router.get(
    "/consultations/matters/{code}/comments",
    response={OK: list[CommentOut], 404: ErrorsOut},
    url_name="matter_comments",
    operation_id="matter_comments",
    summary="Comments and their answers",
)
def comments(request: HttpRequest, code: str) -> list[dict[str, object]]:
    return [_comment(comment) for comment in _matter(code).comments.all()]


@router.post(
    "/consultations/matters/{code}/comments",
    response={CREATED: CommentOut, 400: ErrorsOut, 404: ErrorsOut, 422: ErrorsOut, 429: ErrorsOut},
    url_name="matter_comment",
    operation_id="matter_comment",
    summary="Comment on a matter",
)
def comment(
    request: HttpRequest,
    code: str,
    payload: CommentIn,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key", max_length=80),
) -> Status[dict[str, object]]:
    """A public comment during the comment period. A retry with the same ``Idempotency-Key`` and body returns
    the first comment. Comments per client are limited as appeals are (429 with ``Retry-After``)."""
    matter = _matter(code)
    if (limited := intake_limited(request, increment=True)) is not None:
        raise RateLimited(limited)
    key = ""
    if idempotency_key:
        body = json.dumps([idempotency_key, payload.model_dump()], sort_keys=True, ensure_ascii=False)
        key = hashlib.sha256(body.encode()).hexdigest()[:64]
    created = services.comment_submit(matter=matter, idempotency_key=key, **payload.model_dump())
    return Status(CREATED, _comment(created))


@router.post(
    "/consultations/matters/{code}/signatures",
    response={CREATED: DoneOut, 400: ErrorsOut, 404: ErrorsOut, 422: ErrorsOut, 429: ErrorsOut},
    url_name="matter_sign",
    operation_id="matter_sign",
    summary="Co-sign a proposal",
)
def sign(request: HttpRequest, code: str, payload: ResidentIn) -> Status[dict[str, object]]:
    """A resident on the register co-signs a villagers' or representatives' proposal, once."""
    matter = _matter(code)
    if (limited := intake_limited(request, increment=True)) is not None:
        raise RateLimited(limited)
    services.matter_sign(matter=matter, **payload.model_dump())
    return Status(CREATED, {"ok": True})


@router.post(
    "/consultations/matters/{code}/satisfaction",
    response={CREATED: DoneOut, 400: ErrorsOut, 404: ErrorsOut, 422: ErrorsOut, 429: ErrorsOut},
    url_name="matter_satisfaction",
    operation_id="matter_satisfaction",
    summary="Vote on the result",
)
def satisfaction(request: HttpRequest, code: str, payload: SatisfactionIn) -> Status[dict[str, object]]:
    """An adult resident on the register says how satisfied they are with the result, once."""
    matter = _matter(code)
    if (limited := intake_limited(request, increment=True)) is not None:
        raise RateLimited(limited)
    services.satisfaction_vote(matter=matter, **payload.model_dump())
    return Status(CREATED, {"ok": True})
