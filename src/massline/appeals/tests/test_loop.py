"""The appeal loop through its services: stored first, routed by the matrix, returned and designated,
accepted, answered, rated, reopened, reviewed — with deadlines on the working calendar across the 2026
Spring Festival, and every step on the timeline and the audit ledger."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from massline.appeals.choices import AssignmentRole, Outcome, Satisfaction
from massline.appeals.models import Appeal, AppealContact
from massline.appeals.services import (
    ContactInput,
    appeal_dispatch,
    appeal_rate,
    appeal_reply,
    appeal_review_decide,
    appeal_route,
    appeal_submit,
    assignment_accept,
    assignment_object,
    objection_decide,
)
from massline.appeals.transitions import Group, State, TransitionNotAllowed
from massline.audit.verify import chain_verify
from massline.core.clock import FixedClock, use_clock
from massline.core.errors import PermissionDenied, ValidationFailed

pytestmark = pytest.mark.django_db
BEIJING = ZoneInfo("Asia/Shanghai")


def beijing(day: str, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour), tzinfo=BEIJING)


def end_of(day: str) -> dt.datetime:
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time.max, tzinfo=BEIJING)


def submit(city, **changes):  # type: ignore[no-untyped-def]
    fields = {
        "actor": None,
        "kind": "complaint",
        "channel": "web",
        "title": "和平路有个大坑",
        "description": "和平路与东风路口有一个很深的坑，已经有电动车摔倒。",
        "area": city.community_a,
        "category": city.potholes,
        "contact": ContactInput(name="王女士", phone="13800000000"),
        "passphrase": "my-secret",
    }
    fields.update(changes)
    return appeal_submit(**fields)


def test_a_submission_is_stored_before_anything_else(city) -> None:  # type: ignore[no-untyped-def]
    result = submit(city)
    appeal = Appeal.objects.get(pk=result.appeal.pk)
    assert result.created and result.passphrase == "my-secret"
    assert appeal.state == State.RECEIVED and appeal.state_group == Group.OPEN
    assert len(appeal.tracking_code) == 14 and appeal.lead_unit is None
    assert AppealContact.objects.get(appeal=appeal).phone == "13800000000"
    assert appeal.policy.version == 1


def test_the_same_idempotency_key_never_makes_a_second_appeal(city) -> None:  # type: ignore[no-untyped-def]
    first = submit(city, idempotency_key="retry-1")
    again = submit(city, idempotency_key="retry-1", title="换了标题")
    assert again.appeal.pk == first.appeal.pk and not again.created and again.passphrase == ""
    assert Appeal.objects.count() == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [({"title": "  "}, "title"), ({"description": "x" * 4001}, "description"), ({"kind": "praise"}, "kind")],
)
def test_bad_input_names_the_field_and_stores_nothing(city, changes, field) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationFailed) as error:
        submit(city, **changes)
    assert error.value.field == field
    assert not Appeal.objects.exists()


def test_an_anonymous_appeal_keeps_no_contact(city) -> None:  # type: ignore[no-untyped-def]
    appeal = submit(city, anonymous=True).appeal
    assert not AppealContact.objects.filter(appeal=appeal).exists()


def test_routing_by_the_matrix_writes_the_deadlines_across_the_spring_festival(city) -> None:  # type: ignore[no-untyped-def]
    with use_clock(FixedClock(beijing("2026-02-13"))):
        appeal = appeal_route(appeal=submit(city).appeal)
    assert appeal.state == State.DISPATCHED and appeal.lead_unit == city.urban_bureau
    assert appeal.due_at == end_of("2026-02-27")  # 5 working days: 14 (make-up Saturday), 24, 25, 26, 27
    lead = appeal.assignments.get(role=AssignmentRole.LEAD)
    assert lead.object_due_at == end_of("2026-02-24")  # 2 working days: 14, 24


def test_a_street_lead_copies_its_district(city) -> None:  # type: ignore[no-untyped-def]
    appeal = appeal_route(appeal=submit(city, category=city.noise).appeal)
    assert appeal.lead_unit == city.street_a_office
    assert appeal.assignments.get(role=AssignmentRole.COPY).unit == city.district_a_gov


def test_without_a_matrix_answer_the_appeal_waits_for_a_dispatcher(city) -> None:  # type: ignore[no-untyped-def]
    appeal = appeal_route(appeal=submit(city, category=None).appeal)
    assert appeal.state == State.PENDING_DISPATCH
    assert appeal_route(appeal=appeal).state == State.PENDING_DISPATCH  # routing twice changes nothing
    with pytest.raises(PermissionDenied):
        appeal_dispatch(actor=city.handler, appeal=appeal, lead_unit=city.urban_bureau)
    appeal = appeal_dispatch(actor=city.dispatcher, appeal=appeal, lead_unit=city.urban_bureau)
    assert appeal.state == State.DISPATCHED


def test_return_designate_and_no_second_return(city) -> None:  # type: ignore[no-untyped-def]
    with use_clock(FixedClock(beijing("2026-02-13"))):
        appeal = appeal_route(appeal=submit(city).appeal)
    with use_clock(FixedClock(beijing("2026-02-24", 16))):
        with pytest.raises(PermissionDenied):
            assignment_object(actor=city.outsider, appeal=appeal, reason="不归我们")
        with pytest.raises(ValidationFailed):
            assignment_object(actor=city.handler, appeal=appeal, reason=" ")
        appeal = assignment_object(actor=city.handler, appeal=appeal, reason="道路产权属于东区")
        assert appeal.state == State.OBJECTED and appeal.bounce_count == 1
        appeal = objection_decide(
            actor=city.dispatcher, appeal=appeal, unit=city.urban_bureau, reason="主干道由市城管局负责"
        )
    assert appeal.state == State.DISPATCHED
    with pytest.raises(ValidationFailed) as error:
        assignment_object(actor=city.handler, appeal=appeal, reason="还是不归我们")
    assert error.value.code == "designated"


def test_a_return_after_the_period_is_refused(city) -> None:  # type: ignore[no-untyped-def]
    with use_clock(FixedClock(beijing("2026-02-13"))):
        appeal = appeal_route(appeal=submit(city).appeal)
    with use_clock(FixedClock(beijing("2026-02-25", 9))), pytest.raises(ValidationFailed) as error:
        assignment_object(actor=city.handler, appeal=appeal, reason="不归我们")
    assert error.value.code == "too_late"


def test_the_whole_loop_with_a_reopening_and_a_review(city) -> None:  # type: ignore[no-untyped-def]
    clock = FixedClock(beijing("2026-02-13"))
    with use_clock(clock):
        appeal = appeal_route(appeal=submit(city).appeal)
        with pytest.raises(TransitionNotAllowed):
            appeal_reply(actor=city.handler, appeal=appeal, outcome=Outcome.SOLVED, text="已经修好了，感谢反映。")
        appeal = assignment_accept(actor=city.handler, appeal=appeal)
        assert appeal.state == State.IN_PROGRESS
        clock.advance(dt.timedelta(days=11))  # 24 Feb, after the holiday
        with pytest.raises(ValidationFailed):
            appeal_reply(actor=city.handler, appeal=appeal, outcome=Outcome.SOLVED, text="好")
        appeal = appeal_reply(
            actor=city.handler, appeal=appeal, outcome=Outcome.SOLVED, text="已安排养护队填补，感谢反映。"
        )
        assert appeal.state == State.REPLIED and appeal.state_group == Group.RESOLVED
        with pytest.raises(PermissionDenied):
            appeal_rate(
                actor=None, appeal=appeal, satisfaction=Satisfaction.DISSATISFIED, solved=False, passphrase="guess"
            )
        appeal = appeal_rate(
            actor=None, appeal=appeal, satisfaction=Satisfaction.DISSATISFIED, solved=False, passphrase="my-secret"
        )
        assert appeal.state == State.IN_PROGRESS and appeal.round == 2
        assert appeal.due_at == end_of("2026-03-02")  # 5 working days from Tue 24 Feb: 25, 26, 27, 28 (make-up), 2 Mar
        appeal = appeal_reply(
            actor=city.handler, appeal=appeal, outcome=Outcome.EXPLAINED, text="该路段已列入本月维修计划。"
        )
        appeal = appeal_rate(actor=city.operator, appeal=appeal, satisfaction=Satisfaction.DISSATISFIED, solved=False)
        assert appeal.state == State.UNDER_REVIEW
        with pytest.raises(PermissionDenied):
            appeal_review_decide(actor=city.handler, appeal=appeal, reopen=False, reason="x")
        appeal = appeal_review_decide(
            actor=city.supervisor, appeal=appeal, reopen=False, reason="已按计划维修，答复合理"
        )
    assert appeal.state == State.CLOSED and appeal.state_group == Group.CLOSED
    steps = list(appeal.events.values_list("action", flat=True))
    assert steps == ["submit", "dispatch", "accept", "reply", "reopen", "reply", "escalate", "close"]
    assert chain_verify().ok


def test_a_satisfied_rating_closes(city) -> None:  # type: ignore[no-untyped-def]
    appeal = appeal_route(appeal=submit(city).appeal)
    appeal = assignment_accept(actor=city.handler, appeal=appeal)
    appeal = appeal_reply(actor=city.handler, appeal=appeal, outcome=Outcome.SOLVED, text="已修复，欢迎监督。")
    appeal = appeal_rate(
        actor=None, appeal=appeal, satisfaction=Satisfaction.BASICALLY, solved=True, passphrase="my-secret"
    )
    assert appeal.state == State.CLOSED and appeal.closed_at is not None and appeal.solved is True


def test_the_demo_seed_has_appeals_in_every_stage(db) -> None:  # type: ignore[no-untyped-def]
    from django.core.management import call_command

    call_command("seed", verbosity=0, stdout=__import__("io").StringIO())
    states = set(Appeal.objects.values_list("state", flat=True))
    assert {State.PENDING_DISPATCH, State.DISPATCHED, State.IN_PROGRESS, State.REPLIED, State.CLOSED} <= states
    from massline.intelligence.models import HotIssue
    from massline.intelligence.seed import HOT_BURSTS

    # The demo's 40 appeals, the two bursts the hot-issue board opens with (each text twice), and the bus line
    # already taken up as a proactive task.
    assert Appeal.objects.count() == 40 + 2 * sum(len(texts) for _street, texts in HOT_BURSTS) + 1
    assert HotIssue.objects.filter(label__contains="丽景花园", task__isnull=True).exists()
    assert HotIssue.objects.get(task__isnull=False).task.channel == "proactive"
    from massline.core import clock
    from massline.open311.opendata import export_days

    assert clock.today().isoformat() in export_days()  # /open-data/ has a day to show from the start
    assert chain_verify().ok
