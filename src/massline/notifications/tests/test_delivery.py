"""Delivery: a failing SMTP server or SMS gateway is retried with backoff until it works, the sweep picks up
what is due, the daily digest collapses a day's e-mails into one, and the HTTP gateway's wire format."""

from __future__ import annotations

import datetime as dt
import socket
from typing import Any

import pytest
from django.db import transaction

from massline.accounts.models import User
from massline.appeals.models import Appeal
from massline.appeals.services import ContactInput, appeal_submit
from massline.appeals.transitions import transition
from massline.core.clock import FixedClock, use_clock
from massline.core.periodic import registered_jobs
from massline.notifications.models import Audience, Channel, OutboxMessage, OutboxState
from massline.notifications.senders import HttpJsonSmsGateway, SmsGateway, SmsGatewayError
from massline.notifications.services import digest_send_daily, outbox_deliver_due
from massline.notifications.tasks import deliver_due_notifications, send_daily_digests

from .conftest import BEIJING

pytestmark = pytest.mark.django_db


def submit(city: Any, contact: ContactInput, **changes: Any) -> Appeal:
    fields: dict[str, Any] = {
        "actor": None,
        "kind": "complaint",
        "channel": "web",
        "title": "路灯不亮",
        "description": "幸福路的路灯一周都不亮了。",
        "area": city.community_a,
        "category": city.potholes,
        "contact": contact,
    }
    fields.update(changes)
    return Appeal.objects.get(pk=appeal_submit(**fields).appeal.pk)


