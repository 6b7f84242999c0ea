"""The hotline operator's console: only operators; earlier cases by phone never reach a unit; similar open
cases and earlier public answers while typing; answered on the spot; one appeal per call screen."""

import time

import pytest
from django.urls import reverse

from massline.appeals.choices import AppealKind, Channel, Outcome
from massline.appeals.models import Appeal
from massline.appeals.selectors.knowledge import knowledge_search
from massline.appeals.selectors.similar import similar_open_appeals, text_bigrams
from massline.appeals.services import (
    ContactInput,
    appeal_answer_on_the_spot,
    appeal_rate,
    appeal_reply,
    appeal_route,
    appeal_submit,
    assignment_accept,
)
from massline.appeals.transitions import State, TransitionNotAllowed
from massline.core.errors import PermissionDenied, ValidationFailed

pytestmark = pytest.mark.django_db

CONSOLE = "/appeals/console/"


def submit(city, *, title, description="", kind="complaint", phone="13911112222", area=None, category=None):  # type: ignore[no-untyped-def]
    return appeal_submit(
        actor=None,
        kind=kind,
        channel="web",
        title=title,
        description=description or title,
        area=area or city.street_a,
        category=category or city.potholes,
        contact=ContactInput(name="李先生", phone=phone),
        route_after_commit=False,
    ).appeal


def call(city, **changes):  # type: ignore[no-untyped-def]
    data = {
        "phone": "139 1111 2222",
        "name": "李先生",
        "kind": "complaint",
        "title": "小区门口路灯不亮",
        "description": "桃源社区门口的路灯已经坏了三天。",
        "area": str(city.community_a.pk),
        "category": str(city.potholes.pk),
        "location_text": "桃源社区东门",
        "answer": "",
        "call_key": "call-1",
        "action": "submit",
    }
    data.update(changes)
    return data


