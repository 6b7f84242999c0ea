"""Crash safety, short form (docs/reliability.md; the long form is ``bench/bench_crash.py``): real server and
worker processes killed with SIGKILL mid-work, on the database the suite runs on (SQLite or PostgreSQL).

- Every submission the API acknowledged is stored exactly once, whatever the kills, because clients send an
  unacknowledged one again with the same Idempotency-Key; an appeal whose routing a kill cut short is routed
  by the catch-up job; the audit ledger verifies.
- Every appeal due its deadline warning gets exactly one warn event, and every notice the rules call for
  exists once in the outbox and is sent, however often the worker is killed mid-sweep."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test import override_settings

from .test_worker import database_url

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

from _crash import intake_under_kills, seed_city, seed_due_appeals, sweep_under_kills  # noqa: E402

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": settings.TASK_QUEUES}}


@pytest.fixture
def city() -> Iterator[None]:
    """The demo city's organisation and staff, with tasks queued in the database for the worker processes."""
    with override_settings(TASKS=DATABASE_QUEUE):
        seed_city()
        yield


def var_dir() -> Path:
    """Files of the children (static files, outbox, logs): kept between runs, so that a restarted server does
    not collect the static files again."""
    return Path(settings.VAR_DIR) / f"crash-{connection.vendor}"


def test_acknowledged_submissions_are_stored_once_through_server_kills(city: None) -> None:
    outcome = intake_under_kills(database_url=database_url(), var_dir=var_dir(), submissions=40, kills=2, threads=4)
    assert outcome.kills == 2
    assert outcome.retries > 0  # the clients really lost answers to the kills
    assert outcome.acknowledged == outcome.submissions == 40
    assert outcome.stored == 40
    assert outcome.duplicates == 0
    assert outcome.lost == 0 and outcome.mismatched == 0
    assert outcome.unrouted == 0
    assert outcome.audit_ok, outcome.audit_message
    assert outcome.locked_lines == []


def test_every_due_warning_is_raised_once_through_worker_kills(city: None) -> None:
    due = seed_due_appeals(120, title_prefix="sweep-")
    assert len(due) >= 100  # routed appeals, open, past their warning time

    outcome = sweep_under_kills(database_url=database_url(), var_dir=var_dir(), due_ids=due, kills=2)

    assert outcome.kills == 2
    assert outcome.warned_once == len(due)
    assert outcome.lost == 0 and outcome.duplicated == 0
    assert outcome.unprepared == 0 and outcome.missing_rows == 0
    assert outcome.rows > 0 and outcome.emails > 0  # the handlers of the units were told
    assert outcome.emails_unsent == 0
    assert outcome.email_files == outcome.emails  # one file per e-mail: a re-send overwrote its own
    assert outcome.audit_ok, outcome.audit_message
    assert outcome.locked_lines == []


def test_catch_up_routes_an_appeal_left_unrouted_by_a_crash(city: None) -> None:
    """A process that dies between the submission's commit and its routing leaves it ``received`` with no
    task queued; the periodic catch-up routes it once it is a minute old, and leaves a fresh one to the
    request that is routing it."""
    from massline.appeals.models import Appeal
    from massline.appeals.services.intake import appeal_submit
    from massline.appeals.tasks import route_catch_up
    from massline.core.clock import FixedClock, use_clock
    from massline.org.models import Area, Category

    area = Area.objects.filter(level__gte=4).order_by("code").first()
    category = Category.objects.filter(depth=1).order_by("code").first()
    start = FixedClock(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC))
    with use_clock(start):
        stranded = appeal_submit(
            actor=None,
            kind="complaint",
            channel="api",
            title="路灯不亮",
            description="晚上小区门口一段路没有路灯，希望尽快修复。",
            area=area,
            category=category,
            route_after_commit=False,  # as if the process died right after the commit
        ).appeal
    with use_clock(FixedClock(start.now() + dt.timedelta(seconds=30))):
        assert route_catch_up.call() == 0
    assert Appeal.objects.get(pk=stranded.pk).state == "received"
    with use_clock(FixedClock(start.now() + dt.timedelta(minutes=2))):
        assert route_catch_up.call() == 1
    assert Appeal.objects.get(pk=stranded.pk).state in ("dispatched", "pending_dispatch")
