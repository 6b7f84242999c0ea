"""Between accepting and replying: notes stay internal, contacting the citizen counts, co-units report,
extensions within their limits with the citizen told, supervision orders, and the special routes."""

import pytest

from massline.appeals.choices import ExtensionState, SpecialRoute
from massline.appeals.models import Extension
from massline.appeals.services import (
    ContactInput,
    appeal_contact,
    appeal_dispatch,
    appeal_note,
    appeal_route,
    appeal_special_route,
    assignment_accept,
    co_unit_report,
    extension_decide,
    extension_request,
    supervision_order_answer,
    supervision_order_close,
    supervision_order_issue,
)
from massline.appeals.services.special import instruction_for
from massline.appeals.transitions import State, TransitionNotAllowed
from massline.core.clock import FixedClock, use_clock
from massline.core.errors import PermissionDenied, ValidationFailed

from .test_loop import beijing, end_of, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def handling(city):  # type: ignore[no-untyped-def]
    with use_clock(FixedClock(beijing("2026-09-21"))):
        appeal = appeal_route(appeal=submit(city).appeal)
        appeal = assignment_accept(actor=city.handler, appeal=appeal)
    assert appeal.due_at == end_of("2026-09-29")  # 22, 23, 24, (Mid-Autumn 25), 28, 29
    return appeal


@pytest.fixture
def leader(city, make_person):  # type: ignore[no-untyped-def]
    return make_person("unit_leader", unit=city.urban_bureau)


def test_a_note_is_internal_and_only_for_those_on_the_case(city, handling, client) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(PermissionDenied):
        appeal_note(actor=city.outsider, appeal=handling, text="看看")
    appeal_note(actor=city.handler, appeal=handling, text="养护队周三到场，备注：联系人在三号楼")
    page = client.get(f"/appeals/track/{handling.tracking_code}/").content.decode()
    assert "三号楼" not in page


def test_the_first_contact_is_stamped_once(city, handling) -> None:  # type: ignore[no-untyped-def]
    with use_clock(FixedClock(beijing("2026-09-22"))):
        appeal = appeal_contact(actor=city.handler, appeal=handling, summary="电话联系，约定周三现场查看")
    with use_clock(FixedClock(beijing("2026-09-23"))):
        appeal = appeal_contact(actor=city.handler, appeal=appeal, summary="现场查看")
    assert appeal.contacted_at == beijing("2026-09-22")
    with pytest.raises(ValidationFailed):
        appeal_contact(actor=city.handler, appeal=appeal, summary=" ")


def test_co_units_report_and_others_cannot(city) -> None:  # type: ignore[no-untyped-def]
    appeal = appeal_dispatch(
        actor=city.dispatcher,
        appeal=appeal_route(appeal=submit(city, category=None).appeal),
        lead_unit=city.urban_bureau,
        co_units=[city.street_a_office],
    )
    appeal = co_unit_report(actor=city.street_handler, appeal=appeal, text="街道已安排巡查")
    assert appeal.events.last().action == "co_report"  # type: ignore[union-attr]
    with pytest.raises(PermissionDenied):
        co_unit_report(actor=city.outsider, appeal=appeal, text="我们也看看")


def test_an_approved_extension_moves_the_deadline_and_tells_the_citizen(city, handling, leader, client) -> None:  # type: ignore[no-untyped-def]
    with use_clock(FixedClock(beijing("2026-09-24"))):
        with pytest.raises(ValidationFailed) as error:
            extension_request(actor=city.handler, appeal=handling, days=11, reason="需要协调燃气公司")
        assert error.value.field == "days"
        extension = extension_request(actor=city.handler, appeal=handling, days=3, reason="需要协调燃气公司迁改管线")
        with pytest.raises(ValidationFailed):  # one request at a time
            extension_request(actor=city.handler, appeal=handling, days=2, reason="再要两天")
        with pytest.raises(PermissionDenied):
            extension_decide(actor=city.handler, extension=extension, approve=True)
        extension = extension_decide(actor=leader, extension=extension, approve=True)
    assert extension.state == ExtensionState.APPROVED
    handling.refresh_from_db()
    # 3 working days after 29 Sep, across National Day: 30 Sep, then 8 and 9 Oct.
    assert handling.due_at == end_of("2026-10-09") and handling.extended_days == 3
    assert handling.warned_at is None and handling.escalation_level == 0
    page = client.get(f"/appeals/track/{handling.tracking_code}/").content.decode()
    assert "需要协调燃气公司迁改管线" in page


