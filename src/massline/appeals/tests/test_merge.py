"""Duplicates: the dispatcher sees open appeals about the same matter and merges a new one into the first; the
matter is handled once, and when it is answered every citizen gets the answer on their own appeal and rates it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from massline.appeals.choices import Outcome, Satisfaction
from massline.appeals.models import Appeal
from massline.appeals.selectors import possible_duplicates
from massline.appeals.services import (
    appeal_merge,
    appeal_rate,
    appeal_reply,
    appeal_route,
    appeal_send,
    appeal_submit,
    assignment_accept,
)
from massline.appeals.transitions import State
from massline.core.errors import ValidationFailed

pytestmark = pytest.mark.django_db

LAMP = "幸福小区门口的路灯坏了一个多月，晚上很黑，老人孩子出行不安全，希望尽快修好路灯。"


def waiting(city, title: str, description: str):  # type: ignore[no-untyped-def]
    result = appeal_submit(
        actor=None, kind="complaint", channel="web", title=title, description=description, area=city.community_a
    )
    return appeal_route(appeal=result.appeal), result.passphrase


def test_a_duplicate_is_merged_handled_once_and_answered_to_every_citizen(client, city) -> None:  # type: ignore[no-untyped-def]
    first, _first_secret = waiting(city, "幸福小区门口路灯不亮", LAMP)
    second, secret = waiting(city, "路灯坏了没人修", "幸福小区门口的路灯坏了一个多月，晚上很黑，希望尽快修好。")
    unrelated, _s = waiting(city, "养老金查询", "想问一下养老金每月几号发放，怎么查询到账情况。")
    assert [m.appeal for m in possible_duplicates(user=city.dispatcher, appeal=second)] == [first]

    client.force_login(city.dispatcher)
    page = client.get(reverse("appeals:case", args=[second.tracking_code]), HTTP_ACCEPT_LANGUAGE="en")
    assert "Merge with an appeal about the same matter" in page.content.decode()
    assert first.tracking_code in page.content.decode() and unrelated.tracking_code not in page.content.decode()
    response = client.post(
        reverse("appeals:case_step", args=[second.tracking_code, "merge"]), {"into": first.tracking_code}
    )
    assert response.status_code == 302
    second.refresh_from_db()
    assert second.state == State.MERGED and second.linked_to == first
    tracking = client.get(reverse("appeals:detail", args=[second.tracking_code]), HTTP_ACCEPT_LANGUAGE="en")
    assert first.tracking_code in tracking.content.decode()

    first = appeal_send(actor=city.dispatcher, appeal=first, unit=city.urban_bureau)
    first = assignment_accept(actor=city.handler, appeal=first)
    appeal_reply(
        actor=city.handler, appeal=first, outcome=Outcome.SOLVED, text="您好，路灯已于今日更换灯泡并恢复照明，感谢反映。"
    )  # fmt: skip
    second.refresh_from_db()
    assert second.state == State.REPLIED and second.outcome == Outcome.SOLVED
    assert second.reply_text.startswith("您好，路灯已于今日") and second.lead_unit == city.urban_bureau
    assert second.events.get(action="reply").data["answered_with"] == first.tracking_code
    rated = appeal_rate(actor=None, appeal=second, satisfaction=Satisfaction.SATISFIED, solved=True, passphrase=secret)
    assert rated.state == State.CLOSED
    assert Appeal.objects.get(pk=first.pk).state == State.REPLIED  # the first citizen rates separately


def test_merging_follows_a_chain_and_refuses_what_is_not_waiting_or_not_open(city) -> None:  # type: ignore[no-untyped-def]
    first, _s = waiting(city, "路灯不亮", LAMP)
    second, _s = waiting(city, "路灯不亮二", LAMP)
    third, _s = waiting(city, "路灯不亮三", LAMP)
    appeal_merge(actor=city.dispatcher, appeal=second, into=first)
    merged = appeal_merge(actor=city.dispatcher, appeal=third, into=Appeal.objects.get(pk=second.pk))
    assert merged.linked_to == first  # always the appeal that carries the matter
    with pytest.raises(ValidationFailed):
        appeal_merge(actor=city.dispatcher, appeal=first, into=first)
    dispatched = appeal_send(actor=city.dispatcher, appeal=first, unit=city.urban_bureau)
    fourth, _s = waiting(city, "路灯不亮四", LAMP)
    with pytest.raises(ValidationFailed):
        appeal_merge(actor=city.dispatcher, appeal=dispatched, into=fourth)  # already dispatched
    with pytest.raises(Exception):  # noqa: B017 - a handler is not a dispatcher
        appeal_merge(actor=city.handler, appeal=fourth, into=first)
