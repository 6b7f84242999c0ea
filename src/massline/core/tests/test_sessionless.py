"""The addresses only programs call (decision 0019): which ones they are, and that a session cookie sent to them
is not read."""

from typing import Any

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from massline.core.sessionless import is_sessionless


@pytest.mark.parametrize(
    ("path", "sessionless"),
    [
        ("/open311/v2/requests.json", True),
        ("/open311/discovery.xml", True),
        ("/healthz", True),
        ("/readyz", True),
        ("/metrics", True),
        ("/healthz-admin", False),  # only the address itself, not what starts like it
        ("/open311", False),  # only what is under /open311/
        ("/api/v1/appeals", False),  # the native API takes sessions from the web
        ("/appeals/track/", False),
        ("/", False),
    ],
)
def test_which_addresses_are_for_programs(path: str, sessionless: bool) -> None:
    assert is_sessionless(RequestFactory().get(path)) is sessionless


@pytest.mark.django_db
def test_a_health_check_with_a_staff_cookie_asks_the_database_nothing(client: Any, make_person: Any) -> None:
    client.force_login(make_person("supervisor"))
    with CaptureQueriesContext(connection) as queries:
        answer = client.get("/healthz")
    assert answer.status_code == 200 and answer.json() == {"status": "ok"}
    assert [query["sql"] for query in queries] == []
    assert client.get("/").wsgi_request.user.is_authenticated  # the cookie still works on pages
