"""Webhooks against a real HTTP server on loopback: a partner subscribed to public steps receives each as a signed
POST with the request in its Open311 shape and nothing private; a failing receiver is retried with backoff and
then given up; the log keeps every attempt; a delivery can be replayed."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import io
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.core.management import call_command

from massline.appeals.services import ContactInput, appeal_submit
from massline.audit.models import AuditRecord
from massline.core import clock
from massline.core.clock import FixedClock, use_clock
from massline.core.errors import ValidationFailed
from massline.open311.models import DeliveryState, WebhookDelivery
from massline.open311.webhooks import RETRY_DELAYS, webhook_deliver_due, webhook_replay, webhook_subscribe


class Receiver:
    """A partner's endpoint: records what it gets and answers ``status``."""

    def __init__(self) -> None:
        self.received: list[dict[str, Any]] = []
        self.status = 200
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 — the standard library's name
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append({"headers": dict(self.headers), "body": body})
                self.send_response(receiver.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/massline"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    server = Receiver()
    yield server
    server.close()


def submit(city: Any, **options: Any) -> Any:
    return appeal_submit(
        actor=None,
        kind="complaint",
        channel="web",
        title="和平路有个大坑",
        description="和平路与东风路口有一个很深的坑，张三电话13912345678。",
        area=city.community_a,
        category=city.potholes,
        contact=ContactInput(name="张三", phone="13912345678"),
        publish_consent=True,
        **options,
    ).appeal


def verify(secret: str, headers: dict[str, str], body: bytes) -> bool:
    parts = dict(part.split("=", 1) for part in headers["X-Massline-Signature"].split(","))
    expected = hmac.new(secret.encode(), f"{parts['t']}.".encode() + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, parts["v1"])


@pytest.mark.django_db(transaction=True)
def test_a_partner_hears_public_steps_signed_and_without_private_data(city: Any, receiver: Receiver) -> None:
    _subscription, secret = webhook_subscribe(actor=None, name="city app", url=receiver.url)
    appeal = submit(city)  # stored, then routed at once to the urban bureau
    events = [json.loads(item["body"])["event"] for item in receiver.received]
    assert events == ["appeal.submit", "appeal.dispatch"]
    first = receiver.received[0]
    assert verify(secret, first["headers"], first["body"])
    assert not verify("whsec_wrong", first["headers"], first["body"])
    payload = json.loads(first["body"])
    assert payload["service_request"]["service_request_id"] == appeal.tracking_code
    text = b"".join(item["body"] for item in receiver.received).decode()
    assert "13912345678" not in text and "张三" not in text
    assert WebhookDelivery.objects.filter(state=DeliveryState.DELIVERED).count() == 2


@pytest.mark.django_db(transaction=True)
def test_confidential_appeals_and_unwanted_steps_are_not_sent(city: Any, receiver: Receiver) -> None:
    webhook_subscribe(actor=None, name="replies only", url=receiver.url, actions=["reply"])
    submit(city)
    submit(city, contact_confidential=True)
    assert receiver.received == [] and not WebhookDelivery.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_failing_receiver_is_retried_with_backoff_then_given_up_and_can_be_replayed(
    city: Any, receiver: Receiver
) -> None:
    receiver.status = 503
    webhook_subscribe(actor=None, name="flaky", url=receiver.url, actions=["submit"])
    start = clock.now()
    submit(city)
    delivery = WebhookDelivery.objects.get()
    assert delivery.state == DeliveryState.PENDING and delivery.attempts == 1 and delivery.last_status == 503
    moment = start
    for number, delay in enumerate(RETRY_DELAYS, start=2):
        # Not yet due: the sweep leaves it alone.
        with use_clock(FixedClock(moment + delay - dt.timedelta(seconds=5))):
            webhook_deliver_due()
        assert WebhookDelivery.objects.get().attempts == number - 1
        moment = moment + delay + dt.timedelta(seconds=5)
        with use_clock(FixedClock(moment)):
            webhook_deliver_due()
        assert WebhookDelivery.objects.get().attempts == number
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.FAILED and len(receiver.received) == len(RETRY_DELAYS) + 1
    receiver.status = 204
    webhook_replay(actor=None, delivery=delivery)
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.DELIVERED and delivery.last_status == 204
    assert AuditRecord.objects.filter(event="open311.webhook.replay").count() == 1


@pytest.mark.django_db(transaction=True)
def test_an_unreachable_receiver_is_logged_not_raised(city: Any) -> None:
    webhook_subscribe(actor=None, name="gone", url="http://127.0.0.1:9/nothing", actions=["submit"])
    appeal = submit(city)
    assert appeal.tracking_code  # the citizen's submission never depends on a partner
    delivery = WebhookDelivery.objects.get()
    assert delivery.state == DeliveryState.PENDING and delivery.last_status is None and delivery.last_error


@pytest.mark.django_db
def test_subscribing_refuses_bad_addresses_and_steps_and_the_command_prints_the_secret_last(city: Any) -> None:
    with pytest.raises(ValidationFailed):
        webhook_subscribe(actor=None, name="x", url="ftp://example.org/hook")
    with pytest.raises(ValidationFailed):
        webhook_subscribe(actor=None, name="x", url="https://example.org/hook", actions=["note"])
    out = io.StringIO()
    call_command("webhook", "add", "partner", "https://example.org/hook", "--step", "reply", stdout=out)
    assert out.getvalue().strip().splitlines()[-1].startswith("whsec_")
    assert AuditRecord.objects.filter(event="open311.webhook.subscribe").count() == 1
