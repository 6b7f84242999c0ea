"""The consultations operations of the JSON API: what a resident's app or a partner would call."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from massline.consultations import services
from massline.consultations.models import Comment, MatterKind

from .conftest import Village

pytestmark = pytest.mark.django_db


@pytest.fixture
def matter(village: Village) -> Any:
    return services.matter_create(
        actor=village.clerk,
        kind=MatterKind.objects.get(code="village-matter"),
        owner_unit=village.committee,
        area=village.area,
        title="安装太阳能路灯",
        summary="主干道安装60盏太阳能路灯。",
        proposer_kind="villagers",
    )


def api() -> Client:
    return Client(HTTP_ACCEPT_LANGUAGE="en")


def test_a_matter_reads_as_its_page_shows_it(matter: Any, village: Village) -> None:
    listed = api().get("/api/v1/consultations/matters").json()
    assert [item["code"] for item in listed["items"]] == [matter.code] and listed["next"] is None
    body = api().get(f"/api/v1/consultations/matters/{matter.code}").json()
    assert body["step"] == "proposal" and body["signatures_needed"] == 2
    assert body["waiting_for"] == ["The proposal has 0 co-signatures of the 2 it needs."]
    assert [step["state"] for step in body["steps"]][:2] == ["current", "todo"]
    missing = api().get("/api/v1/consultations/matters/M1999-0001")
    assert missing.status_code == 404 and missing.json()["errors"][0]["field"] == "code"


def test_co_signing_through_the_api_checks_the_register(matter: Any, village: Village) -> None:
    name, number = village.person(3)
    url = f"/api/v1/consultations/matters/{matter.code}/signatures"
    wrong = api().post(url, {"name": name, "id_number": "1"}, content_type="application/json")
    assert wrong.status_code == 422
    assert wrong.json()["errors"][0] == {
        "field": "id_number",
        "code": "not_on_register",
        "message": "No resident of Lijiawan Village with this name and identity number is on the register.",
    }
    assert api().post(url, {"name": name, "id_number": number}, content_type="application/json").status_code == 201
    again = api().post(url, {"name": name, "id_number": number}, content_type="application/json")
    assert again.status_code == 422 and again.json()["errors"][0]["code"] == "already_signed"
    odd = api().post(url, {"name": name, "id_number": 42}, content_type="application/json")
    assert odd.status_code in (400, 422) and odd.json()["errors"]


def test_comments_are_idempotent_and_refused_outside_the_period(matter: Any, village: Village) -> None:
    url = f"/api/v1/consultations/matters/{matter.code}/comments"
    early = api().post(url, {"stance": "support", "text": "支持"}, content_type="application/json")
    assert early.status_code == 422 and early.json()["errors"][0]["code"] == "wrong_step"
    services.matter_sign(matter=matter, name=village.person(1)[0], id_number=village.person(1)[1])
    services.matter_sign(matter=matter, name=village.person(2)[0], id_number=village.person(2)[1])
    services.matter_advance(actor=village.clerk, matter=matter)
    headers = {"HTTP_IDEMPOTENCY_KEY": "phone-42"}
    first = api().post(url, {"stance": "oppose", "text": "太贵"}, content_type="application/json", **headers)
    retry = api().post(url, {"stance": "oppose", "text": "太贵"}, content_type="application/json", **headers)
    assert first.status_code == retry.status_code == 201 and first.json()["id"] == retry.json()["id"]
    assert Comment.objects.count() == 1
    listed = api().get(url).json()
    assert listed[0]["text"] == "太贵" and listed[0]["answer"] == ""
    vote = api().post(
        f"/api/v1/consultations/matters/{matter.code}/satisfaction",
        {"name": "x", "id_number": "y", "choice": "satisfied"},
        content_type="application/json",
    )
    assert vote.status_code == 422 and vote.json()["errors"][0]["code"] == "wrong_step"


def test_the_operations_are_in_the_schema() -> None:
    paths = api().get("/api/v1/openapi.json").json()["paths"]
    assert {
        "/api/v1/consultations/matters",
        "/api/v1/consultations/matters/{code}",
        "/api/v1/consultations/matters/{code}/comments",
        "/api/v1/consultations/matters/{code}/signatures",
        "/api/v1/consultations/matters/{code}/satisfaction",
    } <= set(paths)