def test_a_denied_extension_needs_a_reason_and_keeps_the_deadline(city, handling, leader) -> None:  # type: ignore[no-untyped-def]
    with use_clock(FixedClock(beijing("2026-09-24"))):
        extension = extension_request(actor=city.handler, appeal=handling, days=5, reason="人手不足")
        with pytest.raises(ValidationFailed):
            extension_decide(actor=leader, extension=extension, approve=False, reason="")
        extension = extension_decide(
            actor=city.dispatcher, extension=extension, approve=False, reason="人手不足不是理由"
        )
        handling.refresh_from_db()
        assert extension.state == ExtensionState.DENIED and handling.due_at == end_of("2026-09-29")
        with pytest.raises(TransitionNotAllowed):
            extension_decide(actor=leader, extension=extension, approve=True)


def test_extensions_are_bounded_in_total(city, handling, leader) -> None:  # type: ignore[no-untyped-def]
    with use_clock(FixedClock(beijing("2026-09-24"))):
        first = extension_request(actor=city.handler, appeal=handling, days=8, reason="需要招标")
        extension_decide(actor=leader, extension=first, approve=True)
        with pytest.raises(ValidationFailed) as error:
            extension_request(actor=city.handler, appeal=handling, days=3, reason="还需要时间")
        assert error.value.code == "extension_limit"  # 10 working days in all
        second = extension_request(actor=city.handler, appeal=handling, days=2, reason="还需要两天")
        extension_decide(actor=leader, extension=second, approve=True)
        with pytest.raises(ValidationFailed):
            extension_request(actor=city.handler, appeal=handling, days=1, reason="再一天")
        assert Extension.objects.filter(appeal=handling).count() == 2


def test_a_supervision_order_is_answered_and_closed(city, handling) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(PermissionDenied):
        supervision_order_issue(actor=city.handler, appeal=handling, instruction="督办")
    order = supervision_order_issue(actor=city.supervisor, appeal=handling, instruction="请加快处理并回复")
    with pytest.raises(PermissionDenied):
        supervision_order_answer(actor=city.outsider, order=order, response="已处理")
    order = supervision_order_answer(actor=city.handler, order=order, response="已安排夜间施工")
    order = supervision_order_close(actor=city.supervisor, order=order)
    assert order.state == "closed"
    assert [e.action for e in handling.events.all()][-3:] == ["supervise", "answer_supervision", "answer_supervision"]


def test_an_emergency_is_referred_with_the_instruction(city) -> None:  # type: ignore[no-untyped-def]
    appeal = submit(city, category=None).appeal
    with pytest.raises(PermissionDenied):
        appeal_special_route(actor=city.handler, appeal=appeal, route=SpecialRoute.EMERGENCY, detail="119")
    appeal = appeal_special_route(actor=city.operator, appeal=appeal, route=SpecialRoute.EMERGENCY, detail="119")
    assert appeal.state == State.REFERRED and not appeal.assignments.exists()
    assert "119" in instruction_for(appeal.special_route, appeal.special_route_detail)


def test_a_legal_channel_matter_is_not_dispatched(city) -> None:  # type: ignore[no-untyped-def]
    appeal = appeal_route(appeal=submit(city, category=None).appeal)
    with pytest.raises(ValidationFailed):
        appeal_special_route(actor=city.dispatcher, appeal=appeal, route=SpecialRoute.LEGAL_CHANNEL, detail="x")
    appeal = appeal_special_route(
        actor=city.dispatcher, appeal=appeal, route=SpecialRoute.LEGAL_CHANNEL, detail="litigation"
    )
    assert appeal.state == State.REFERRED and appeal.lead_unit is None


