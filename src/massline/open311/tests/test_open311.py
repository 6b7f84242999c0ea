"""Open311 GeoReport v2 as a client sees it: the discovery document, services and their definitions, posting a
request with an API key, reading requests back with the specification's filters, in JSON and in XML. Contract
tests pin the wire format and prove that private data never leaves: contact details, confidential appeals,
petitions, reports, internal notes."""

from __future__ import annotations

import datetime as dt
import io
import json
from typing import Any
from xml.etree import ElementTree

import pytest
from django.core.management import call_command

from massline.accounts.models import ApiKey
from massline.accounts.services import api_key_create, api_key_revoke
from massline.appeals.models import Appeal
from massline.appeals.services import ContactInput, appeal_note, appeal_route, appeal_submit
from massline.core.clock import FixedClock, use_clock
from massline.org.models import Category

pytestmark = pytest.mark.django_db
BASE = "/open311/v2"


@pytest.fixture
def client(client: Any) -> Any:
    """A client asking for English, as most Open311 libraries' users read errors; Chinese is checked apart."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def key(db: Any) -> str:
    _key, secret = api_key_create(actor=None, name="city app")
    return secret


def body(response: Any) -> Any:
    if response["Content-Type"].startswith("text/xml"):
        return ElementTree.fromstring(response.content)  # noqa: S314 — the test server's own answer
    return json.loads(response.content)


def post(client: Any, fmt: str = "json", **data: Any) -> Any:
    return client.post(f"{BASE}/requests.{fmt}", data)


def test_discovery_points_at_the_v2_endpoint_in_both_formats(client: Any) -> None:
    document = body(client.get("/open311/discovery.json"))
    assert document["endpoints"][0]["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert document["endpoints"][0]["url"].endswith("/open311/v2/")
    xml = body(client.get("/open311/discovery.xml"))
    assert xml.tag == "discovery" and xml.find("endpoints/endpoint/formats/format").text == "application/json"


def test_services_and_their_definitions(client: Any, city: Any) -> None:
    listed = body(client.get(f"{BASE}/services.json", HTTP_ACCEPT_LANGUAGE="zh-hans"))
    assert {service["service_code"] for service in listed} == {"C0101", "C0102"}  # the leaves of the catalogue
    potholes = next(service for service in listed if service["service_code"] == "C0101")
    assert potholes["service_name"] == "道路坑洼" and potholes["group"] == "城市管理" and potholes["metadata"] is True
    english = body(client.get(f"{BASE}/services.json"))
    assert {service["service_name"] for service in english} == {"Potholes", "Noise"}
    chinese = body(client.get(f"{BASE}/services.json", HTTP_ACCEPT_LANGUAGE="zh-hans"))
    assert {service["service_name"] for service in chinese} == {"道路坑洼", "噪声"}
    xml = body(client.get(f"{BASE}/services.xml"))
    assert xml.tag == "services" and [s.find("service_code").text for s in xml.findall("service")] == ["C0101", "C0102"]
    definition = body(client.get(f"{BASE}/services/C0101.xml"))
    assert definition.tag == "service_definition"
    assert definition.find("attributes/attribute/code").text == "kind"
    assert "complaint" in [v.find("key").text for v in definition.findall("attributes/attribute/values/value")]
    missing = client.get(f"{BASE}/services/NOPE.json")
    assert missing.status_code == 404 and body(missing)[0]["code"] == 404


def test_posting_a_request_stores_it_once_and_answers_with_its_id(client: Any, city: Any, key: str) -> None:
    fields = {
        "api_key": key,
        "service_code": "C0101",
        "lat": "30.592800",
        "long": "114.305500",
        "address_string": "和平路12号",
        "description": "和平路有个大坑，电动车摔倒了。",
        "email": "li@example.cn",
        "first_name": "Li",
        "phone": "13800000001",
    }
    response = client.post(f"{BASE}/requests.json", fields, HTTP_IDEMPOTENCY_KEY="abc-1")
    assert response.status_code == 201
    answer = body(response)[0]
    appeal = Appeal.objects.get(tracking_code=answer["service_request_id"])
    assert appeal.category == city.potholes and appeal.contact.phone == "13800000001"
    assert str(appeal.latitude) == "30.592800" and appeal.location_text == "和平路12号"
    # The client's retry after a lost answer finds the same request.
    again = client.post(f"{BASE}/requests.json", fields, HTTP_IDEMPOTENCY_KEY="abc-1")
    assert again.status_code == 200 and body(again)[0]["service_request_id"] == appeal.tracking_code
    assert Appeal.objects.count() == 1
    assert ApiKey.objects.get().uses == 2  # both calls are counted against the key
    token = body(client.get(f"{BASE}/tokens/{appeal.tracking_code}.json"))
    assert token == [{"service_request_id": appeal.tracking_code, "token": appeal.tracking_code}]
    xml = body(
        post(client, "xml", api_key=key, service_code="C0102", address_string="东风路", description="夜里施工很吵")
    )
    assert xml.tag == "service_requests" and xml.find("request/service_request_id").text


@pytest.mark.parametrize("fmt", ["json", "xml"])
@pytest.mark.parametrize(
    ("fields", "status", "says"),
    [
        ({}, 403, "api_key"),
        ({"api_key": "ml_nothing_here"}, 403, "api_key"),
        ({"service_code": ""}, 400, "service_code is required"),
        ({"service_code": "XX99"}, 400, "XX99"),
        ({"service_code": "C01"}, 400, "C01"),  # a group of services, not a service
        ({"address_string": "", "lat": "", "long": ""}, 400, "location is required"),
        ({"address_string": "", "lat": "91", "long": "10"}, 400, "lat must lie between"),
        ({"address_string": "", "lat": "north", "long": "10"}, 400, "lat must be a number"),
        ({"description": "坑" * 4001}, 400, "at most 4000"),
        ({"email": "not-an-address"}, 400, "email"),
        ({"attribute[kind]": "party"}, 400, "attribute[kind]"),
        ({"jurisdiction_id": "elsewhere.gov"}, 404, "jurisdiction_id"),
    ],
)
def test_bad_requests_get_the_right_status_and_a_precise_error(
    client: Any, city: Any, key: str, fmt: str, fields: dict[str, str], status: int, says: str
) -> None:
    data = {"api_key": key, "service_code": "C0101", "address_string": "和平路", "description": "路面坑洼", **fields}
    if "api_key" not in fields and status == 403:
        data.pop("api_key")
    response = post(client, fmt, **data)
    assert response.status_code == status
    if fmt == "xml":
        error = body(response)
        assert error.tag == "errors" and error.find("error/code").text == str(status)
        assert says in error.find("error/description").text
    else:
        assert body(response)[0]["code"] == status and says in body(response)[0]["description"]
    assert not Appeal.objects.exists()


def test_a_retired_service_is_refused_at_once(client: Any, city: Any, key: str) -> None:
    data = {"api_key": key, "service_code": "C0102", "address_string": "东风路", "description": "夜里施工很吵"}
    assert post(client, **data).status_code == 201  # the list of services is now remembered
    noise = Category.objects.get(code="C0102")
    noise.is_active = False
    noise.save()
    response = post(client, **data)
    assert response.status_code == 400 and "C0102" in body(response)[0]["description"]
    assert "C0102" not in {service["service_code"] for service in body(client.get(f"{BASE}/services.json"))}


def test_errors_speak_chinese_by_default(client: Any, city: Any) -> None:
    response = client.post(f"{BASE}/requests.json", {"service_code": "C0101"}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 403 and body(response)[0]["description"] == "api_key 缺失或无效。"


def test_a_revoked_key_stops_at_once(client: Any, city: Any) -> None:
    stored, secret = api_key_create(actor=None, name="old app")
    api_key_revoke(actor=None, key=stored, reason="contract ended")
    response = post(client, api_key=secret, service_code="C0101", address_string="和平路", description="坑")
    assert response.status_code == 403


def test_a_key_without_the_write_scope_cannot_post(client: Any, city: Any) -> None:
    _stored, secret = api_key_create(actor=None, name="reader", scopes=["open311:read"])
    assert (
        post(client, api_key=secret, service_code="C0101", address_string="和平路", description="坑").status_code == 403
    )


def test_the_apikey_command_prints_the_key_last_and_it_works(client: Any, city: Any) -> None:
    out = io.StringIO()
    call_command("apikey", "create", "partner", "--scope", "open311:write", "--rate", "2", stdout=out)
    secret = out.getvalue().strip().splitlines()[-1]
    assert secret.startswith("ml_") and ApiKey.objects.get().secret_hash not in out.getvalue()
    used_at = dt.datetime(2026, 3, 2, 9, 30, 15, tzinfo=dt.UTC)
    with use_clock(FixedClock(used_at)):
        for _n in range(2):
            assert (
                post(
                    client, api_key=secret, service_code="C0101", address_string="和平路", description="坑"
                ).status_code
                == 201
            )
    limited = post(client, api_key=secret, service_code="C0101", address_string="和平路", description="坑")
    assert limited.status_code == 429 and int(limited["Retry-After"]) > 0
    listing = io.StringIO()
    call_command("apikey", "list", stdout=listing)
    assert "partner" in listing.getvalue() and "uses 2" in listing.getvalue()
    assert ApiKey.objects.get().last_used_at == used_at  # the usage count's plain UPDATE, read back by the ORM
    assert f"last used {used_at.isoformat()}" in listing.getvalue()


def _appeal(city: Any, title: str, **options: Any) -> Appeal:
    contact = options.pop("contact", ContactInput(name="张三", phone="13912345678", email="zhang@example.cn"))
    appeal = appeal_submit(
        actor=None,
        kind=options.pop("kind", "complaint"),
        channel="web",
        title=title,
        description=options.pop("description", f"{title}，请尽快处理。"),
        area=city.community_a,
        category=city.potholes,
        contact=contact,
        route_after_commit=False,
        **options,
    ).appeal
    return appeal_route(appeal=appeal)


def test_reading_requests_never_shows_what_is_private(client: Any, city: Any) -> None:
    shown = _appeal(city, "和平路坑洼", publish_consent=True, description="和平路坑洼，张三电话13912345678。")
    quiet = _appeal(city, "东风路坑洼")  # no consent to publish: listed, but without its words
    _appeal(city, "保密的诉求", contact_confidential=True)
    _appeal(city, "举报某单位", kind="report")
    _appeal(city, "信访事项", track="petition")
    appeal_note(actor=city.dispatcher, appeal=quiet, text="内部备注：此人多次来电")
    for fmt in ("json", "xml"):
        response = client.get(f"{BASE}/requests.{fmt}")
        text = response.content.decode()
        for private in ("13912345678", "张三", "zhang@example.cn", "保密", "举报", "信访", "内部备注"):
            assert private not in text, (fmt, private)
    listed = {item["service_request_id"]: item for item in body(client.get(f"{BASE}/requests.json"))}
    assert set(listed) == {shown.tracking_code, quiet.tracking_code}
    assert "和平路坑洼" in listed[shown.tracking_code]["description"]
    assert listed[quiet.tracking_code]["description"] is None
    assert listed[shown.tracking_code]["status"] == "open"
    assert listed[shown.tracking_code]["agency_responsible"] == city.urban_bureau.name_en
    one = client.get(f"{BASE}/requests/{quiet.tracking_code}.xml")
    assert body(one).tag == "service_requests" and body(one).find("request/status").text == "open"
    hidden = Appeal.objects.get(title="保密的诉求")
    assert client.get(f"{BASE}/requests/{hidden.tracking_code}.json").status_code == 404


def test_the_filters_of_get_requests(client: Any, city: Any) -> None:
    now = dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.UTC)
    with use_clock(FixedClock(now - dt.timedelta(days=100))):
        old = _appeal(city, "很久以前的坑洼")
    with use_clock(FixedClock(now - dt.timedelta(days=2))):
        recent = _appeal(city, "最近的坑洼")
    with use_clock(FixedClock(now)):
        default = body(client.get(f"{BASE}/requests.json"))
    assert [item["service_request_id"] for item in default] == [recent.tracking_code]  # the last 90 days
    # W3C times in the deployment's zone (Asia/Shanghai), in the list and for the single request alike
    assert default[0]["requested_datetime"] == "2026-11-18T18:00:00+08:00"
    single = body(client.get(f"{BASE}/requests/{recent.tracking_code}.xml"))
    assert single.find("request/requested_datetime").text == "2026-11-18T18:00:00+08:00"
    ranged = body(
        client.get(
            f"{BASE}/requests.json",
            {"start_date": "2026-08-01T00:00:00+08:00", "end_date": "2026-08-31T00:00:00+08:00"},
        )
    )
    assert [item["service_request_id"] for item in ranged] == [old.tracking_code]
    by_id = body(
        client.get(f"{BASE}/requests.json", {"service_request_id": f"{old.tracking_code},{recent.tracking_code}"})
    )
    assert {item["service_request_id"] for item in by_id} == {old.tracking_code, recent.tracking_code}
    assert body(client.get(f"{BASE}/requests.json", {"status": "closed", "start_date": "2026-01-01T00:00:00Z"})) == []
    assert (
        body(client.get(f"{BASE}/requests.json", {"service_code": "C0102", "start_date": "2026-01-01T00:00:00Z"})) == []
    )
    for params, says in (
        ({"start_date": "yesterday"}, "start_date"),
        ({"start_date": "2026-11-02T00:00:00"}, "zone"),
        ({"start_date": "2026-11-02T00:00:00Z", "end_date": "2026-11-01T00:00:00Z"}, "before"),
        ({"status": "pending"}, "status"),
    ):
        response = client.get(f"{BASE}/requests.json", params)
        assert response.status_code == 400 and says in body(response)[0]["description"]


def test_unknown_addresses_answer_in_the_wire_format_not_html(client: Any) -> None:
    for path, root in ((f"{BASE}/nothing.xml", "errors"), (f"{BASE}/requests.html", None)):
        response = client.get(path)
        assert response.status_code == 404
        if root:
            assert body(response).tag == root
        else:
            assert body(response)[0]["code"] == 404


def test_a_signed_in_browser_calling_open311_is_answered_as_anyone_is(client: Any, city: Any) -> None:
    """Open311 never reads a session (decision 0019): a staff member's cookie sent along costs no query, changes
    nothing in the answer, and the answer does not vary on it, so a cache in front may keep it for everyone."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    appeal = _appeal(city, "和平路坑洼", publish_consent=True)
    address = f"{BASE}/requests/{appeal.tracking_code}.json"
    with CaptureQueriesContext(connection) as anonymous:
        first = client.get(address)
    client.force_login(city.dispatcher)
    with CaptureQueriesContext(connection) as signed_in:
        second = client.get(address)
    assert second.status_code == first.status_code == 200
    assert second.content == first.content
    assert len(signed_in) == len(anonymous), [query["sql"] for query in signed_in]
    assert "Cookie" not in second.get("Vary", "")
    assert not second.cookies  # neither a session nor a CSRF cookie is set or refreshed
    # The same person's pages still know who is signed in.
    page = client.get(reverse("appeals:detail", args=[appeal.tracking_code]))
    assert page.status_code == 200 and "Cookie" in page["Vary"]
    assert appeal.tracking_code in page.content.decode()
