"""An existing Open311 client library, used as its users use it, against a real server: ``georeport`` (PyPI)
reads the services, a service definition, the requests and one request, in JSON and in XML; a partner's app
posts a request as the specification says (a form, with its API key) through ``requests``."""

from __future__ import annotations

from typing import Any

import pytest
import requests
from georeport import GeoReport

from massline.accounts.services import api_key_create
from massline.appeals.tests.conftest import city  # noqa: F401  (the appeal tests' city, with a catalogue)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("city")]


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_a_client_library_reads_and_a_partner_app_posts(live_server: Any, fmt: str) -> None:
    root = f"{live_server.url}/open311/v2"
    _key, secret = api_key_create(actor=None, name="partner app")
    posted = requests.post(
        f"{root}/requests.{fmt}",
        data={
            "api_key": secret,
            "jurisdiction_id": "massline.local",
            "service_code": "C0101",
            "lat": "30.5928",
            "long": "114.3055",
            "description": "和平路有个大坑，电动车摔倒了。",
            "first_name": "Li",
            "phone": "13800000001",
        },
        headers={"Accept-Language": "en"},
        timeout=10,
    )
    assert posted.status_code == 201
    client = GeoReport(root, jurisdiction="massline.local", output_format=fmt)
    services = client.get_service_list()
    assert {service["service_code"] for service in services} == {"C0101", "C0102"}
    definition = client.get_service_definition("C0101")
    assert definition["service_code"] == "C0101"
    listed = client.get_service_requests(service_code="C0101", status="open")
    listed = listed if isinstance(listed, list) else [listed]  # xmltodict gives a dict for a single element
    assert len(listed) == 1 and listed[0]["status"] == "open"
    one = client.get_service_request(listed[0]["service_request_id"])
    assert one["service_code"] == "C0101" and "13800000001" not in str(one)
