"""A flood of submissions: the notifications of many appeals are prepared by one task in one transaction, and
each citizen, unit and partner still hears of each step exactly once, in the citizen's language."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.translation import override

from massline.appeals.models import Appeal, AppealEvent
from massline.appeals.services import ContactInput, appeal_submit
from massline.appeals.services.intake import route_leaving_notifications
from massline.appeals.tasks import notify_catch_up, prepare_appeal_notifications, prepare_pending_notifications
from massline.core.clock import FixedClock, use_clock
from massline.notifications.models import Audience, Channel, OutboxMessage
from massline.open311.models import WebhookDelivery
from massline.open311.tests.test_webhooks import Receiver
from massline.open311.webhooks import webhook_subscribe

pytestmark = pytest.mark.django_db


def flood(city: Any, count: int, *, confidential: bool = False, two_units: bool = False) -> list[Appeal]:
    """``count`` appeals stored and routed whose notifications nobody has prepared yet, as after a burst that
    the worker has not caught up with (the routing steps leave their notices to the caller)."""
    appeals = []
    for number in range(count):
        stored = appeal_submit(
            actor=None,
            kind="complaint",
            channel="web",
            title=f"和平路第{number}号路灯不亮",
            description=f"和平路{number}号门口的路灯坏了一个星期，晚上很黑。",
            area=city.community_a,
            # With ``two_units``, noise every other time: the street's office leads those, the city's bureau the rest.
            category=city.noise if two_units and number % 2 else city.potholes,
            contact=ContactInput(name="王秀英", phone=f"1381234{number:04d}", email=f"citizen{number}@example.cn"),
            contact_confidential=confidential,
            publish_consent=True,
            route_after_commit=False,
        ).appeal
        appeals.append(route_leaving_notifications(stored.pk))
    return appeals


def test_one_task_prepares_a_flood_and_nobody_hears_twice(
    city, beijing_clock, mailoutbox, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    appeals = flood(city, 6)
    assert AppealEvent.objects.filter(notified_at__isnull=True).count() == 12  # submit and dispatch of each

    with django_capture_on_commit_callbacks(execute=True):
        assert prepare_appeal_notifications.call(appeals[2].pk) == 12  # its own two events and the others'
    assert not AppealEvent.objects.filter(notified_at__isnull=True).exists()
    for number, appeal in enumerate(appeals):
        to_citizen = [m for m in mailoutbox if m.to == [f"citizen{number}@example.cn"]]
        assert len(to_citizen) == 2 and all(appeal.tracking_code in m.subject for m in to_citizen)
    notices = OutboxMessage.objects.filter(user=city.handler, channel=Channel.INAPP)
    assert sorted(notices.values_list("appeal_id", flat=True)) == sorted(a.pk for a in appeals)

    # The other appeals' own tasks, and the catch-up, find nothing left to do.
    sent = len(mailoutbox)
    with django_capture_on_commit_callbacks(execute=True):
        assert [prepare_appeal_notifications.call(appeal.pk) for appeal in appeals] == [0] * 6
        assert notify_catch_up.call() == 0
    assert len(mailoutbox) == sent and OutboxMessage.objects.filter(user=city.handler).count() == 6


def test_a_bigger_flood_costs_no_more_statements(city, beijing_clock) -> None:  # type: ignore[no-untyped-def]
    """The recipients, their preferences and the citizens' languages are read once per batch, not per appeal."""

    def statements_for(count: int) -> int:
        appeals = flood(city, count, two_units=True)
        assert len({appeal.lead_unit_id for appeal in appeals}) == min(count, 2)
        with CaptureQueriesContext(connection) as queries:
            prepare_appeal_notifications.call(appeals[0].pk)
        assert not AppealEvent.objects.filter(notified_at__isnull=True).exists()
        return len(queries)

    statements_for(1)  # the webhook subscriptions, remembered by the process
    # One appeal and one unit, then six appeals and two units: the same statements.
    # (Kept under SQLite's 999 parameters per statement, past which Django splits one bulk insert in two.)
    assert statements_for(6) == statements_for(1)


def test_each_citizen_hears_in_the_language_they_wrote_in(city, beijing_clock) -> None:  # type: ignore[no-untyped-def]
    with override("en"):  # the language of the page they submitted from
        appeals = flood(city, 3)
    with override("zh-hans"):  # the worker's own, which does not matter
        prepare_appeal_notifications.call(appeals[0].pk)
    to_citizens = OutboxMessage.objects.filter(audience=Audience.CITIZEN, channel=Channel.EMAIL)
    assert to_citizens.count() == 6 and set(to_citizens.values_list("language", flat=True)) == {"en"}
    # A later step, prepared in another language's context, still speaks the citizen's.
    with override("zh-hans"):
        later = flood(city, 1)[0]
    AppealEvent.objects.filter(appeal__in=appeals, action="dispatch").update(notified_at=None)
    OutboxMessage.objects.filter(event__appeal__in=appeals, event__action="dispatch").delete()
    with override("en"):
        prepare_appeal_notifications.call(later.pk)
    for appeal in appeals:
        assert set(
            OutboxMessage.objects.filter(appeal=appeal, audience=Audience.CITIZEN).values_list("language", flat=True)
        ) == {"en"}
    assert set(
        OutboxMessage.objects.filter(appeal=later, audience=Audience.CITIZEN).values_list("language", flat=True)
    ) == {"zh-hans"}


