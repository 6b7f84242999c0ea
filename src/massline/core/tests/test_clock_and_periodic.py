import datetime as dt

import pytest
import time_machine

from massline.core import clock
from massline.core.clock import FixedClock, use_clock
from massline.core.models import Heartbeat, PeriodicRun
from massline.core.periodic import enqueue_due_jobs, slot_start


def test_fixed_clock_is_used_inside_the_block_only() -> None:
    moment = dt.datetime(2026, 10, 1, 8, 0, tzinfo=dt.UTC)
    with use_clock(FixedClock(moment)):
        assert clock.now() == moment
        assert clock.today() == dt.date(2026, 10, 1)
    assert clock.now() != moment


def test_system_clock_follows_time_machine() -> None:
    with time_machine.travel(dt.datetime(2026, 2, 16, 23, 30, tzinfo=dt.UTC), tick=False):
        assert clock.now() == dt.datetime(2026, 2, 16, 23, 30, tzinfo=dt.UTC)
        assert clock.today() == dt.date(2026, 2, 17)  # already the 17th in Beijing


def test_fixed_clock_refuses_naive_times() -> None:
    with pytest.raises(ValueError):
        FixedClock(dt.datetime(2026, 1, 1))


def test_slots_are_aligned() -> None:
    every = dt.timedelta(minutes=15)
    assert slot_start(dt.datetime(2026, 3, 2, 9, 44, 59, tzinfo=dt.UTC), every) == dt.datetime(
        2026, 3, 2, 9, 30, tzinfo=dt.UTC
    )


@pytest.mark.django_db
def test_periodic_jobs_are_enqueued_once_per_slot(fixed_clock: FixedClock, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        first = enqueue_due_jobs()
    assert "core.worker_heartbeat" in first
    assert enqueue_due_jobs() == []  # the same slot: nothing again
    assert PeriodicRun.objects.filter(job="core.worker_heartbeat").count() == 1
    assert Heartbeat.objects.get(name="worker").last_seen == fixed_clock.now()  # ran inline in tests
    fixed_clock.advance(dt.timedelta(minutes=1))
    assert "core.worker_heartbeat" in enqueue_due_jobs()
    assert PeriodicRun.objects.filter(job="core.worker_heartbeat").count() == 2
    fixed_clock.advance(dt.timedelta(days=8))
    enqueue_due_jobs()
    assert PeriodicRun.objects.filter(job="core.worker_heartbeat").count() == 1  # week-old slots pruned
