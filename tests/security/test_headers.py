"""CSRF, the Content-Security-Policy and the other security headers, read from real responses; HSTS and secure
cookies under the production settings, in a process of their own."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

import pytest
from django.test import Client

from .conftest import World, api_client_for, client_for

pytestmark = pytest.mark.django_db


def _token(client: Client, path: str) -> str:
    client.get(path)
    return client.cookies["csrftoken"].value


def test_a_form_posted_without_its_token_is_refused(world: World) -> None:
    browser = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en")
    form = {"kind": "complaint", "title": "和平路有个大坑", "description": "坑很深。", "phone": "13800000000"}
    refused = browser.post("/appeals/new/", form)
    assert refused.status_code == 403
    with_token = browser.post("/appeals/new/", {**form, "csrfmiddlewaretoken": _token(browser, "/appeals/new/")})
    assert with_token.status_code != 403  # the form answers (with its own errors or the receipt)


def test_signing_in_without_the_token_is_refused(world: World) -> None:
    browser = Client(enforce_csrf_checks=True)
    person = {"username": world.people["handler"].username, "password": "correct-horse-42"}
    assert browser.post("/accounts/login/", person).status_code == 403
    signed_in = browser.post("/accounts/login/", {**person, "csrfmiddlewaretoken": _token(browser, "/accounts/login/")})
    assert signed_in.status_code == 302 and "_auth_user_id" in browser.session


def test_a_staff_step_through_the_session_needs_the_token(world: World) -> None:
    browser = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en")
    browser.force_login(world.people["handler"])
    case = f"/appeals/work/{world.own.tracking_code}/"
    assert browser.post(f"{case}accept/").status_code == 403
    world.own.refresh_from_db()
    assert world.own.state == "dispatched"
    done = browser.post(f"{case}accept/", {"csrfmiddlewaretoken": _token(browser, case)})
    assert done.status_code == 302
    world.own.refresh_from_db()
    assert world.own.state == "in_progress"


def test_the_api_with_the_session_needs_the_token_and_with_a_key_does_not(world: World) -> None:
    note = f"/api/v1/work/appeals/{world.own.tracking_code}/note"
    body = json.dumps({"text": "内部备注。"})
    browser = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en")
    browser.force_login(world.people["handler"])
    assert browser.post(note, body, content_type="application/json").status_code in (401, 403)
    token = _token(browser, f"/appeals/work/{world.own.tracking_code}/")
    with_token = browser.post(note, body, content_type="application/json", HTTP_X_CSRFTOKEN=token)
    assert with_token.status_code == 200
    application = api_client_for(world, "handler")  # a key is not sent by a browser on its own: no CSRF
    application.handler.enforce_csrf_checks = True
    assert application.post(note, body, content_type="application/json").status_code == 200


def _assert_security_headers(response: Any) -> None:
    policy = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"  # no inline script, no eval, no other origin
    assert directives["object-src"] == "'none'" and directives["frame-ancestors"] == "'none'"
    assert "unsafe" not in policy
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


PAGES = [
    ("anonymous", "/"),
    ("anonymous", "/appeals/new/"),
    ("anonymous", "/appeals/track/NOPE-0000/"),  # the not-found page too
    ("handler", "/appeals/work/"),
    ("administrator", "/admin/"),
]


def test_pages_carry_the_policy_and_the_security_headers(world: World) -> None:
    for role, path in PAGES:
        _assert_security_headers(client_for(world, role).get(path))


def test_api_answers_carry_the_security_headers(world: World) -> None:
    _assert_security_headers(Client().get(f"/api/v1/appeals/{world.own.tracking_code}"))
    _assert_security_headers(api_client_for(world, "handler").get("/api/v1/work/appeals"))


def test_the_session_cookie_is_not_readable_by_scripts(world: World) -> None:
    browser = Client()
    person = {"username": world.people["handler"].username, "password": "correct-horse-42"}
    browser.post("/accounts/login/", person)
    cookie = browser.cookies["sessionid"]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"


# Runs in a process of its own under the production settings: a plain request is sent to HTTPS; an HTTPS one
# gets HSTS, the policy and cookies marked Secure. Static files are served unhashed here because the manifest
# comes from ``collectstatic``, which a deployment runs and this test does not need.
PROBE = """
import json
import django
django.setup()
from django.conf import settings
settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
from django.test import Client
client = Client(HTTP_HOST="hotline.example.org")
plain = client.get("/accounts/login/")
secure = client.get("/accounts/login/", secure=True)
print(json.dumps({
    "plain": [plain.status_code, plain.get("Location", "")],
    "status": secure.status_code,
    "headers": dict(secure.headers),
    "cookies": {name: {"secure": bool(c["secure"]), "httponly": bool(c["httponly"])} for name, c in secure.cookies.items()},
    "session_cookie_secure": settings.SESSION_COOKIE_SECURE,
}))
"""
PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "massline.settings.production",
    "SECRET_KEY": "q8Vn2-Lr5mZ0pWf3yKc7HsT1uXe9AbGd4JiO6NvRwQlYtMk2SzPaEhCjUoBxDgFi",
    "ALLOWED_HOSTS": "hotline.example.org",
    "DATABASE_URL": "sqlite:///:memory:",
}


def test_production_sends_everyone_to_https_with_hsts_and_secure_cookies(tmp_path: Any) -> None:
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL"}}
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        env={**env, **PRODUCTION, "MASSLINE_VAR_DIR": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["plain"] == [301, "https://hotline.example.org/accounts/login/"]
    assert seen["status"] == 200
    hsts = seen["headers"]["Strict-Transport-Security"]
    assert "max-age=31536000" in hsts and "includeSubDomains" in hsts
    assert "script-src 'self'" in seen["headers"]["Content-Security-Policy"]
    assert seen["headers"]["X-Content-Type-Options"] == "nosniff"
    assert seen["cookies"]["csrftoken"]["secure"] is True
    assert seen["session_cookie_secure"] is True
