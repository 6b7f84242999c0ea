"""The wire format of the appeals API: what a client sends and what it gets back.

Limits come from the service and the models, so the schema documents them and stops oversized input before it
reaches the database; the rules on values (type of request, title, map point, passphrase) stay in
``appeal_submit``, which answers with its own translated messages."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from ninja import Field, Schema
from pydantic import BaseModel, ConfigDict, field_validator
from pydantic_core import PydanticCustomError

from massline.org.models import Area, Category

from ..choices import AppealKind
from ..models import Appeal, AppealContact
from ..services.intake import MAX_DESCRIPTION, MIN_PASSPHRASE

MAX_PASSPHRASE = 100  # as on the web form
# Input models are plain pydantic models: ninja's ``Schema`` also reads attributes of any object, which would take
# a string for an empty contact. A misspelt field is an error rather than silently dropped.
STRICT_INPUT = ConfigDict(extra="forbid", strict=True)  # 0, 1 or "yes" are not read as a choice


def _max_length(model: type[Appeal | AppealContact | Area | Category], field: str) -> int:
    return int(getattr(model._meta.get_field(field), "max_length", None) or 0)


class ContactIn(BaseModel):
    model_config = STRICT_INPUT

    name: str = Field("", max_length=_max_length(AppealContact, "name"))
    phone: str = Field("", max_length=_max_length(AppealContact, "phone"))
    email: str = Field("", max_length=_max_length(AppealContact, "email"))
    address: str = Field("", max_length=_max_length(AppealContact, "address"))

    @field_validator("email")
    @classmethod
    def email_is_an_address(cls, value: str) -> str:
        if value:
            try:
                validate_email(value)
            except DjangoValidationError:
                raise PydanticCustomError("invalid_email", "not an e-mail address") from None
        return value


class AppealIn(BaseModel):
    model_config = STRICT_INPUT

    kind: str = Field(..., json_schema_extra={"enum": list(AppealKind.values)})
    title: str = Field(..., min_length=1, max_length=_max_length(Appeal, "title"))
    description: str = Field(..., min_length=1, max_length=MAX_DESCRIPTION)
    location_text: str = Field("", max_length=_max_length(Appeal, "location_text"))
    area_code: str | None = Field(
        None, max_length=_max_length(Area, "code"), description="Code of the place (org Area.code)."
    )
    category_code: str | None = Field(
        None, max_length=_max_length(Category, "code"), description="Code of the topic (org Category.code)."
    )
    latitude: float | None = Field(None, ge=-90, le=90, description="WGS 84; both coordinates or neither.")
    longitude: float | None = Field(None, ge=-180, le=180)
    contact: ContactIn | None = None
    anonymous: bool = False
    contact_confidential: bool = False
    publish_consent: bool = False
    passphrase: str = Field(
        "",
        max_length=MAX_PASSPHRASE,
        description=f"At least {MIN_PASSPHRASE} characters; left empty, one is made and returned once.",
    )


class SubmittedOut(Schema):
    tracking_code: str
    passphrase: str | None = Field(None, description="Only in the answer that created the appeal; shown once.")
    status_url: str
    state: str


class TimelineItemOut(Schema):
    when: dt.datetime
    title: str
    body: str


class TrackingOut(Schema):
    tracking_code: str
    kind: str
    kind_label: str
    state: str
    state_label: str
    state_group: str
    office: str | None
    due_at: dt.datetime | None
    outcome: str | None
    outcome_label: str | None
    reply: str | None
    timeline: list[TimelineItemOut]


class ErrorOut(Schema):
    field: str | None
    code: str
    message: str


class ErrorsOut(Schema):
    errors: list[ErrorOut]