def test_the_console_is_for_operators_only(client, city) -> None:  # type: ignore[no-untyped-def]
    anonymous = client.get(CONSOLE)
    assert anonymous.status_code == 302 and "/login/" in anonymous["Location"]
    for person in (city.handler, city.dispatcher, city.supervisor):
        client.force_login(person)
        assert client.get(CONSOLE).status_code == 404
        assert client.post(CONSOLE, call(city)).status_code == 404
        assert client.get(reverse("appeals:console_caller"), {"phone": "13911112222"}).status_code == 404
        assert client.get(reverse("appeals:console_hints"), {"title": "路灯不亮"}).status_code == 404
    assert not Appeal.objects.exists()
    client.force_login(city.operator)
    page = client.get(CONSOLE, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "autofocus" in page and "Alt+S" in page and "Alt+N" in page and "style=" not in page


def test_a_call_is_recorded_once_however_often_submit_is_pressed(
    client, city, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    client.force_login(city.operator)
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(CONSOLE, call(city))
    second = client.post(CONSOLE, call(city))
    assert first.status_code == second.status_code == 302
    appeal = Appeal.objects.get()
    assert appeal.channel == Channel.HOTLINE and appeal.area == city.community_a
    assert appeal.contact.phone == "13911112222"  # stored as digits, as the phone search expects
    assert appeal.state == State.DISPATCHED  # routed after the call was stored
    done = client.get(first["Location"], HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f'data-testid="tracking-code">{appeal.tracking_code}<' in done and "New call" in done
    fresh = client.post(CONSOLE, call(city, call_key="call-2"))  # a new call screen has a new key
    assert fresh.status_code == 302 and Appeal.objects.count() == 2


def test_a_missing_title_keeps_the_call_on_screen(client, city) -> None:  # type: ignore[no-untyped-def]
    client.force_login(city.operator)
    page = client.post(CONSOLE, call(city, title=""), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'value="139 1111 2222"' in page and "桃源社区门口的路灯已经坏了三天。" in page
    assert 'value="call-1"' in page  # the same key, so correcting and pressing again still makes one appeal
    assert not Appeal.objects.exists()


def test_earlier_cases_by_phone_for_operators_and_never_for_a_handler(client, city) -> None:  # type: ignore[no-untyped-def]
    earlier = submit(city, title="楼道堆放杂物", phone="13911112222")
    submit(city, title="别人的诉求", phone="13700000000")
    hidden = appeal_submit(
        actor=None,
        kind="complaint",
        channel="web",
        title="匿名诉求",
        description="匿名诉求",
        contact=ContactInput(phone="13911112222"),
        anonymous=True,
        route_after_commit=False,
    ).appeal
    client.force_login(city.operator)
    url = reverse("appeals:console_caller")
    html = client.get(url, {"phone": "139-1111-2222"}).content.decode()
    assert earlier.tracking_code in html and "楼道堆放杂物" in html
    assert "别人的诉求" not in html and hidden.tracking_code not in html
    assert "13700000000" not in client.get(url, {"phone": "1391"}).content.decode()

    client.force_login(city.handler)
    assert client.get(url, {"phone": "13911112222"}).status_code == 404
    from massline.appeals.selectors.callers import caller_history

    assert list(caller_history(user=city.handler, phone="13911112222")) == []
    assert [a.pk for a in caller_history(user=city.operator, phone="13911112222")] == [earlier.pk]


def test_similar_open_cases_share_bigrams(client, city) -> None:  # type: ignore[no-untyped-def]
    same = submit(city, title="桃源社区门口路灯不亮", description="晚上路灯全灭，很危险。")
    unrelated = submit(city, title="噪声扰民", description="夜间施工噪声很大。")
    elsewhere = submit(city, title="路灯不亮", area=city.street_b, category=city.noise)
    closed = submit(city, title="门口路灯不亮了", kind="consultation")
    appeal_answer_on_the_spot(actor=city.operator, appeal=closed, text="路灯由城管局负责维修。")
    assert {"路灯", "灯不", "不亮"} <= text_bigrams("路灯不亮")

    client.force_login(city.operator)
    html = client.get(
        reverse("appeals:console_hints"),
        {"title": "路灯坏了不亮", "description": "", "area": city.community_a.pk, "category": ""},
    ).content.decode()
    assert same.tracking_code in html
    assert unrelated.tracking_code not in html  # no bigram in common
    assert elsewhere.tracking_code not in html  # another street and another topic
    assert closed.tracking_code not in html  # no longer open

    started = time.perf_counter()
    matches = similar_open_appeals(user=city.operator, text="路灯坏了不亮", area=city.community_a)
    assert time.perf_counter() - started < 0.5
    assert [match.appeal.pk for match in matches] == [same.pk]
    assert similar_open_appeals(user=city.handler, text="路灯坏了不亮", area=city.community_a) == []


def test_answer_on_the_spot_closes_a_consultation_with_the_reply_in_public(client, city) -> None:  # type: ignore[no-untyped-def]
    client.force_login(city.operator)
    answer = "办理居住证请携带身份证到和平街道社区服务中心，电话13800001111。"
    response = client.post(
        CONSOLE,
        call(
            city,
            kind="consultation",
            title="居住证怎么办理",
            description="想咨询居住证办理材料。",
            answer=answer,
            action="answer",
        ),
    )
    assert response.status_code == 302
    appeal = Appeal.objects.get()
    assert appeal.state == State.CLOSED and appeal.outcome == Outcome.EXPLAINED and appeal.lead_unit is None
    assert appeal.closed_at is not None and appeal.reply_text == answer
    page = client.get(reverse("appeals:detail", args=[appeal.tracking_code]), HTTP_ACCEPT_LANGUAGE="en")
    html = page.content.decode()
    assert "和平街道社区服务中心" in html and "13800001111" not in html  # masked in public
    assert "answered on the spot" in html
    assert "13911112222" not in html
    # Pressing again changes nothing.
    assert client.post(CONSOLE, call(city, kind="consultation", answer=answer, action="answer")).status_code == 302
    assert Appeal.objects.count() == 1


def test_only_a_consultation_can_be_answered_on_the_spot(client, city) -> None:  # type: ignore[no-untyped-def]
    client.force_login(city.operator)
    page = client.post(
        CONSOLE, call(city, answer="这是一个答复内容。", action="answer"), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "Only a consultation can be answered on the spot." in page and not Appeal.objects.exists()
    complaint = submit(city, title="投诉")
    with pytest.raises(ValidationFailed):
        appeal_answer_on_the_spot(actor=city.operator, appeal=complaint, text="这是一个答复内容。")
    question = submit(city, title="咨询", kind="consultation")
    with pytest.raises(PermissionDenied):
        appeal_answer_on_the_spot(actor=city.handler, appeal=question, text="这是一个答复内容。")
    routed = appeal_route(appeal=submit(city, title="已派单的咨询", kind="consultation"))
    with pytest.raises(TransitionNotAllowed):
        appeal_answer_on_the_spot(actor=city.operator, appeal=routed, text="这是一个答复内容。")


def test_the_knowledge_base_offers_public_answers_callers_were_content_with(client, city) -> None:  # type: ignore[no-untyped-def]
    on_the_spot = submit(city, title="居住证怎么办理", kind=AppealKind.CONSULTATION)
    appeal_answer_on_the_spot(actor=city.operator, appeal=on_the_spot, text="居住证请到社区服务中心办理。")
    rated = assignment_accept(
        actor=city.handler,
        appeal=appeal_route(appeal=submit(city, title="居住证续签需要什么材料", kind=AppealKind.CONSULTATION)),
    )
    rated = appeal_reply(
        actor=city.handler, appeal=rated, outcome=Outcome.EXPLAINED, text="居住证续签需带身份证和照片。"
    )
    appeal_rate(actor=city.operator, appeal=rated, satisfaction="satisfied", solved=True)
    disliked = assignment_accept(
        actor=city.handler,
        appeal=appeal_route(appeal=submit(city, title="居住证办理地点", kind=AppealKind.CONSULTATION)),
    )
    appeal_reply(actor=city.handler, appeal=disliked, outcome=Outcome.EXPLAINED, text="居住证的事情请自己去问。")
    appeal_rate(actor=city.operator, appeal=disliked, satisfaction="dissatisfied", solved=False)
    waiting = assignment_accept(
        actor=city.handler,
        appeal=appeal_route(appeal=submit(city, title="居住证办理时间", kind=AppealKind.CONSULTATION)),
    )
    appeal_reply(actor=city.handler, appeal=waiting, outcome=Outcome.EXPLAINED, text="居住证办理需要七个工作日。")

    texts = [answer.text for answer in knowledge_search(text="请问居住证怎么办理")]
    assert "居住证请到社区服务中心办理。" in texts and "居住证续签需带身份证和照片。" in texts
    assert "居住证的事情请自己去问。" not in texts  # rated dissatisfied
    assert "居住证办理需要七个工作日。" not in texts  # not yet rated
    client.force_login(city.operator)
    html = client.get(reverse("appeals:console_hints"), {"title": "居住证怎么办理"}).content.decode()
    assert 'data-use-answer="居住证请到社区服务中心办理。"' in html
