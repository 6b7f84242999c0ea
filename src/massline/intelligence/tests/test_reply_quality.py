"""Reply quality: a reply that answers the citizen's requests with measures, basis and time scores high; a stock
acknowledgement, a reply about something else, or a refusal without reasons scores low and says why. The handler
checks a draft before sending; the score is kept on the reply's event and shown on the case page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from massline.appeals.choices import Outcome
from massline.appeals.services import appeal_reply, appeal_route, appeal_submit, assignment_accept
from massline.intelligence.reply_quality import reply_quality

APPEAL = "小区门口路灯不亮。和平路幸福小区门口的路灯坏了一个多月，晚上很黑。希望尽快修好路灯。能否增加一盏路灯？"
GOOD = (
    "您好，感谢您的反映。经现场核实，幸福小区门口路灯因线路老化损坏，我局已安排维修人员于11月20日更换线路，"
    "路灯已恢复照明。关于增加路灯，根据《城市道路照明设施管理规定》，我局将在12月底前完成该路段的路灯加密。"
)


def failed(result) -> set[str]:  # type: ignore[no-untyped-def]
    return {check.name for check in result.problems}


def test_a_full_answer_scores_high() -> None:
    result = reply_quality(appeal_text=APPEAL, reply=GOOD)
    assert result.score >= 90 and not failed(result)


def test_a_stock_acknowledgement_scores_low_with_its_reasons() -> None:
    result = reply_quality(appeal_text=APPEAL, reply="您的留言已收悉，已转相关部门处理。")
    assert result.score < 40
    assert {"relevance", "requests", "basis", "time", "boilerplate"} <= failed(result)


def test_a_reply_about_something_else_is_not_relevant() -> None:
    other = "您好，关于您反映的养老金发放问题，根据社保政策，已于11月10日补发到账，感谢理解。"
    assert "relevance" in failed(reply_quality(appeal_text=APPEAL, reply=other))
    assert reply_quality(appeal_text=APPEAL, reply=other).score < reply_quality(appeal_text=APPEAL, reply=GOOD).score


def test_a_refusal_needs_its_reasons() -> None:
    bare = "您好，经核实，增加路灯的请求不予支持，幸福小区门口路灯已于11月20日修好，感谢您的反映。"
    reasoned = bare.replace("不予支持", "不予支持，因为该路段已按《城市道路照明设计标准》设置路灯")
    assert "reasons" in failed(reply_quality(appeal_text=APPEAL, reply=bare, not_supported=True))
    assert "reasons" not in failed(reply_quality(appeal_text=APPEAL, reply=reasoned, not_supported=True))


@pytest.mark.django_db
def test_the_handler_checks_a_draft_and_the_case_page_keeps_the_score(client, city) -> None:  # type: ignore[no-untyped-def]
    appeal = appeal_submit(
        actor=None, kind="complaint", channel="web", title="小区门口路灯不亮", description=APPEAL,
        area=city.street_a, category=city.potholes,
    ).appeal  # fmt: skip
    appeal = assignment_accept(actor=city.handler, appeal=appeal_route(appeal=appeal))
    client.force_login(city.handler)
    check = reverse("appeals:reply_check", args=[appeal.tracking_code])
    draft = client.post(check, {"text": "已收悉。", "outcome": Outcome.SOLVED}, HTTP_ACCEPT_LANGUAGE="en")
    assert draft.status_code == 200 and "Reply quality:" in draft.content.decode()
    assert "mostly stock phrases or too short" in draft.content.decode()
    appeal = appeal_reply(actor=city.handler, appeal=appeal, outcome=Outcome.SOLVED, text=GOOD)
    quality = appeal.events.get(action="reply").data["quality"]
    assert quality["score"] >= 90 and quality["failed"] == []
    page = client.get(reverse("appeals:case", args=[appeal.tracking_code]), HTTP_ACCEPT_LANGUAGE="en")
    assert "Quality of the reply" in page.content.decode()
    # Someone who may not reply on this appeal cannot use the check.
    client.force_login(city.outsider)
    assert client.post(check, {"text": GOOD}).status_code == 404
