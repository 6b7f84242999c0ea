"""The JSON API (/api/v1/): public submission with an idempotency key, tracking without personal data,
machine-readable errors in the request's language, the intake rate limit, and the OpenAPI schema."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.core.cache import caches
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from massline.appeals.choices import Channel, Outcome
from massline.appeals.models import Appeal, AppealContact
from massline.appeals.services import appeal_reply, appeal_route, assignment_accept

pytestmark = pytest.mark.django_db

SUBMIT = "/api/v1/appeals"
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(autouse=True)
def fresh_limits() -> None:
    caches["ratelimit"].clear()


def body(city: Any, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "kind": "complaint",
        "title": "和平路有个大坑",
        "description": "和平路与东风路口有一个很深的坑，我的电话13800000000。",
        "location_text": "和平路与东风路口",
        "area_code": city.street_a.code,
        "category_code": city.potholes.code,
        "latitude": 39.9074123,
        "longitude": 116.3972,
        "contact": {"name": "王秀英", "phone": "13800000000", "email": "wang@example.com", "address": "和平路3号"},
        "anonymous": False,
        "contact_confidential": True,
        "publish_consent": True,
    }
    data.update(changes)
    return data


def post(client: Client, data: Any, *, key: str | None = None, language: str = "en", raw: bool = False) -> Any:
    headers = {"Accept-Language": language}
    if key is not None:
        headers["Idempotency-Key"] = key
    content = data if raw else json.dumps(data)
    return client.post(SUBMIT, content, content_type="application/json", headers=headers)


def test_a_submission_is_stored_and_answered_with_its_tracking_code(city) -> None:  # type: ignore[no-untyped-def]
    client = Client(enforce_csrf_checks=True)  # no session, no token: the public API needs none
    response = post(client, body(city), key="a1b2c3")
    assert response.status_code == 201, response.content
    answer = response.json()
    appeal = Appeal.objects.get(tracking_code=answer["tracking_code"])
    assert re.fullmatch(r"\d{4}-[2-9A-Z]{4}-[2-9A-Z]{4}", answer["tracking_code"])
    assert len(answer["passphrase"]) >= 8 and answer["state"] == appeal.state
    assert answer["status_url"].endswith(f"/api/v1/appeals/{appeal.tracking_code}")
    assert response["Location"] == answer["status_url"] and response["Cache-Control"] == "no-store"
    assert appeal.channel == Channel.API and appeal.area == city.street_a and appeal.category == city.potholes
    assert appeal.contact_confidential and appeal.publish_consent and appeal.submitted_by is None
    assert str(appeal.latitude) == "39.907412"
    assert AppealContact.objects.get(appeal=appeal).phone == "13800000000"


def test_the_same_idempotency_key_answers_the_first_appeal(client, city) -> None:  # type: ignore[no-untyped-def]
    first = post(client, body(city), key="retry-7f3a")
    again = post(client, body(city), key="retry-7f3a")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["tracking_code"] == first.json()["tracking_code"]
    assert "passphrase" not in again.json()
    assert Appeal.objects.count() == 1
    # Another client that happens to use the same key with its own appeal is not taken for a retry.
    other = post(client, body(city, title="另一个问题"), key="retry-7f3a")
    assert other.status_code == 201 and Appeal.objects.count() == 2


def test_without_a_key_every_post_is_a_new_appeal(client, city) -> None:  # type: ignore[no-untyped-def]
    assert post(client, body(city)).status_code == 201
    assert post(client, body(city)).status_code == 201
    assert Appeal.objects.count() == 2


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"description": "坑" * 4001}, "description", "too_long"),
        ({"latitude": 100.0, "longitude": 116.4}, "latitude", "invalid"),
        ({"latitude": "north", "longitude": 116.4}, "latitude", "invalid_type"),
        ({"latitude": 39.9, "longitude": None}, "latitude", "invalid"),
        ({"area_code": "NOWHERE"}, "area_code", "unknown"),
        ({"category_code": "C99"}, "category_code", "unknown"),
        ({"title": 123}, "title", "invalid_type"),
        ({"title": "   "}, "title", "invalid"),
        ({"anonymous": "perhaps"}, "anonymous", "invalid_type"),
        ({"contact": "13800000000"}, "contact", "invalid_type"),
        ({"contact": {"email": "not-an-address"}}, "contact.email", "invalid"),
        ({"contact": {"phone": "1" * 31}}, "contact.phone", "too_long"),
        ({"kind": "wish"}, "kind", "invalid"),
        ({"area": "T0101001"}, "area", "unknown_field"),
        ({"passphrase": "short"}, "passphrase", "invalid"),
    ],
)
def test_bad_input_is_answered_with_the_field_and_a_code(client, city, changes, field, code) -> None:  # type: ignore[no-untyped-def]
    response = post(client, body(city, **changes))
    assert response.status_code == 422 and response["Content-Type"] == "application/json; charset=utf-8"
    errors = response.json()["errors"]
    assert {"field": field, "code": code} in [{"field": e["field"], "code": e["code"]} for e in errors]
    assert all(e["message"] for e in errors)
    assert Appeal.objects.count() == 0


def test_a_missing_field_is_named(client, city) -> None:  # type: ignore[no-untyped-def]
    data = body(city)
    del data["title"]
    response = post(client, data)
    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "title", "code": "required", "message": "This field is required."}]


def test_an_oversized_idempotency_key_is_refused(client, city) -> None:  # type: ignore[no-untyped-def]
    response = post(client, body(city), key="k" * 101)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "Idempotency-Key"
    assert Appeal.objects.count() == 0


@pytest.mark.parametrize("content", ['{"kind": "complaint", "title": ', "\xff\xfe", "[1, 2]", '"text"'])
def test_a_body_that_is_not_a_json_object_is_refused(client, city, content) -> None:  # type: ignore[no-untyped-def]
    response = post(client, content, raw=True)
    assert response.status_code in {400, 422}
    errors = response.json()["errors"]
    assert errors and errors[0]["code"] in {"invalid_json", "invalid_type"}
    assert Appeal.objects.count() == 0


def test_invalid_json_is_a_400(client) -> None:  # type: ignore[no-untyped-def]
    response = post(client, "{not json", raw=True)
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"field": None, "code": "invalid_json", "message": "The request body is not valid JSON."}
    ]


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000)
def test_an_oversized_body_is_a_json_413(client, city) -> None:  # type: ignore[no-untyped-def]
    response = post(client, body(city, description="坑" * 900))
    assert response.status_code == 413 and response.json()["errors"][0]["code"] == "too_large"


def test_messages_follow_the_request_language(client, city) -> None:  # type: ignore[no-untyped-def]
    chinese = post(client, body(city, title=" "), language="zh-hans").json()["errors"][0]["message"]
    english = post(client, body(city, title=" "), language="en").json()["errors"][0]["message"]
    assert english == "Give your request a short title."
    with translation.override("zh-hans"):
        assert chinese == gettext("Give your request a short title.")
    assert CJK.search(chinese) and chinese != english
    # pydantic's own errors are translated too.
    missing = body(city)
    del missing["description"]
    chinese_required = post(client, missing, language="zh-hans").json()["errors"][0]["message"]
    assert CJK.search(chinese_required)


def replied_appeal(city) -> Appeal:  # type: ignore[no-untyped-def]
    created = post(Client(), body(city, contact={"name": "王秀英", "phone": "13911112222"}), key="reply-case")
    appeal = Appeal.objects.get(tracking_code=created.json()["tracking_code"])
    appeal.refresh_from_db()
    if appeal.lead_unit is None:  # tasks run inline in the tests, so it has usually been routed already
        appeal = appeal_route(appeal=appeal)
    appeal = assignment_accept(actor=city.handler, appeal=appeal)
    return appeal_reply(
        actor=city.handler,
        appeal=appeal,
        outcome=Outcome.SOLVED,
        text="已安排维修。如有问题请联系王女士13911112222，或发邮件至 fix@example.com。",
    )


def test_tracking_shows_the_public_view_without_personal_data(client, city) -> None:  # type: ignore[no-untyped-def]
    appeal = replied_appeal(city)
    response = client.get(f"/api/v1/appeals/{appeal.tracking_code.lower()}", headers={"Accept-Language": "en"})
    assert response.status_code == 200
    answer = response.json()
    assert answer["tracking_code"] == appeal.tracking_code
    assert (answer["state"], answer["state_group"], answer["outcome"]) == ("replied", "resolved", "solved")
    assert answer["office"] == city.urban_bureau.name_en and answer["kind"] == "complaint"
    assert "[手机号]" in answer["reply"] and "[邮箱]" in answer["reply"]
    assert [item["title"] for item in answer["timeline"]][0] and all("when" in item for item in answer["timeline"])
    text = response.content.decode()
    for personal in ("13911112222", "13800000000", "王秀英", "fix@example.com", "wang@example.com", "contact"):
        assert personal not in text


def test_an_unknown_tracking_code_is_a_json_404(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/api/v1/appeals/2601-AAAA-BBBB", headers={"Accept-Language": "en"})
    assert response.status_code == 404
    assert response.json()["errors"][0]["code"] == "not_found"
    assert response.json()["errors"][0]["field"] == "code"


def test_submissions_are_rate_limited(client, city, settings) -> None:  # type: ignore[no-untyped-def]
    settings.MASSLINE_INTAKE_RATE = "2/h"
    caches["ratelimit"].clear()
    # Input refused before the service is called (malformed, unknown place) does not use up the limit.
    assert post(client, body(city, description="坑" * 4001)).status_code == 422
    assert post(client, body(city, area_code="NOWHERE")).status_code == 422
    for n in range(2):
        assert post(client, body(city), key=f"limit-{n}").status_code == 201
    over = post(client, body(city), key="limit-9")
    assert over.status_code == 429 and int(over["Retry-After"]) > 0
    assert over.json()["errors"][0]["code"] == "rate_limited"
    assert Appeal.objects.count() == 2
    # Another address is not affected.
    other = client.post(SUBMIT, json.dumps(body(city)), content_type="application/json", REMOTE_ADDR="198.51.100.2")
    assert other.status_code == 201


def test_the_openapi_schema_lists_every_operation(client) -> None:  # type: ignore[no-untyped-def]
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["info"]["title"] == "massline API" and schema["info"]["version"] == "1"
    operations = {op["operationId"] for path in schema["paths"].values() for op in path.values()}
    assert operations == {
        "appeal_submit", "appeal_track", "work_appeals", "work_appeal", "work_accept", "work_return",
        "work_contact", "work_note", "work_extension", "work_reply",
        "matter_list", "matter_read", "matter_comments", "matter_comment", "matter_sign", "matter_satisfaction",
    }  # fmt: skip
    # The staff operations say how they are authenticated.
    assert schema["paths"]["/api/v1/work/appeals"]["get"]["security"]


def test_the_docs_page_is_served_by_the_app_without_inline_scripts(client) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/api/v1/docs")
    html = page.content.decode()
    assert page.status_code == 200 and "script-src 'self'" in page["Content-Security-Policy"]
    assert "cdn" not in html.lower()
    sources = re.findall(r'<script src="([^"]+)"', html)
    assert len(sources) == 2 and all(src.startswith("/api/v1/docs/assets/") for src in sources)
    assert re.findall(r"<script(?![^>]*\b(src|type=\"application/json\"))", html) == []
    for src in sources:
        asset = client.get(src)
        assert asset.status_code == 200 and "javascript" in asset["Content-Type"]
    assert client.get("/api/v1/docs/assets/..%2Fsettings.py").status_code == 404
    assert reverse("api-1:openapi-json") == "/api/v1/openapi.json"
