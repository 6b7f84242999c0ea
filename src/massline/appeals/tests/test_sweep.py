"""The deadline sweep across Mid-Autumn (Fri 25 Sep 2026) and National Day (1–7 Oct; Sat 10 Oct worked): the unit
that lets the objection period pass has accepted; a warning near the deadline; overdue to the unit leader at
the deadline; to the supervisors one working day later — after the holiday, not during it. Nothing twice."""

import datetime as dt

import pytest

from massline.appeals.models import Appeal
from massline.appeals.services import appeal_route, appeal_submit, supervision_order_issue
from massline.appeals.sweep import deadline_sweep
from massline.appeals.transitions import State
from massline.audit.models import AuditRecord
from massline.core.clock import FixedClock, use_clock

from .test_loop import beijing, end_of, submit

pytestmark = pytest.mark.django_db


def actions(appeal: Appeal) -> list[str]:
    return list(appeal.events.values_list("action", flat=True))


def sweep_at(day: str, hour: int = 10) -> dict[str, int]:
    with use_clock(FixedClock(beijing(day, hour))):
        return deadline_sweep().counts


def test_a_silent_unit_has_accepted_when_the_objection_period_ends(city) -> None:  # type: ignore[no-untyped-def]
    with use_clock(FixedClock(beijing("2026-09-22"))):
        appeal = appeal_route(appeal=submit(city).appeal)
    assert appeal.due_at == end_of("2026-09-30")  # 23, 24, (Mid-Autumn), 28, 29, 30
    assert sweep_at("2026-09-24", 23)["auto_accepted"] == 0  # still within its 2 working days
    assert sweep_at("2026-09-25")["auto_accepted"] == 1
    appeal.refresh_from_db()
    assert appeal.state == State.IN_PROGRESS
    assert actions(appeal)[-1] == "accept"
    assert appeal.events.last().data["automatic"] is True  # type: ignore[union-attr]


def test_warning_overdue_and_escalation_across_national_day(city) -> None:  # type: ignore[no-untyped-def]
    with use_clock(FixedClock(beijing("2026-09-22"))):
        appeal = appeal_route(appeal=submit(city).appeal)
    warn_at = appeal.warn_at
    assert warn_at is not None and beijing("2026-09-22") < warn_at < appeal.due_at  # type: ignore[operator]
    with use_clock(FixedClock(warn_at - dt.timedelta(minutes=1))):
        assert deadline_sweep().counts["warned"] == 0
    with use_clock(FixedClock(warn_at + dt.timedelta(minutes=1))):
        assert deadline_sweep().counts["warned"] == 1
        assert deadline_sweep().counts["warned"] == 0  # the same warning never goes twice
    counts = sweep_at("2026-10-01", 0)
    assert counts["overdue"] == 1 and counts["escalated"] == 0
    appeal.refresh_from_db()
    assert appeal.escalation_level == 1
    assert appeal.events.filter(action="overdue").get().data["level"] == 1
    # One working day after the deadline is the end of 8 October: the holiday does not count.
    assert sweep_at("2026-10-05")["escalated"] == 0
    assert sweep_at("2026-10-08", 23)["escalated"] == 0
    assert sweep_at("2026-10-09", 0)["escalated"] == 1
    assert sweep_at("2026-10-09", 1) == {
        "auto_accepted": 0,
        "warned": 0,
        "overdue": 0,
        "escalated": 0,
        "supervision_overdue": 0,
    }
    appeal.refresh_from_db()
    assert appeal.escalation_level == 2
    assert [e.data["level"] for e in appeal.events.filter(action="overdue")] == [1, 2]
    assert AuditRecord.objects.filter(event="appeals.appeal.overdue", target_id=str(appeal.pk)).count() == 2


def test_an_answered_appeal_is_left_alone(city) -> None:  # type: ignore[no-untyped-def]
    from massline.appeals.services import appeal_reply, assignment_accept

    with use_clock(FixedClock(beijing("2026-09-23"))):
        appeal = appeal_route(appeal=submit(city).appeal)
        appeal = assignment_accept(actor=city.handler, appeal=appeal)
        appeal_reply(actor=city.handler, appeal=appeal, outcome="solved", text="已修复，感谢您的反映。")
    assert sweep_at("2026-10-12") == {
        "auto_accepted": 0,
        "warned": 0,
        "overdue": 0,
        "escalated": 0,
        "supervision_overdue": 0,
    }


def test_an_appeal_waiting_for_a_dispatcher_warns_the_dispatchers(city) -> None:  # type: ignore[no-untyped-def]
    with use_clock(FixedClock(beijing("2026-09-23"))):
        appeal = appeal_route(appeal=submit(city, category=None).appeal)
    assert appeal.state == State.PENDING_DISPATCH and appeal.due_at is None
    assert sweep_at("2026-09-23", 11)["warned"] == 0
    assert sweep_at("2026-09-23", 13)["warned"] == 1  # the policy allows 2 hours
    assert appeal.events.get(action="warn").data["kind"] == "dispatch_wait"


def test_an_unanswered_supervision_order_is_reported_once(city) -> None:  # type: ignore[no-untyped-def]
    with use_clock(FixedClock(beijing("2026-09-21"))):
        appeal = appeal_route(appeal=submit(city).appeal)
        order = supervision_order_issue(actor=city.supervisor, appeal=appeal, instruction="请于三日内回复处理进展")
    assert order.due_at == end_of("2026-09-24")  # 3 working days
    assert sweep_at("2026-09-25", 9)["supervision_overdue"] == 1
    assert sweep_at("2026-09-25", 10)["supervision_overdue"] == 0


def test_the_sweep_reads_only_due_rows(city, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    """With nothing due, a pass is a handful of index lookups, however many appeals are open."""
    with use_clock(FixedClock(beijing("2026-09-23"))):
        for n in range(30):
            appeal_submit(actor=None, kind="complaint", channel="web", title=f"问题{n}", description="描述")
    with django_assert_max_num_queries(7):
        sweep_at("2026-09-23", 10)
