"""What an operator watching the platform sees: each request's ID in its response header and on its log lines
(JSON, one object per line, without personal data), request counts and latencies at /metrics adding up over
every gunicorn worker, the overdue appeals, and /metrics refused to anyone not allowed to read it."""

from __future__ import annotations

import datetime as dt
import io
import json
import logging
import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.test.utils import override_settings

from massline.core.clock import FixedClock, use_clock
from massline.core.logs import JsonFormatter, RequestContextFilter

from .test_serve import free_port
from .test_worker import database_url

BEIJING = dt.timezone(dt.timedelta(hours=8))


@pytest.fixture
def json_log() -> Iterator[io.StringIO]:
    """The root logger also writes, through the production formatter and filter, to a buffer."""
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    handler.addFilter(RequestContextFilter())
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield buffer
    finally:
        root.removeHandler(handler)


def lines(buffer: io.StringIO) -> list[dict[str, Any]]:
    return [json.loads(line) for line in buffer.getvalue().splitlines() if line.strip()]


def sample(text: str, name: str, **labels: str) -> float:
    """The value of one sample in Prometheus' text format (0 when it is not there yet)."""
    wanted = ",".join(f'{key}="{value}"' for key, value in sorted(labels.items()))
    for line in text.splitlines():
        if line.startswith("#"):
            continue
        metric, _, value = line.rpartition(" ")
        found, _, rest = metric.partition("{")
        if found == name and ",".join(sorted(rest.rstrip("}").split(","))) == wanted:
            return float(value)
    return 0.0


@pytest.mark.django_db
def test_a_request_id_is_returned_and_on_every_log_line_of_the_request(json_log: io.StringIO) -> None:
    client = Client()
    response = client.get("/no-such-page/?phone=13912345678", HTTP_X_REQUEST_ID="lb-7f3a9c")
    assert response.status_code == 404 and response["X-Request-ID"] == "lb-7f3a9c"
    mine = [line for line in lines(json_log) if line.get("request_id") == "lb-7f3a9c"]
    loggers = {line["logger"] for line in mine}
    assert {"massline.request", "django.request"} <= loggers  # the access line and Django's "Not Found"
    access = next(line for line in mine if line["logger"] == "massline.request")
    assert access["method"] == "GET" and access["path"] == "/no-such-page/" and access["status"] == 404
    assert access["level"] == "INFO" and access["duration_ms"] >= 0
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", access["time"])
    assert "13912345678" not in json_log.getvalue()  # the query string is never logged


@pytest.mark.django_db
def test_a_missing_or_unsafe_request_id_is_replaced(json_log: io.StringIO) -> None:
    client = Client()
    made = client.get("/healthz")["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", made)
    forged = client.get("/healthz", HTTP_X_REQUEST_ID='x" \n{"level": "ERROR"}')["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", forged)
    assert client.get("/healthz")["X-Request-ID"] != made  # one per request
    assert all(line["level"] == "INFO" for line in lines(json_log))


@pytest.mark.django_db
def test_a_signed_in_request_logs_the_user_id_only(json_log: io.StringIO, make_person: Any) -> None:
    person = make_person("operator", username="wang.operator")
    client = Client()
    client.force_login(person)
    client.get("/notifications/", HTTP_X_REQUEST_ID="signed-in-1")
    access = next(
        line for line in lines(json_log) if line["logger"] == "massline.request" and line["request_id"] == "signed-in-1"
    )
    assert access["user_id"] == person.pk
    assert "wang.operator" not in json_log.getvalue()


@pytest.mark.django_db
def test_the_request_counter_goes_up(client: Client) -> None:
    before = client.get("/metrics").content.decode()
    for _ in range(3):
        assert client.get("/healthz").status_code == 200
    client.get("/no-such-page/")
    after = client.get("/metrics").content.decode()
    labels = {"route": "healthz", "method": "GET", "status": "200"}
    assert (
        sample(after, "massline_http_requests_total", **labels)
        == sample(before, "massline_http_requests_total", **labels) + 3
    )
    assert (
        sample(after, "massline_http_request_duration_seconds_count", **labels)
        == sample(before, "massline_http_request_duration_seconds_count", **labels) + 3
    )
    unmatched = {"route": "<unmatched>", "method": "GET", "status": "404"}
    assert sample(after, "massline_http_requests_total", **unmatched) >= 1


