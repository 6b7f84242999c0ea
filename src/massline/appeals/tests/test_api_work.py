"""The staff side of the API, as an app acting for a handler sees it: a personal key, the appeals within the
person's scope (keyset pages, ETags), one appeal with the citizen only when the person may see them, and the
first steps — refused with the right status when they are not the person's to take."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from massline.accounts.services import api_key_create, api_key_revoke
from massline.appeals.models import Appeal
from massline.appeals.services import ContactInput, appeal_route, appeal_submit
from massline.appeals.transitions import State
from massline.core.errors import ValidationFailed

pytestmark = pytest.mark.django_db
WORK = "/api/v1/work/appeals"


def dispatched(city: Any, title: str = "和平路有个大坑", **options: Any) -> Appeal:
    return appeal_route(
        appeal=appeal_submit(
            actor=None,
            kind="complaint",
            channel="web",
            title=title,
            description="和平路与东风路口有一个很深的坑。",
            area=city.community_a,
            category=city.potholes,
            contact=ContactInput(name="张三", phone="13912345678"),
            route_after_commit=False,
            **options,
        ).appeal
    )


def bearer(user: Any, *scopes: str) -> dict[str, str]:
    _key, secret = api_key_create(
        actor=None, name="handler app", scopes=list(scopes or ("api:read", "api:write")), user=user
    )
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}", "HTTP_ACCEPT_LANGUAGE": "en"}


def test_a_handler_lists_pages_and_reads_the_unit_appeals_with_etags(client: Client, city: Any) -> None:
    mine = [dispatched(city, f"和平路坑洼{n}") for n in range(3)]
    headers = bearer(city.handler)
    first = client.get(WORK, {"size": 2}, **headers)
    assert first.status_code == 200
    page = first.json()
    assert [item["tracking_code"] for item in page["items"]] == [a.tracking_code for a in reversed(mine)][:2]
    rest = client.get(WORK, {"size": 2, "after": page["next"]}, **headers).json()
    assert [item["tracking_code"] for item in rest["items"]] == [mine[0].tracking_code] and rest.get("next") is None
    # Nothing changed: the same ETag answers 304 without a body.
    again = client.get(WORK, {"size": 2}, HTTP_IF_NONE_MATCH=first["ETag"], **headers)
    assert again.status_code == 304 and again.content == b""
    one = client.get(f"{WORK}/{mine[0].tracking_code}", **headers)
    assert one.status_code == 200 and one.json()["contact"]["phone"] == "13912345678"
    assert client.get(f"{WORK}/{mine[0].tracking_code}", HTTP_IF_NONE_MATCH=one["ETag"], **headers).status_code == 304


def test_the_citizen_of_a_confidential_appeal_never_reaches_the_unit(client: Client, city: Any) -> None:
    secret = dispatched(city, contact_confidential=True)
    answer = client.get(f"{WORK}/{secret.tracking_code}", **bearer(city.handler)).json()
    assert answer["contact"] is None and "13912345678" not in str(answer)


def test_what_is_outside_the_person_scope_looks_like_nothing(client: Client, city: Any) -> None:
    appeal = dispatched(city)  # the city's urban bureau leads it
    outsider = bearer(city.outsider)  # a handler of a district bureau
    assert client.get(WORK, **outsider).json()["items"] == []
    missing = client.get(f"{WORK}/{appeal.tracking_code}", **outsider)
    assert missing.status_code == 404 and missing.json()["errors"][0]["code"] == "not_found"
    assert client.post(f"{WORK}/{appeal.tracking_code}/accept", **outsider).status_code == 404


def test_accept_then_reply_through_the_api_and_a_second_accept_conflicts(client: Client, city: Any) -> None:
    appeal = dispatched(city)
    headers = bearer(city.handler)
    accepted = client.post(f"{WORK}/{appeal.tracking_code}/accept", **headers)
    assert accepted.status_code == 200 and accepted.json()["state"] == State.IN_PROGRESS
    twice = client.post(f"{WORK}/{appeal.tracking_code}/accept", **headers)
    assert twice.status_code == 409 and twice.json()["errors"][0]["code"] == "transition_not_allowed"
    replied = client.post(
        f"{WORK}/{appeal.tracking_code}/reply",
        {"outcome": "solved", "text": "已安排养护队填补，感谢反映。"},
        content_type="application/json",
        **headers,
    )
    assert replied.status_code == 200 and replied.json()["state"] == State.REPLIED
    assert Appeal.objects.get(pk=appeal.pk).reply_text == "已安排养护队填补，感谢反映。"


def test_keys_without_the_scope_revoked_or_absent_are_refused(client: Client, city: Any) -> None:
    appeal = dispatched(city)
    reader = bearer(city.handler, "api:read")
    assert client.get(WORK, **reader).status_code == 200
    refused = client.post(f"{WORK}/{appeal.tracking_code}/accept", **reader)
    assert refused.status_code == 401 and refused.json()["errors"][0]["code"] == "unauthenticated"
    assert client.get(WORK, HTTP_ACCEPT_LANGUAGE="en").status_code == 401
    assert client.get(WORK, HTTP_AUTHORIZATION="Bearer ml_x_y").status_code == 401
    key, secret = api_key_create(actor=None, name="old", scopes=["api:read"], user=city.handler)
    api_key_revoke(actor=None, key=key)
    assert client.get(WORK, HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 401
    # A partner's Open311 key opens nothing here, and a staff key must act for someone.
    _partner, partner_secret = api_key_create(actor=None, name="partner")
    assert client.get(WORK, HTTP_AUTHORIZATION=f"Bearer {partner_secret}").status_code == 401
    with pytest.raises(ValidationFailed):
        api_key_create(actor=None, name="nobody", scopes=["api:read"])


def test_the_signed_in_session_works_too(client: Client, city: Any) -> None:
    appeal = dispatched(city)
    client.force_login(city.handler)
    listed = client.get(WORK).json()["items"]
    assert [item["tracking_code"] for item in listed] == [appeal.tracking_code]


def post_json(client: Client, path: str, data: dict[str, Any], headers: dict[str, str]) -> Any:
    return client.post(path, data, content_type="application/json", **headers)


def test_a_unit_returns_contacts_notes_and_asks_for_time_through_the_api(client: Client, city: Any) -> None:
    from massline.appeals.models import Extension

    headers = bearer(city.handler)
    wrong = dispatched(city, "不归我们管的事")
    returned = post_json(client, f"{WORK}/{wrong.tracking_code}/return", {"text": "该事项属于区城管局职责。"}, headers)
    assert returned.status_code == 200 and returned.json()["state"] == State.OBJECTED
    blank = post_json(client, f"{WORK}/{wrong.tracking_code}/return", {"text": ""}, headers)
    assert blank.status_code == 422 and blank.json()["errors"][0]["field"] == "text"

    appeal = dispatched(city)
    client.post(f"{WORK}/{appeal.tracking_code}/accept", **headers)
    contacted = post_json(
        client, f"{WORK}/{appeal.tracking_code}/contact", {"text": "已电话联系，约定明天现场查看。"}, headers
    )
    assert contacted.status_code == 200 and Appeal.objects.get(pk=appeal.pk).contacted_at is not None
    noted = post_json(client, f"{WORK}/{appeal.tracking_code}/note", {"text": "内部备注：需要协调交警。"}, headers)
    assert noted.status_code == 200
    public = client.get(f"/api/v1/appeals/{appeal.tracking_code}").content.decode()
    assert "内部备注" not in public  # notes stay inside
    asked = post_json(
        client, f"{WORK}/{appeal.tracking_code}/extension", {"days": 5, "reason": "需要协调多个部门。"}, headers
    )
    assert asked.status_code == 200 and Extension.objects.get(appeal=appeal).days == 5
    too_long = post_json(client, f"{WORK}/{appeal.tracking_code}/extension", {"days": 99, "reason": "x"}, headers)
    assert too_long.status_code == 422