def closed_port() -> int:
    """A local port nobody listens on: connecting to it is refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def receipt_row(channel: str) -> OutboxMessage:
    return OutboxMessage.objects.get(audience=Audience.CITIZEN, channel=channel, kind="receipt")


def test_a_refused_smtp_connection_is_retried_with_backoff_until_it_works(
    city, beijing_clock, settings, mailoutbox, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", closed_port(), 5
    with django_capture_on_commit_callbacks(execute=True):
        appeal = submit(city, ContactInput(email="li@example.cn"), route_after_commit=False)
    row = receipt_row(Channel.EMAIL)
    assert (row.state, row.attempts) == (OutboxState.PENDING, 1)
    assert "Connection refused" in row.last_error or "ConnectionRefused" in row.last_error
    assert row.next_attempt_at == beijing_clock.now() + dt.timedelta(seconds=60)
    assert row.address == "li@example.cn"  # still needed to deliver

    beijing_clock.advance(dt.timedelta(seconds=59))
    assert outbox_deliver_due() == 0 and receipt_row(Channel.EMAIL).attempts == 1  # not due yet
    beijing_clock.advance(dt.timedelta(seconds=1))
    assert outbox_deliver_due() == 0
    row = receipt_row(Channel.EMAIL)
    assert row.attempts == 2 and row.next_attempt_at == beijing_clock.now() + dt.timedelta(seconds=120)  # doubled

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"  # the server is back
    beijing_clock.advance(dt.timedelta(seconds=120))
    deliver_due_notifications.enqueue()  # the periodic sweep
    row = receipt_row(Channel.EMAIL)
    assert (row.state, row.attempts, row.address) == (OutboxState.SENT, 3, "")
    assert row.sent_at == beijing_clock.now() and row.next_attempt_at is None  # the sweep does not take it again
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["li@example.cn"]
    assert appeal.tracking_code in mailoutbox[0].subject


def test_a_message_that_keeps_failing_is_given_up_after_the_last_attempt(
    city, beijing_clock, settings, sms_gateway, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    settings.MASSLINE_NOTIFY_SMS_SENDER = "http"
    settings.MASSLINE_SMS_GATEWAY_URL = sms_gateway.url
    sms_gateway.answers.extend([500] * 10)
    with django_capture_on_commit_callbacks(execute=True):
        submit(city, ContactInput(phone="13700001111"), route_after_commit=False)
    for _attempt in range(5):
        beijing_clock.advance(dt.timedelta(hours=1))
        outbox_deliver_due()
    row = receipt_row(Channel.SMS)
    assert (row.state, row.attempts) == (OutboxState.FAILED, 4)  # MASSLINE_NOTIFY_MAX_ATTEMPTS in the tests
    assert "HTTP 500" in row.last_error and row.address == "" and row.next_attempt_at is None
    assert len(sms_gateway.received) == 4


def test_a_busy_sms_gateway_is_retried_and_the_text_arrives_once(
    city, beijing_clock, settings, sms_gateway, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    settings.MASSLINE_NOTIFY_SMS_SENDER = "http"
    settings.MASSLINE_SMS_GATEWAY_URL, settings.MASSLINE_SMS_GATEWAY_TOKEN = sms_gateway.url, "gateway-token"
    sms_gateway.answers.append(503)
    with django_capture_on_commit_callbacks(execute=True):
        appeal = submit(city, ContactInput(phone="13700001111"), route_after_commit=False)
    row = receipt_row(Channel.SMS)
    assert (row.state, row.attempts) == (OutboxState.PENDING, 1) and "HTTP 503" in row.last_error
    beijing_clock.advance(dt.timedelta(minutes=1))
    deliver_due_notifications.enqueue()
    deliver_due_notifications.enqueue()  # a second sweep finds nothing left to send
    assert receipt_row(Channel.SMS).state == OutboxState.SENT
    assert len(sms_gateway.received) == 2
    assert sms_gateway.received[0]["json"] == sms_gateway.received[1]["json"]
    assert sms_gateway.received[1]["json"]["to"] == "13700001111"
    assert appeal.tracking_code in sms_gateway.received[1]["json"]["text"]


def test_the_http_gateway_posts_json_with_the_token(sms_gateway) -> None:  # type: ignore[no-untyped-def]
    gateway = HttpJsonSmsGateway(url=sms_gateway.url, token="s3cret-token", timeout=5)
    gateway.send("13800000000", "您的诉求已受理。")
    [request] = sms_gateway.received
    assert request["path"] == "/v1/sms"
    assert request["authorization"] == "Bearer s3cret-token"
    assert request["content_type"].startswith("application/json")
    assert request["json"] == {"to": "13800000000", "text": "您的诉求已受理。"}


def test_the_http_gateway_raises_on_an_error_status_or_a_timeout(sms_gateway) -> None:  # type: ignore[no-untyped-def]
    gateway = HttpJsonSmsGateway(url=sms_gateway.url, token="t", timeout=5)
    sms_gateway.answers.append(429)
    with pytest.raises(SmsGatewayError, match="HTTP 429"):
        gateway.send("13800000000", "x")
    sms_gateway.delay["seconds"] = 1.0
    with pytest.raises(SmsGatewayError, match="unreachable"):
        HttpJsonSmsGateway(url=sms_gateway.url, token="t", timeout=0.2).send("13800000000", "x")
    with pytest.raises(SmsGatewayError, match="unreachable"):
        HttpJsonSmsGateway(url=f"http://127.0.0.1:{closed_port()}/", token="t").send("13800000000", "x")


def test_the_daily_digest_collapses_a_days_notices_into_one_email(
    city, make_person, settings, mailoutbox, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    User.objects.filter(pk=city.handler.pk).update(email="handler@urban.example.cn")  # default: routine in the digest
    clock = FixedClock(dt.datetime(2026, 3, 2, 15, 0, tzinfo=BEIJING))
    with use_clock(clock):
        with django_capture_on_commit_callbacks(execute=True):
            codes = [submit(city, ContactInput(), title=f"路灯不亮 {n}").tracking_code for n in range(3)]
        assert mailoutbox == []  # nothing by e-mail yet
        waiting = OutboxMessage.objects.filter(user=city.handler, channel=Channel.EMAIL, state=OutboxState.PENDING)
        assert waiting.count() == 3 and all(row.hold_for_digest for row in waiting)

        clock.advance(dt.timedelta(hours=16))  # 07:00 the next morning: too early
        send_daily_digests.enqueue()
        assert mailoutbox == []

        clock.advance(dt.timedelta(hours=1, minutes=5))  # 08:05
        send_daily_digests.enqueue()
        [digest] = mailoutbox
        assert digest.to == ["handler@urban.example.cn"] and "3" in digest.subject
        assert all(code in digest.body for code in codes)
        assert set(
            OutboxMessage.objects.filter(user=city.handler, channel=Channel.EMAIL, kind="new_case").values_list(
                "state", flat=True
            )
        ) == {OutboxState.DIGESTED}

        # Later the same day: one more notice, and the hourly job runs again — no second digest today.
        with django_capture_on_commit_callbacks(execute=True):
            submit(city, ContactInput(), title="路灯不亮 again")
        clock.advance(dt.timedelta(hours=1))
        assert digest_send_daily() == 0 and len(mailoutbox) == 1

        clock.advance(dt.timedelta(days=1))  # the next morning it comes in that day's digest
        assert digest_send_daily() == 1 and len(mailoutbox) == 2 and "1" in mailoutbox[1].subject


def test_urgent_notices_skip_the_digest(
    city, make_person, mailoutbox, beijing_clock, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    User.objects.filter(pk=city.handler.pk).update(email="handler@urban.example.cn")
    with django_capture_on_commit_callbacks(execute=True):
        appeal = submit(city, ContactInput())
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            transition(
                Appeal.objects.select_for_update().get(pk=appeal.pk),
                action="warn",
                actor=None,
                data={"kind": "deadline"},
            )
    [warning] = mailoutbox
    assert warning.to == ["handler@urban.example.cn"] and appeal.tracking_code in warning.subject
    assert OutboxMessage.objects.get(user=city.handler, channel=Channel.EMAIL, kind="new_case").hold_for_digest


def test_the_jobs_are_registered_with_the_scheduler() -> None:
    jobs = registered_jobs()
    assert jobs["notifications.deliver_due"].every == dt.timedelta(minutes=1)
    assert jobs["notifications.daily_digest"].every == dt.timedelta(hours=1)


class RecordingGateway(SmsGateway):
    """Another provider, plugged in by its dotted path."""

    sent: list[tuple[str, str]] = []

    def send(self, phone: str, text: str) -> None:
        RecordingGateway.sent.append((phone, text))


def test_the_console_sender_prints_and_another_gateway_plugs_in_by_its_path(
    city, beijing_clock, settings, capsys, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    settings.MASSLINE_NOTIFY_EMAIL_SENDER = "console"
    settings.MASSLINE_NOTIFY_SMS_SENDER = f"{__name__}.RecordingGateway"
    RecordingGateway.sent.clear()
    with django_capture_on_commit_callbacks(execute=True):
        appeal = submit(city, ContactInput(phone="13700002222", email="zhao@example.cn"), route_after_commit=False)
    printed = capsys.readouterr().out
    assert "To: zhao@example.cn" in printed and appeal.tracking_code in printed
    [(phone, text)] = RecordingGateway.sent
    assert phone == "13700002222" and appeal.tracking_code in text


def test_text_messages_can_be_switched_off(city, beijing_clock, settings, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    settings.MASSLINE_NOTIFY_SMS_SENDER = "off"
    with django_capture_on_commit_callbacks(execute=True):
        submit(city, ContactInput(phone="13700002222"), route_after_commit=False)
    assert not OutboxMessage.objects.filter(channel=Channel.SMS).exists()