@pytest.mark.django_db
def test_the_overdue_gauge_counts_open_appeals_past_their_deadline(client: Client, small_city: Any) -> None:
    from massline.appeals.services import ContactInput, appeal_route, appeal_submit
    from massline.org.services import category_create, rule_set

    roads = category_create(actor=None, code="C01", name_zh="城市管理", name_en="Urban management")
    potholes = category_create(actor=None, code="C0101", name_zh="道路坑洼", name_en="Potholes", parent=roads)
    rule_set(actor=None, category=potholes, area=small_city.city, lead_unit=small_city.urban_bureau)

    def dispatched(day: dt.datetime) -> Any:
        with use_clock(FixedClock(day)):
            submitted = appeal_submit(
                actor=None,
                kind="complaint",
                channel="web",
                title="和平路有个大坑",
                description="和平路与东风路口有一个很深的坑，已经有电动车摔倒。",
                area=small_city.community_a,
                category=potholes,
                contact=ContactInput(name="王女士", phone="13800000000"),
            )
            return appeal_route(appeal=submitted.appeal)

    late = dispatched(dt.datetime(2026, 9, 22, 10, tzinfo=BEIJING))
    on_time = dispatched(dt.datetime(2026, 9, 29, 10, tzinfo=BEIJING))
    assert late.due_at is not None and on_time.due_at is not None
    between = late.due_at + dt.timedelta(hours=1)
    assert between < on_time.due_at
    with use_clock(FixedClock(late.due_at - dt.timedelta(minutes=1))):
        assert sample(client.get("/metrics").content.decode(), "massline_appeals_overdue") == 0
    with use_clock(FixedClock(between)):
        assert sample(client.get("/metrics").content.decode(), "massline_appeals_overdue") == 1
    with use_clock(FixedClock(on_time.due_at + dt.timedelta(hours=1))):
        text = client.get("/metrics").content.decode()
    assert sample(text, "massline_appeals_overdue") == 2
    assert "massline_task_queue_depth" in text and "massline_notification_outbox_backlog" in text


@pytest.mark.django_db
def test_metrics_are_refused_to_outsiders(client: Client) -> None:
    outsider = client.get("/metrics", REMOTE_ADDR="203.0.113.9")
    assert outsider.status_code == 403 and b"massline_" not in outsider.content
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1").status_code == 200
    with override_settings(MASSLINE_METRICS_ALLOWED_IPS=["10.0.0.0/8"], MASSLINE_METRICS_TOKEN="s3cret-scrape-token"):
        assert client.get("/metrics", REMOTE_ADDR="10.20.30.40").status_code == 200
        assert client.get("/metrics", REMOTE_ADDR="127.0.0.1").status_code == 403
        assert (
            client.get("/metrics", REMOTE_ADDR="203.0.113.9", HTTP_AUTHORIZATION="Bearer wrong-token").status_code
            == 403
        )
        scraper = client.get("/metrics", REMOTE_ADDR="203.0.113.9", HTTP_AUTHORIZATION="Bearer s3cret-scrape-token")
        assert scraper.status_code == 200 and b"massline_http_requests_total" in scraper.content
    # Behind a proxy the client's own address counts, not the proxy's.
    with override_settings(AXES_IPWARE_PROXY_COUNT=1):
        forwarded = client.get("/metrics", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9")
        assert forwarded.status_code == 403


def fetch(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], str]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_served_by_gunicorn_logs_are_json_and_metrics_add_up_over_workers(small_city: Any, tmp_path: Path) -> None:
    port = free_port()
    log_path = tmp_path / "server.log"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "massline.settings.local",
        "DATABASE_URL": database_url(),
        "DEBUG": "false",
        "LOG_FORMAT": "json",
    }
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    base = f"http://127.0.0.1:{port}"
    with log_path.open("w") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "massline.cli", "serve", "--workers", "2", "--port", str(port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=log,
        )
        try:
            deadline = time.monotonic() + 120  # collectstatic and two workers, on a busy machine
            while True:
                try:
                    if fetch(f"{base}/readyz")[0] == 200:
                        break
                except OSError:
                    pass
                if server.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(f"server did not start: {log_path.read_text()}")
                time.sleep(0.3)
            labels = {"route": "portal:home", "method": "GET", "status": "200"}
            before = sample(fetch(f"{base}/metrics")[2], "massline_http_requests_total", **labels)
            requests = 20
            for n in range(requests):
                status, headers, _ = fetch(f"{base}/?q=13912345678", {"X-Request-ID": f"home-{n}"})
                assert status == 200 and headers["X-Request-ID"] == f"home-{n}"
            counts = [sample(fetch(f"{base}/metrics")[2], "massline_http_requests_total", **labels) for _ in range(4)]
            # Whichever worker answers the scrape, the count is every worker's.
            assert counts == [before + requests] * 4
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
    text = log_path.read_text()
    # Every line is one JSON object, but for the note `massline serve` prints about the embedded settings.
    records = [json.loads(line) for line in text.splitlines() if not line.startswith("note: serving with")]
    served = [r for r in records if r.get("logger") == "massline.request" and r["request_id"].startswith("home-")]
    assert sorted(r["request_id"] for r in served) == sorted(f"home-{n}" for n in range(requests))
    assert {r["path"] for r in served} == {"/"} and {r["status"] for r in served} == {200}
    assert any(r.get("logger", "").startswith("gunicorn") for r in records)  # the server's own lines too
    assert "13912345678" not in text
