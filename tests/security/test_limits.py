"""Rate limits on public intake (appeals/web/limits.py) and the sign-in lockout (django-axes): the attempt past
the limit is refused with a message the person can read, in Chinese and in English, and nothing is stored."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client, override_settings

from massline.appeals.models import Appeal

pytestmark = pytest.mark.django_db

TOO_MANY = {
    "en": "Too many requests have been sent from your connection in a short time.",
    "zh-hans": "您的网络连接在短时间内提交的请求过多。",
}
LOCKED = {"en": "Account locked for now", "zh-hans": "账号暂时锁定"}


def _form(world: Any, n: int) -> dict[str, str]:
    return {
        "kind": "complaint",
        "title": f"和平路有个大坑{n}",
        "description": "和平路与东风路口有一个很深的坑。",
        "area": str(world.city.community_a.pk),
        "category": str(world.city.potholes.pk),
        "name": "王女士",
        "phone": "13800000000",
        "idempotency_key": f"limit-{n}",
    }


@override_settings(MASSLINE_INTAKE_RATE="2/h")
@pytest.mark.parametrize(("language", "address"), [("en", "203.0.113.21"), ("zh-hans", "203.0.113.22")])
def test_the_web_form_refuses_the_submission_past_the_limit(world: Any, language: str, address: str) -> None:
    browser = Client(HTTP_ACCEPT_LANGUAGE=language, REMOTE_ADDR=address)
    before = Appeal.objects.count()
    for n in range(2):
        assert browser.post("/appeals/new/", _form(world, n)).status_code == 302
    over = browser.post("/appeals/new/", _form(world, 2))
    assert over.status_code == 429 and int(over["Retry-After"]) > 0
    assert TOO_MANY[language] in over.content.decode()
    assert Appeal.objects.count() == before + 2


@override_settings(MASSLINE_INTAKE_RATE="2/h")
@pytest.mark.parametrize(("language", "address"), [("en", "203.0.113.31"), ("zh-hans", "203.0.113.32")])
def test_the_api_refuses_the_submission_past_the_limit(world: Any, language: str, address: str) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE=language, REMOTE_ADDR=address)
    body = {
        "kind": "complaint",
        "title": "人民路路灯不亮",
        "description": "人民路路灯已经坏了一周。",
        "area_code": world.city.community_a.code,
        "contact": {"name": "李先生", "phone": "13700000001"},
    }
    before = Appeal.objects.count()
    for n in range(2):
        made = client.post(
            "/api/v1/appeals", json.dumps({**body, "title": f"人民路路灯不亮{n}"}), content_type="application/json"
        )
        assert made.status_code == 201, made.content
    over = client.post("/api/v1/appeals", json.dumps(body), content_type="application/json")
    assert over.status_code == 429 and int(over["Retry-After"]) > 0
    assert over.json()["errors"][0] == {"field": None, "code": "rate_limited", "message": TOO_MANY[language]}
    assert Appeal.objects.count() == before + 2


@pytest.mark.parametrize(("language", "address"), [("en", "203.0.113.41"), ("zh-hans", "203.0.113.42")])
def test_the_sign_in_past_the_failure_limit_is_locked_even_with_the_right_password(
    world: Any, settings: Any, language: str, address: str
) -> None:
    person = world.people["handler"].username
    browser = Client(HTTP_ACCEPT_LANGUAGE=language, REMOTE_ADDR=address)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        refused = browser.post("/accounts/login/", {"username": person, "password": "not-it"})
        assert refused.status_code == 200  # still the form, saying the password is wrong
    last = browser.post("/accounts/login/", {"username": person, "password": "not-it"})
    assert last.status_code == 429
    locked = browser.post("/accounts/login/", {"username": person, "password": "correct-horse-42"})
    assert locked.status_code == 429 and LOCKED[language] in locked.content.decode()
    assert "_auth_user_id" not in browser.session
    # The lock is on this person from this address: the same person elsewhere still signs in.
    elsewhere = Client(REMOTE_ADDR="198.51.100.9")
    assert elsewhere.post("/accounts/login/", {"username": person, "password": "correct-horse-42"}).status_code == 302