@pytest.mark.django_db(transaction=True)
def test_partners_hear_each_public_step_of_a_flood_once(city: Any) -> None:
    receiver = Receiver()
    try:
        webhook_subscribe(actor=None, name="city app", url=receiver.url)
        public = flood(city, 3)
        flood(city, 2, confidential=True)  # never for partners
        prepare_appeal_notifications.call(public[0].pk)
        prepare_appeal_notifications.call(public[1].pk)  # nothing left: no second delivery
        bodies = [json.loads(item["body"]) for item in receiver.received]
    finally:
        receiver.close()
    heard = sorted((body["service_request"]["service_request_id"], body["event"]) for body in bodies)
    assert heard == sorted((a.tracking_code, step) for a in public for step in ("appeal.submit", "appeal.dispatch"))
    assert WebhookDelivery.objects.count() == 6


def test_a_step_older_than_the_batch_is_caught_up_with_the_rest(city, beijing_clock) -> None:  # type: ignore[no-untyped-def]
    """The periodic catch-up prepares lost tasks' events in batches too."""
    appeals = flood(city, 4)
    with use_clock(FixedClock(beijing_clock.now() + dt.timedelta(minutes=5))):
        assert notify_catch_up.call() == 8
    assert OutboxMessage.objects.filter(user=city.handler, channel=Channel.INAPP).count() == 4
    assert Appeal.objects.filter(pk__in=[a.pk for a in appeals], events__notified_at__isnull=True).count() == 0


def test_with_a_shared_cache_a_flood_queues_one_drain_and_every_step_is_prepared(
    city, beijing_clock, settings, monkeypatch, mailoutbox, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    """With Redis, the web processes queue one drain for all the steps taken until it starts, not one task per
    appeal (the test's cache is the process's own, shared here by the "web" and the inline "worker")."""
    from django.core.cache import cache

    from massline.appeals import notify

    settings.MASSLINE_NOTIFY_COALESCE = True
    drains: list[int] = []
    drain = notify.notifications_drain

    def counted() -> int:
        drains.append(drain())
        return drains[-1]

    monkeypatch.setattr(notify, "notifications_drain", counted)  # what the queued task runs
    # A drain already waits in the queue (its mark is set): the steps of a burst queue nothing more...
    cache.add(notify.DRAIN_QUEUED, 1)
    appeals = flood(city, 4)
    for appeal in appeals:
        notify.notify_appeal(appeal.pk)
    assert drains == [] and len(mailoutbox) == 0
    # ...and that one drain, when it runs, prepares all of them.
    with django_capture_on_commit_callbacks(execute=True):
        prepare_pending_notifications.call()
    assert drains == [8] and len(mailoutbox) == 8  # a receipt and a "being handled" to each citizen
    # The next submission after the drain started queues the next drain, which prepares its two steps.
    with django_capture_on_commit_callbacks(execute=True):
        appeal_submit(
            actor=None,
            kind="help",
            channel="web",
            title="楼道灯坏了",
            description="三单元楼道灯坏了，晚上上楼看不见。",
            area=city.community_a,
            category=city.potholes,
            contact=ContactInput(name="李四", phone="13900001111", email="li@example.cn"),
        )
    # (The test's outer transaction runs the routing step's own commit hook late, after the drain: a third
    # drain finds nothing left. In a worker that hook runs inside the routing and queues nothing.)
    assert drains[:2] == [8, 2] and sum(drains) == 10
    assert len([m for m in mailoutbox if m.to == ["li@example.cn"]]) == 2
    assert not AppealEvent.objects.filter(notified_at__isnull=True).exists()
    assert cache.get(notify.DRAIN_QUEUED) is None


def test_a_step_that_cannot_be_prepared_does_not_hold_back_the_others(city, beijing_clock, monkeypatch, caplog) -> None:  # type: ignore[no-untyped-def]
    from massline.appeals import notify
    from massline.notifications import services

    appeals = flood(city, 3)
    broken = appeals[1].tracking_code
    render = services.render_citizen

    def failing(message: str, **context: Any) -> Any:
        if context["appeal"].tracking_code == broken:
            raise RuntimeError("a template that cannot be rendered")
        return render(message, **context)

    monkeypatch.setattr(services, "render_citizen", failing)
    assert notify.notifications_drain() == 4
    assert "could not be prepared" in caplog.text
    unprepared = AppealEvent.objects.filter(notified_at__isnull=True)
    assert set(unprepared.values_list("appeal__tracking_code", flat=True)) == {broken}
    assert OutboxMessage.objects.filter(user=city.handler).count() == 2  # the other two appeals' new cases
    # Once it can be prepared, the catch-up does it.
    monkeypatch.setattr(services, "render_citizen", render)
    with use_clock(FixedClock(beijing_clock.now() + dt.timedelta(minutes=5))):
        assert notify_catch_up.call() == 2
    assert not unprepared.exists()
