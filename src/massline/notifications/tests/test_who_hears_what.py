"""Who hears about each step of a real appeal, run through the appeal services: the citizen on the channels
they gave, the responsible unit, the dispatchers, the supervisors — and nobody outside for an anonymous appeal,
and never the citizen's name or phone in what staff receive."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils.translation import override

from massline.accounts.models import User
from massline.appeals.choices import Outcome, Satisfaction
from massline.appeals.models import Appeal
from massline.appeals.notify import notify_event
from massline.appeals.services import (
    ContactInput,
    appeal_dispatch,
    appeal_rate,
    appeal_reply,
    appeal_submit,
    assignment_accept,
    assignment_object,
)
from massline.appeals.transitions import State, transition
from massline.notifications.models import Audience, Channel, OutboxMessage, OutboxState
from massline.notifications.services import preference_set

from .conftest import SITE

pytestmark = pytest.mark.django_db

NAME, PHONE, EMAIL = "王秀英", "13812345678", "wang.xiuying@example.cn"


def submit(city: Any, **changes: Any) -> Appeal:
    fields: dict[str, Any] = {
        "actor": None,
        "kind": "complaint",
        "channel": "web",
        "title": "和平路有个大坑",
        "description": "和平路与东风路口有一个很深的坑，已经有电动车摔倒。",
        "area": city.community_a,
        "category": city.potholes,
        "contact": ContactInput(name=NAME, phone=PHONE, email=EMAIL),
        "passphrase": "my-secret-1",
    }
    fields.update(changes)
    return Appeal.objects.get(pk=appeal_submit(**fields).appeal.pk)


def staff_with_email(user: User, email: str, language: str = "") -> User:
    User.objects.filter(pk=user.pk).update(email=email, preferred_language=language)
    user.refresh_from_db()
    preference_set(user=user, routine="immediate", urgent="immediate")
    return user


def side_step(appeal: Appeal, action: str, **data: Any) -> None:
    """A step recorded by the state machine (the deadline sweep and supervision services record theirs so)."""
    with transaction.atomic():
        locked = Appeal.objects.select_for_update().get(pk=appeal.pk)
        transition(locked, action=action, actor=None, data=data)


def inbox(user: User) -> list[OutboxMessage]:
    return list(OutboxMessage.objects.filter(user=user, channel=Channel.INAPP).order_by("id"))


def sms_files(settings: Any) -> list[str]:
    directory = Path(settings.MASSLINE_NOTIFY_OUTBOX_DIR)
    return [path.read_text(encoding="utf-8") for path in sorted(directory.glob("*.txt"))] if directory.exists() else []


def test_the_citizen_gets_a_receipt_and_is_told_who_handles_it(
    city, beijing_clock, mailoutbox, settings, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        appeal = submit(city)
    appeal.refresh_from_db()
    assert appeal.state == State.DISPATCHED  # routed after commit, through the task

    to_citizen = [message for message in mailoutbox if message.to == [EMAIL]]
    assert len(to_citizen) == 2
    receipt, dispatched = to_citizen
    assert appeal.tracking_code in receipt.subject
    assert f"{SITE}/appeals/track/{appeal.tracking_code}/" in receipt.body
    assert "城市管理局" in dispatched.subject and "2026" in dispatched.body  # the office and its deadline

    texts = sms_files(settings)
    assert len(texts) == 2 and all(f"To: {PHONE}" in text for text in texts)
    assert any(appeal.tracking_code in text and "/appeals/track/" in text for text in texts)
    # Delivered rows keep no address: the outbox is not a second copy of the citizen's contact details.
    sent = OutboxMessage.objects.filter(audience=Audience.CITIZEN)
    assert sent.count() == 4 and set(sent.values_list("state", "address")) == {(OutboxState.SENT, "")}


def test_the_lead_units_handlers_and_leader_hear_of_a_new_case_and_no_one_else(
    city, beijing_clock, make_person, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    leader = make_person("unit_leader", unit=city.urban_bureau)
    with django_capture_on_commit_callbacks(execute=True):
        appeal = submit(city)
    for person in (city.handler, leader):
        [notice] = inbox(person)
        assert notice.kind == "new_case" and appeal.tracking_code in notice.subject
        assert notice.url == f"/appeals/work/{appeal.tracking_code}/"
        assert f"{SITE}/appeals/work/{appeal.tracking_code}/" in notice.body
    for person in (city.street_handler, city.outsider, city.dispatcher, city.supervisor, city.operator):
        assert inbox(person) == []


def test_the_dispatchers_hear_of_appeals_waiting_for_them_and_of_returns(
    city, beijing_clock, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        appeal = submit(city, category=None)  # no matrix answer: it waits for a person
    assert [n.kind for n in inbox(city.dispatcher)] == ["waiting_dispatch"]
    assert inbox(city.handler) == []

    with django_capture_on_commit_callbacks(execute=True):
        appeal_dispatch(actor=city.dispatcher, appeal=appeal, lead_unit=city.urban_bureau)
        assignment_object(actor=city.handler, appeal=appeal, reason="坑在小区内部道路，归物业")
    assert [n.kind for n in inbox(city.handler)] == ["new_case"]
    assert [n.kind for n in inbox(city.dispatcher)] == ["waiting_dispatch", "returned"]


def test_an_anonymous_appeal_sends_nothing_outside(
    city, beijing_clock, mailoutbox, settings, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        appeal = submit(city, anonymous=True)
    with django_capture_on_commit_callbacks(execute=True):
        assignment_accept(actor=city.handler, appeal=appeal)
        appeal_reply(actor=city.handler, appeal=appeal, outcome=Outcome.SOLVED, text="已安排养护队填补，感谢反映。")
    assert mailoutbox == [] and sms_files(settings) == []
    assert not OutboxMessage.objects.filter(audience=Audience.CITIZEN).exists()
    assert [n.kind for n in inbox(city.handler)] == ["new_case"]  # the work itself still reaches the unit


def test_the_unit_complained_about_never_reads_the_citizens_name_or_phone(
    city, beijing_clock, make_person, mailoutbox, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    """The citizen did not ask for confidentiality and even wrote their name and phone into the title."""
    handler = staff_with_email(city.handler, "handler@urban.example.cn")
    leader = staff_with_email(make_person("unit_leader", unit=city.urban_bureau), "leader@urban.example.cn")
    supervisor = staff_with_email(city.supervisor, "supervisor@city.example.cn")
    dispatcher = staff_with_email(city.dispatcher, "dispatch@12345.example.cn")
    title = f"{NAME}（{PHONE}）反映和平路有个大坑"
    with django_capture_on_commit_callbacks(execute=True):
        appeal = submit(city, title=title, category=None, contact_confidential=False)
    with django_capture_on_commit_callbacks(execute=True):
        appeal_dispatch(actor=dispatcher, appeal=appeal, lead_unit=city.urban_bureau)
        assignment_accept(actor=handler, appeal=appeal)
        side_step(appeal, "warn", kind="deadline")
        side_step(appeal, "overdue", level=1)
        appeal_reply(actor=handler, appeal=appeal, outcome=Outcome.SOLVED, text="已联系王秀英女士，坑已填平。")
        appeal_rate(
            actor=None, appeal=appeal, satisfaction=Satisfaction.DISSATISFIED, solved=False, passphrase="my-secret-1"
        )
        appeal_reply(actor=handler, appeal=appeal, outcome=Outcome.SOLVED, text="再次核实，已经彻底修复。")
        appeal_rate(
            actor=None, appeal=appeal, satisfaction=Satisfaction.DISSATISFIED, solved=False, passphrase="my-secret-1"
        )

    staff_rows = OutboxMessage.objects.filter(audience=Audience.STAFF)
    kinds = set(staff_rows.values_list("kind", flat=True))
    assert {"waiting_dispatch", "new_case", "due_soon", "overdue", "reopened", "review_needed"} <= kinds
    assert staff_rows.filter(user=leader, kind="overdue").exists()
    assert staff_rows.filter(user=supervisor, kind="review_needed").exists()
    for row in staff_rows:
        assert NAME not in row.subject + row.body and PHONE not in row.subject + row.body, row.kind
        assert appeal.tracking_code in row.subject + row.body
    staff_mail = [m for m in mailoutbox if m.to != [EMAIL]]
    assert {m.to[0] for m in staff_mail} == {
        "handler@urban.example.cn",
        "leader@urban.example.cn",
        "supervisor@city.example.cn",
        "dispatch@12345.example.cn",  # told it was waiting; not told of the dispatch they made themself
    }
    for message in staff_mail:
        assert NAME not in message.subject + message.body and PHONE not in message.subject + message.body
    # The citizen's own answer arrives, masked as on the public page.
    reply = [m for m in mailoutbox if m.to == [EMAIL] and "已经彻底修复" in m.body]
    assert len(reply) == 1 and f"/appeals/track/{appeal.tracking_code}/" in reply[0].body


def test_notifying_the_same_event_twice_sends_once(
    city, beijing_clock, mailoutbox, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    staff_with_email(city.handler, "handler@urban.example.cn")
    with django_capture_on_commit_callbacks(execute=True):
        appeal = submit(city)
    sent_before, rows_before = len(mailoutbox), OutboxMessage.objects.count()
    assert sent_before == 3  # receipt and "being handled" to the citizen, "new case" to the handler
    dispatch = appeal.events.get(action="dispatch")
    with django_capture_on_commit_callbacks(execute=True):
        notify_event(dispatch.pk)
        notify_event(dispatch.pk)
    assert len(mailoutbox) == sent_before and OutboxMessage.objects.count() == rows_before


def test_notify_event_never_raises_into_the_step(city, caplog) -> None:  # type: ignore[no-untyped-def]
    notify_event(987654321)  # no such event: logged, nothing raised, nothing queued for anyone
    assert "appeal event 987654321 does not exist" in caplog.text
    assert not OutboxMessage.objects.exists()


def test_overdue_goes_to_the_unit_leader_then_to_the_supervisors(
    city, beijing_clock, make_person, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    leader = make_person("unit_leader", unit=city.urban_bureau)
    elsewhere = make_person("supervisor", area=city.district_b)
    with django_capture_on_commit_callbacks(execute=True):
        appeal = submit(city)
    with django_capture_on_commit_callbacks(execute=True):
        assignment_accept(actor=city.handler, appeal=appeal)
        side_step(appeal, "overdue", level=1)
    assert [n.kind for n in inbox(leader)] == ["new_case", "overdue"]
    assert [n.kind for n in inbox(city.handler)] == ["new_case"] and inbox(city.supervisor) == []
    with django_capture_on_commit_callbacks(execute=True):
        side_step(appeal, "overdue", level=2)
    [notice] = inbox(city.supervisor)
    assert notice.kind == "overdue" and notice.urgent
    assert inbox(elsewhere) == []  # a supervisor of another district
    assert [n.kind for n in inbox(leader)] == ["new_case", "overdue"]


def test_supervision_and_extension_requests_reach_the_right_people(
    city, beijing_clock, make_person, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    leader = make_person("unit_leader", unit=city.urban_bureau)
    with django_capture_on_commit_callbacks(execute=True):
        appeal = submit(city)
    with django_capture_on_commit_callbacks(execute=True):
        assignment_accept(actor=city.handler, appeal=appeal)
        side_step(appeal, "supervise")
        side_step(appeal, "request_extension", days=3)
    assert [n.kind for n in inbox(city.handler)] == ["new_case", "supervision_order"]
    assert [n.kind for n in inbox(leader)] == ["new_case", "supervision_order", "extension_requested"]
    assert [n.kind for n in inbox(city.dispatcher)] == ["extension_requested"]


def test_each_person_reads_in_their_language(
    city, beijing_clock, mailoutbox, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    staff_with_email(city.handler, "handler@urban.example.cn", language="en")
    with override("en"):  # the citizen submitted from the English page
        with django_capture_on_commit_callbacks(execute=True):
            appeal = submit(city)
    [handler_notice] = inbox(city.handler)
    assert handler_notice.language == "en" and "Urban Management Bureau" in handler_notice.body
    dispatched = OutboxMessage.objects.get(audience=Audience.CITIZEN, channel=Channel.EMAIL, kind="dispatched")
    assert dispatched.language == "en" and "Urban Management Bureau" in dispatched.subject

    with override("zh-hans"), django_capture_on_commit_callbacks(execute=True):
        appeal_two = submit(city, title="另一个坑")  # from a Chinese page
    assert appeal_two.pk != appeal.pk
    chinese = OutboxMessage.objects.get(
        appeal=appeal_two, audience=Audience.CITIZEN, channel=Channel.EMAIL, kind="dispatched"
    )
    assert chinese.language == "zh-hans" and "城市管理局" in chinese.subject


def test_the_citizen_is_written_to_in_the_page_s_language_by_the_worker(
    city, beijing_clock, mailoutbox, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    """The messages are prepared later by the worker, where no request says which language is active: the
    language of the page the citizen submitted from is recorded with the submission."""
    from massline.appeals.notify import notifications_drain

    with override("en"), django_capture_on_commit_callbacks(execute=False):  # the English page; nothing run yet
        appeal = submit(city)
    with override("zh-hans"):  # the worker's own language, whatever it is
        assert notifications_drain() >= 1
    messages = OutboxMessage.objects.filter(appeal=appeal, audience=Audience.CITIZEN, channel=Channel.EMAIL)
    assert {message.kind: message.language for message in messages} == {"receipt": "en"}
    receipt = messages.get()
    assert appeal.tracking_code in receipt.subject and "城市" not in receipt.subject + receipt.body


def test_the_staff_page_lists_marks_read_and_saves_preferences(
    client, city, beijing_clock, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        appeal = submit(city)
    client.force_login(city.handler)
    page = client.get(reverse("notifications:inbox"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert appeal.tracking_code in page and f'href="/appeals/work/{appeal.tracking_code}/"' in page
    assert "You have 1 unread notification." in page
    assert 'class="badge">1<span class="visually-hidden"> unread' in page  # the count in the site header
    assert NAME not in page and PHONE not in page
    assert " style=" not in page and "<script>" not in page  # strict CSP: no inline style or script

    assert client.get(reverse("notifications:mark_all_read")).status_code == 405  # a change needs a POST
    assert client.post(reverse("notifications:mark_all_read")).status_code == 302
    page = client.get(reverse("notifications:inbox"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "You have 0 unread notifications." in page and 'class="badge">1' not in page

    bad = client.post(reverse("notifications:preferences"), {"routine": "hourly", "urgent": "immediate"})
    assert bad.status_code == 400
    assert (
        client.post(reverse("notifications:preferences"), {"routine": "immediate", "urgent": "digest"}).status_code
        == 302
    )
    preference = city.handler.notification_preference
    assert (preference.routine, preference.urgent) == ("immediate", "digest")


def test_the_page_is_for_staff_only(client, city, make_person) -> None:  # type: ignore[no-untyped-def]
    assert client.get(reverse("notifications:inbox")).status_code == 302  # to sign in
    client.force_login(make_person("citizen"))
    assert client.get(reverse("notifications:inbox")).status_code == 404


def test_csrf_is_required_to_mark_read(city) -> None:  # type: ignore[no-untyped-def]
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(city.handler)
    assert strict.post(reverse("notifications:mark_all_read")).status_code == 403


def test_a_lost_enqueue_is_caught_up(city) -> None:  # type: ignore[no-untyped-def]
    """The step committed but its notification task never ran (no on-commit here): the periodic catch-up
    prepares the citizen's receipt a minute later, once."""
    import datetime as dt

    from massline.appeals.tasks import notify_catch_up
    from massline.core.clock import FixedClock, use_clock

    moment = FixedClock(dt.datetime(2026, 9, 22, 2, 0, tzinfo=dt.UTC))
    with use_clock(moment):
        appeal = submit(city)
        assert not OutboxMessage.objects.exists()
        assert notify_catch_up.call() == 0  # too fresh: the normal path may still be on its way
        moment.advance(dt.timedelta(minutes=2))
        assert notify_catch_up.call() == 1
        assert notify_catch_up.call() == 0
    receipts = OutboxMessage.objects.filter(appeal=appeal, audience=Audience.CITIZEN)
    assert receipts.exists() and appeal.tracking_code in receipts.first().body  # type: ignore[union-attr]
