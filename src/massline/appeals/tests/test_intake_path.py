"""The intake path of decision 0007: an appeal is routed in the request once its submission has committed, reads
its reference data from the process memos, sees an administrator's edit at once in the process that made it,
and keeps the submission when routing fails."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from massline.appeals.models import Appeal, Assignment
from massline.appeals.services import appeal_submit
from massline.appeals.transitions import State
from massline.audit.verify import chain_verify
from massline.core.clock import FixedClock, use_clock
from massline.org.services import rule_set
from massline.org.services.calendar import calendar_override_set

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def fresh_limits() -> None:
    caches["ratelimit"].clear()


CALLER = {"name": "王秀英", "phone": "13800000000"}


def submit_json(
    city: Any, *, title: str = "和平路有个大坑", category: Any = None, contact: dict[str, str] | None = CALLER
) -> Any:
    data = {
        "kind": "complaint",
        "title": title,
        "description": "和平路与东风路口有一个很深的坑。",
        "area_code": city.street_a.code,
        "category_code": (category or city.potholes).code,
        "contact": contact,
    }
    return Client().post(
        "/api/v1/appeals", json.dumps(data), content_type="application/json", headers={"Accept-Language": "en"}
    )


def test_an_api_submission_is_answered_already_dispatched_and_audited(city) -> None:  # type: ignore[no-untyped-def]
    response = submit_json(city)
    assert response.status_code == 201
    assert response.json()["state"] == State.DISPATCHED
    appeal = Appeal.objects.get(tracking_code=response.json()["tracking_code"])
    assert appeal.lead_unit == city.urban_bureau and appeal.due_at is not None
    assert list(appeal.events.values_list("action", flat=True).order_by("id")) == ["submit", "dispatch"]
    assert chain_verify().ok


def test_submission_and_routing_stay_within_their_statement_budget(city) -> None:  # type: ignore[no-untyped-def]
    for n in range(2):  # the first creates the default policy, whose save empties the memo once more
        submit_json(city, title=f"先来的第{n}件：记住政策、职责矩阵和日历")
    with CaptureQueriesContext(connection) as captured:
        response = submit_json(city, title="第二件")
    assert response.json()["state"] == State.DISPATCHED
    statements = [q["sql"] for q in captured.captured_queries]
    # Store: appeal, contact, event, audit (3); route: lock, work orders, appeal, event, audit (3) — plus the
    # transaction statements and the rate-limit table of the embedded cache.
    assert not [sql for sql in statements if "org_responsibilityrule" in sql or "org_calendaroverride" in sql]
    assert not [sql for sql in statements if "appeals_appealpolicy" in sql]
    # The notifications task runs inline under the test settings; in production it runs in the worker.
    writes = [
        sql
        for sql in statements
        if sql.startswith(("INSERT", "UPDATE", "WITH"))
        and not any(part in sql for part in ("ratelimit", "notifications_", 'SET "notified_at"'))
    ]
    # An audit record is one statement on PostgreSQL (the record and the chain's head together), two elsewhere.
    assert len(writes) == (8 if connection.vendor == "postgresql" else 10), writes
    # Routing locks the appeal it has just stored instead of reading the whole row (and its joins) again.
    full_reads = [sql for sql in statements if 'FROM "appeals_appeal" ' in sql and '"appeals_appeal"."title"' in sql]
    assert not [sql for sql in full_reads if "earlier" not in sql and '"appeals_appealcontact"."phone"' not in sql]


def contact_reads(captured: CaptureQueriesContext) -> list[str]:
    return [
        q["sql"] for q in captured.captured_queries if q["sql"].startswith("SELECT") and "appealcontact" in q["sql"]
    ]


def test_the_same_caller_saying_the_same_again_is_linked_as_it_arrives(city, settings) -> None:  # type: ignore[no-untyped-def]
    settings.MASSLINE_LINK_SAME_MATTER_DAYS = 30
    start = dt.datetime(2026, 12, 1, 2, 0, tzinfo=dt.UTC)
    with use_clock(FixedClock(start)):
        first = submit_json(city).json()
        with CaptureQueriesContext(connection) as captured:
            again = submit_json(city).json()
    assert first["state"] == State.DISPATCHED
    # The citizen is told at once that the matter is already being handled, and it is not dispatched twice.
    assert again["state"] == State.LINKED
    assert Appeal.objects.get(tracking_code=again["tracking_code"]).linked_to.tracking_code == first["tracking_code"]
    # Routing takes the caller's number from the contact just stored: one query looks for their open appeals.
    # (The notices, prepared inline under the test settings, read the contact with the steps.)
    reads = [sql for sql in contact_reads(captured) if "appeals_appealevent" not in sql]
    assert len(reads) == 1 and "phone" in reads[0], reads

    # Another caller, and a citizen who left no number, are new appeals; without a number nothing is looked up.
    other = submit_json(city, contact={"name": "李明", "phone": "13911112222"}).json()
    assert other["state"] == State.DISPATCHED
    with CaptureQueriesContext(connection) as captured:
        nameless = submit_json(city, contact=None).json()
    assert nameless["state"] == State.DISPATCHED
    assert not [sql for sql in contact_reads(captured) if "appeals_appealevent" not in sql]

    # Once the first is closed, or a month has passed, the same words are a new appeal.
    Appeal.objects.filter(tracking_code=first["tracking_code"]).update(state=State.CLOSED)
    Appeal.objects.filter(tracking_code=again["tracking_code"]).update(state=State.CLOSED)
    with use_clock(FixedClock(start + dt.timedelta(hours=1))):
        assert submit_json(city).json()["state"] == State.DISPATCHED
    with use_clock(FixedClock(start + dt.timedelta(days=31))):
        assert submit_json(city).json()["state"] == State.DISPATCHED
    with use_clock(FixedClock(start + dt.timedelta(days=31, hours=1))):
        assert submit_json(city).json()["state"] == State.LINKED  # the appeal of a moment ago is open


def test_an_appeal_changed_before_it_is_routed_is_routed_as_it_now_is(city) -> None:  # type: ignore[no-untyped-def]
    from massline.appeals.services.intake import route_stored_appeal

    stored = appeal_submit(
        actor=None,
        kind="complaint",
        channel="web",
        title="半夜施工太吵",
        description="工地每天夜里两点还在施工。",
        area=city.street_a,
        category=city.potholes,
        route_after_commit=False,
    ).appeal
    # An operator corrects the topic before routing gets to it: noise in this street is the street's own.
    Appeal.objects.filter(pk=stored.pk).update(
        category=city.noise, updated_at=stored.updated_at + dt.timedelta(seconds=1)
    )
    routed = route_stored_appeal(stored)
    assert routed is not None and routed.state == State.DISPATCHED and routed.category == city.noise
    assert Appeal.objects.get(pk=stored.pk).lead_unit == city.street_a_office


def test_a_matrix_edit_is_followed_at_once_by_the_process_that_made_it(city) -> None:  # type: ignore[no-untyped-def]
    first = Appeal.objects.get(tracking_code=submit_json(city).json()["tracking_code"])
    assert first.lead_unit == city.urban_bureau
    rule_set(actor=None, category=city.potholes, area=city.city, lead_unit=city.district_a_bureau)
    second = Appeal.objects.get(tracking_code=submit_json(city, title="又一个坑").json()["tracking_code"])
    assert second.lead_unit == city.district_a_bureau


def test_a_calendar_override_is_followed_at_once(city) -> None:  # type: ignore[no-untyped-def]
    # Friday 2026-12-04, 10:00 Beijing: two working days to object end on Tuesday; with Monday made a rest
    # day the objection period runs to Wednesday.
    with use_clock(FixedClock(dt.datetime(2026, 12, 4, 2, 0, tzinfo=dt.UTC))):
        before = Appeal.objects.get(tracking_code=submit_json(city).json()["tracking_code"])
        calendar_override_set(actor=None, date=dt.date(2026, 12, 7), is_working_day=False, reason="测试")
        after = Appeal.objects.get(tracking_code=submit_json(city, title="又一个坑").json()["tracking_code"])
    due = [
        Assignment.objects.get(appeal=appeal, role="lead").object_due_at.astimezone(dt.timezone(dt.timedelta(hours=8)))
        for appeal in (before, after)
    ]
    assert [d.date() for d in due] == [dt.date(2026, 12, 8), dt.date(2026, 12, 9)]


def test_a_submission_whose_routing_fails_at_once_is_kept_and_routed_by_the_worker(  # type: ignore[no-untyped-def]
    city, monkeypatch, caplog
) -> None:
    from massline.appeals.services import dispatch

    working = dispatch.appeal_route
    attempts: list[int] = []

    def broken_once(**kwargs: Any) -> Any:
        attempts.append(1)
        if len(attempts) == 1:
            raise RuntimeError("matrix unavailable")
        return working(**kwargs)

    # Only the request's attempt breaks; the worker's task (run inline by the test settings) goes through.
    monkeypatch.setattr(dispatch, "appeal_route", broken_once)
    result = appeal_submit(
        actor=None,
        kind="complaint",
        channel="web",
        title="路灯不亮",
        description="晚上没有路灯。",
        area=city.street_a,
        category=city.potholes,
    )
    assert result.created and result.passphrase
    assert "could not be routed at once" in caplog.text
    appeal = Appeal.objects.get(pk=result.appeal.pk)
    assert appeal.state == State.DISPATCHED and appeal.lead_unit == city.urban_bureau
