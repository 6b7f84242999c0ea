"""Who may see and do what on an appeal, and the edges a hurried user hits: double clicks, odd codes,
stale units, anonymous submissions, personal data in replies."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from massline.appeals.choices import Outcome, Satisfaction
from massline.appeals.models import Appeal
from massline.appeals.selectors import appeal_for_staff, contact_for
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
from massline.appeals.transitions import State, TransitionNotAllowed
from massline.core.errors import PermissionDenied
from massline.org.services import unit_create

pytestmark = pytest.mark.django_db


def submit(city, **changes):  # type: ignore[no-untyped-def]
    fields = {
        "actor": None,
        "kind": "complaint",
        "channel": "web",
        "title": "路面塌陷",
        "description": "桃源社区门口路面塌陷。",
        "area": city.community_a,
        "category": city.potholes,
        "contact": ContactInput(name="赵女士", phone="13700000000"),
        "passphrase": "river-stone",
    }
    fields.update(changes)
    return appeal_submit(**fields).appeal


@pytest.fixture
def west_hotline(city, make_person):  # type: ignore[no-untyped-def]
    centre = unit_create(
        actor=None,
        code="U-D2-HOT",
        name_zh="西区热线分中心",
        kind="hotline_centre",
        area=city.district_b,
        parent=city.district_b_gov,
    )
    return make_person("dispatcher", unit=centre), make_person("operator", unit=centre)


def test_a_district_centre_sees_and_acts_only_in_its_district(city, west_hotline) -> None:  # type: ignore[no-untyped-def]
    west_dispatcher, west_operator = west_hotline
    east = appeal_route(appeal=submit(city, category=None))
    assert appeal_for_staff(user=west_dispatcher, code=east.tracking_code) is None
    assert contact_for(user=west_dispatcher, appeal=east) is None
    with pytest.raises(PermissionDenied):
        appeal_dispatch(actor=west_dispatcher, appeal=east, lead_unit=city.urban_bureau)
    east = appeal_dispatch(actor=city.dispatcher, appeal=east, lead_unit=city.urban_bureau)
    east = assignment_accept(actor=city.handler, appeal=east)
    east = appeal_reply(actor=city.handler, appeal=east, outcome=Outcome.SOLVED, text="已修复，谢谢反映。")
    with pytest.raises(PermissionDenied):
        appeal_rate(actor=west_operator, appeal=east, satisfaction=Satisfaction.SATISFIED, solved=True)
    west = appeal_route(appeal=submit(city, category=None, area=city.community_b))
    assert appeal_for_staff(user=west_dispatcher, code=west.tracking_code) is not None
    assert contact_for(user=west_dispatcher, appeal=west).phone == "13700000000"


def test_a_unit_that_returned_the_appeal_no_longer_reads_it(city) -> None:  # type: ignore[no-untyped-def]
    appeal = appeal_route(appeal=submit(city))
    appeal = assignment_object(actor=city.handler, appeal=appeal, reason="不归我们")
    appeal = objection_decide(actor=city.dispatcher, appeal=appeal, unit=city.street_a_office, reason="由街道负责")
    assert appeal_for_staff(user=city.handler, code=appeal.tracking_code) is None
    assert appeal_for_staff(user=city.street_handler, code=appeal.tracking_code) is not None


def test_anonymous_appeals_keep_no_trace_of_the_sender(city, make_person) -> None:  # type: ignore[no-untyped-def]
    citizen = make_person("citizen")
    appeal = submit(city, actor=citizen, anonymous=True)
    assert appeal.submitted_by is None
    assert contact_for(user=city.dispatcher, appeal=appeal) is None


def test_the_public_page_masks_numbers_and_hides_notes(client, city) -> None:  # type: ignore[no-untyped-def]
    appeal = appeal_route(appeal=submit(city))
    appeal = assignment_object(actor=city.handler, appeal=appeal, reason="内部意见：这条路归区里")
    appeal = objection_decide(actor=city.dispatcher, appeal=appeal, unit=city.urban_bureau, reason="主干道归市局")
    appeal = assignment_accept(actor=city.handler, appeal=appeal)
    appeal_reply(
        actor=city.handler,
        appeal=appeal,
        outcome=Outcome.SOLVED,
        text="赵女士您好，已修复。如有问题请拨打13700000000联系。",
    )
    page = client.get(reverse("appeals:detail", args=[appeal.tracking_code])).content.decode()
    assert "已修复" in page
    assert "13700000000" not in page and "内部意见" not in page and "主干道归市局" not in page


def test_a_double_click_keeps_the_passphrase_on_the_receipt(client, city) -> None:  # type: ignore[no-untyped-def]
    data = {
        "kind": "complaint",
        "title": "路面塌陷",
        "description": "桃源社区门口路面塌陷。",
        "area": "",
        "category": "",
        "location_text": "",
        "name": "",
        "phone": "13700000000",
        "email": "",
        "passphrase": "",
        "idempotency_key": "same-click",
    }
    client.post(reverse("appeals:new"), data)
    client.post(reverse("appeals:new"), data)
    receipt = client.get(reverse("appeals:receipt")).content.decode()
    assert Appeal.objects.count() == 1
    assert 'data-testid="passphrase"' in receipt


def test_another_visitor_with_the_same_key_gets_their_own_appeal(client, city) -> None:  # type: ignore[no-untyped-def]
    from django.test import Client

    data = {
        "kind": "help",
        "title": "求助",
        "description": "需要帮助。",
        "phone": "13700000000",
        "idempotency_key": "k",
    }
    client.post(reverse("appeals:new"), data)
    Client().post(reverse("appeals:new"), data)
    assert Appeal.objects.count() == 2


def test_a_second_click_on_a_step_says_it_is_done(client, city) -> None:  # type: ignore[no-untyped-def]
    appeal = appeal_route(appeal=submit(city))
    client.force_login(city.handler)
    url = reverse("appeals:case_step", args=[appeal.tracking_code, "accept"])
    assert client.post(url).status_code == 302
    again = client.post(url, follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert again.status_code == 200 and "no longer available" in again.content.decode()
    with pytest.raises(TransitionNotAllowed):
        assignment_accept(actor=city.handler, appeal=appeal)


def test_reopening_clears_the_last_rating(city) -> None:  # type: ignore[no-untyped-def]
    appeal = assignment_accept(actor=city.handler, appeal=appeal_route(appeal=submit(city)))
    appeal = appeal_reply(actor=city.handler, appeal=appeal, outcome=Outcome.SOLVED, text="已修复，谢谢反映。")
    appeal = appeal_rate(
        actor=None, appeal=appeal, satisfaction=Satisfaction.DISSATISFIED, solved=False, passphrase="river-stone"
    )
    assert appeal.state == State.IN_PROGRESS
    assert (appeal.satisfaction, appeal.solved, appeal.rated_at, appeal.reply_text) == ("", None, None, "")


def test_a_supervisor_cannot_close_an_answer_before_the_citizen_rates(city) -> None:  # type: ignore[no-untyped-def]
    appeal = assignment_accept(actor=city.handler, appeal=appeal_route(appeal=submit(city)))
    appeal = appeal_reply(actor=city.handler, appeal=appeal, outcome=Outcome.SOLVED, text="已修复，谢谢反映。")
    with pytest.raises(TransitionNotAllowed):
        appeal_review_decide(actor=city.supervisor, appeal=appeal, reopen=False, reason="结案")


@pytest.mark.parametrize(
    "path", ["/appeals/track/%00/", "/appeals/track/a%20b/", "/appeals/work/x!y/", "/appeals/work/ABC/accept%00/"]
)
def test_odd_codes_are_simply_not_found(client, city, path) -> None:  # type: ignore[no-untyped-def]
    client.force_login(city.dispatcher)
    assert client.get(path).status_code == 404


def test_nobody_sees_appeals_without_signing_in(city) -> None:  # type: ignore[no-untyped-def]
    appeal = submit(city)
    assert appeal_for_staff(user=AnonymousUser(), code=appeal.tracking_code) is None