def test_the_same_matter_is_linked_to_the_first_appeal(city, settings) -> None:  # type: ignore[no-untyped-def]
    settings.MASSLINE_LINK_SAME_MATTER_DAYS = 30
    first = appeal_route(appeal=submit(city).appeal)
    # The same caller says the same thing again while the first is open: linked at once, not dispatched again.
    second = appeal_route(appeal=submit(city, category=None).appeal)
    assert second.state == State.LINKED and second.linked_to == first
    assert second.events.get(action="link").data["automatic"] is True
    # Another caller about the same pothole is a new appeal; the dispatcher links it by hand.
    third = appeal_route(appeal=submit(city, category=None, contact=ContactInput(phone="13911112222")).appeal)
    assert third.state == State.PENDING_DISPATCH
    third = appeal_special_route(actor=city.dispatcher, appeal=third, route=SpecialRoute.SAME_MATTER, linked_to=second)
    assert third.linked_to == first  # always the first appeal about the matter
    # The same caller with a new fact is a new appeal too.
    fourth = appeal_route(
        appeal=submit(
            city, category=None, description="和平路与东风路口的坑今天又塌大了，旁边燃气管道露出来了，很危险。"
        ).appeal
    )
    assert fourth.state == State.PENDING_DISPATCH
    with pytest.raises(ValidationFailed) as error:
        appeal_special_route(actor=city.dispatcher, appeal=first, route=SpecialRoute.SAME_MATTER, linked_to=second)
    assert error.value.code == "too_late"  # already dispatched


def test_units_are_consulted_before_dispatch(city, client) -> None:  # type: ignore[no-untyped-def]
    from massline.appeals.services import consultation_answer, units_consult

    appeal = appeal_route(appeal=submit(city, category=None).appeal)
    with pytest.raises(PermissionDenied):
        units_consult(actor=city.handler, appeal=appeal, units=[city.urban_bureau], question="谁负责？")
    asked = units_consult(
        actor=city.dispatcher,
        appeal=appeal,
        units=[city.urban_bureau, city.street_a_office],
        question="路口坑洼属于主干道还是街巷？",
    )
    assert len(asked) == 2
    # The consulted unit reads the case while its answer is awaited, without the citizen's contact.
    client.force_login(city.street_handler)
    page = client.get(f"/appeals/work/{appeal.tracking_code}/").content.decode()
    assert 'id="step-consultanswer"' in page and "13800000000" not in page
    assert appeal.tracking_code in client.get("/appeals/work/?queue=consult").content.decode()  # their queue
    with pytest.raises(PermissionDenied):
        consultation_answer(actor=city.outsider, consultation=asked[1], view="ours", answer="是我们的")
    consultation_answer(actor=city.street_handler, consultation=asked[1], view="not_ours", answer="属于主干道")
    with pytest.raises(TransitionNotAllowed):
        consultation_answer(actor=city.street_handler, consultation=asked[1], view="ours", answer="改主意了")
    assert client.get(f"/appeals/work/{appeal.tracking_code}/").status_code == 404  # answered: no longer theirs
    assert appeal.tracking_code not in client.get("/appeals/work/?queue=consult").content.decode()
    assert appeal.state == State.PENDING_DISPATCH
    assert [e.action for e in appeal.events.all()][-2:] == ["consult", "consult_answer"]


def test_reply_templates_are_offered_to_the_units_they_belong_to(city, handling, client) -> None:  # type: ignore[no-untyped-def]
    from massline.appeals.models import ReplyTemplate

    ReplyTemplate.objects.create(name="已修复", outcome="solved", text="经现场核实，问题已处理完毕。")
    ReplyTemplate.objects.create(name="街道专用", text="街道已安排网格员跟进。", unit=city.street_a_office)
    client.force_login(city.handler)
    page = client.get(f"/appeals/work/{handling.tracking_code}/").content.decode()
    assert "经现场核实，问题已处理完毕。" in page and "街道已安排网格员跟进。" not in page
