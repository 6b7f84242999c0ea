"""The staff workspace: each role sees its queue, takes its steps on the case page, and sees a citizen's
contact details only when it may."""

import pytest
from django.urls import reverse

from massline.appeals.models import Appeal
from massline.appeals.services import ContactInput, appeal_route, appeal_submit
from massline.appeals.transitions import State

pytestmark = pytest.mark.django_db


def new_appeal(city, **changes):  # type: ignore[no-untyped-def]
    fields = {
        "actor": None,
        "kind": "complaint",
        "channel": "hotline",
        "title": "小区噪声扰民",
        "description": "每天夜里十二点后施工，噪声很大。",
        "area": city.community_a,
        "category": None,
        "contact": ContactInput(name="李先生", phone="13900000000"),
        "contact_confidential": True,
    }
    fields.update(changes)
    return appeal_route(appeal=appeal_submit(**fields).appeal)


def step(client, appeal, name, data=None):  # type: ignore[no-untyped-def]
    return client.post(
        reverse("appeals:case_step", args=[appeal.tracking_code, name]), data or {}, HTTP_ACCEPT_LANGUAGE="en"
    )


def test_the_loop_through_the_workspace(client, city) -> None:  # type: ignore[no-untyped-def]
    appeal = new_appeal(city)
    assert appeal.state == State.PENDING_DISPATCH

    client.force_login(city.dispatcher)
    inbox = client.get(reverse("appeals:work"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert appeal.tracking_code in inbox
    assert step(client, appeal, "dispatch", {"unit": city.urban_bureau.pk, "reason": ""}).status_code == 302

    client.force_login(city.handler)
    assert appeal.tracking_code in client.get(reverse("appeals:work") + "?queue=unit").content.decode()
    refused = step(client, appeal, "object", {"reason": ""})
    assert refused.status_code == 400 and "This field is required." in refused.content.decode()
    assert step(client, appeal, "object", {"reason": "噪声归街道管"}).status_code == 302
    assert Appeal.objects.get().state == State.OBJECTED

    client.force_login(city.dispatcher)
    no_reason = step(client, appeal, "dispatch", {"unit": city.urban_bureau.pk, "reason": ""})
    assert no_reason.status_code == 400 and "Say why this unit is responsible." in no_reason.content.decode()
    assert (
        step(client, appeal, "dispatch", {"unit": city.urban_bureau.pk, "reason": "夜间施工噪声由城管负责"}).status_code
        == 302
    )

    client.force_login(city.handler)
    assert step(client, appeal, "accept").status_code == 302
    assert step(client, appeal, "reply", {"outcome": "solved", "text": "已责令施工单位夜间停工。"}).status_code == 302

    client.force_login(city.operator)
    assert step(client, appeal, "callback", {"satisfaction": "dissatisfied", "solved": "no"}).status_code == 302
    reopened = Appeal.objects.get()
    assert reopened.state == State.IN_PROGRESS and reopened.round == 2


def test_confidential_contact_stays_at_the_hotline(client, city) -> None:  # type: ignore[no-untyped-def]
    appeal = new_appeal(city)
    client.force_login(city.dispatcher)
    assert "13900000000" in client.get(reverse("appeals:case", args=[appeal.tracking_code])).content.decode()
    step(client, appeal, "dispatch", {"unit": city.urban_bureau.pk, "reason": ""})
    client.force_login(city.handler)
    page = client.get(reverse("appeals:case", args=[appeal.tracking_code])).content.decode()
    assert "13900000000" not in page and "李先生" not in page


def test_other_units_cannot_open_the_case(client, city) -> None:  # type: ignore[no-untyped-def]
    appeal = new_appeal(city)
    client.force_login(city.dispatcher)
    step(client, appeal, "dispatch", {"unit": city.urban_bureau.pk, "reason": ""})
    client.force_login(city.outsider)
    assert client.get(reverse("appeals:case", args=[appeal.tracking_code])).status_code == 404
    assert step(client, appeal, "accept").status_code == 404
    assert Appeal.objects.get().state == State.DISPATCHED


def test_citizens_have_no_workspace(client, city, make_person) -> None:  # type: ignore[no-untyped-def]
    client.force_login(make_person("citizen"))
    assert client.get(reverse("appeals:work")).status_code == 404
