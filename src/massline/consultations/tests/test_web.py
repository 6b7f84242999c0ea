"""The consultation pages as residents, the public and the committee use them."""

from __future__ import annotations

from typing import Any

import pytest
import time_machine
from django.test import Client

from massline.consultations import services
from massline.consultations.models import Comment, MatterKind, StatementVote

from .conftest import Village, at

pytestmark = pytest.mark.django_db


def open_matter(village: Village, proposer: str = "villagers") -> Any:
    return services.matter_create(
        actor=village.clerk,
        kind=MatterKind.objects.get(code="village-matter"),
        owner_unit=village.committee,
        area=village.area,
        title="硬化村东机耕路",
        summary="村东机耕路1.2公里硬化。",
        proposer_kind=proposer,
    )


def english() -> Client:
    return Client(HTTP_ACCEPT_LANGUAGE="en")


def test_a_resident_co_signs_and_a_wrong_number_is_refused_beside_the_field(village: Village) -> None:
    matter = open_matter(village)
    client = english()
    page = client.get(f"/consultations/{matter.code}/")
    assert page.status_code == 200
    assert "0 of the 2 co-signatures needed" in page.content.decode()

    refused = client.post(
        f"/consultations/{matter.code}/sign/", {"sign-name": "村民06", "sign-id_number": "420101198001019999"}
    )
    body = refused.content.decode()
    assert refused.status_code == 400
    assert "No resident of Lijiawan Village with this name and identity number is on the register." in body
    assert 'value="村民06"' in body  # the name typed is kept

    name, number = village.person(6)
    done = client.post(
        f"/consultations/{matter.code}/sign/", {"sign-name": name, "sign-id_number": number}, follow=True
    )
    assert "Your co-signature is recorded." in done.content.decode()
    assert "1 of the 2 co-signatures needed" in done.content.decode()
    # The number typed is never shown back, nor stored.
    assert number not in done.content.decode()


def test_comments_are_published_answered_and_refused_after_the_period(village: Village) -> None:
    with time_machine.travel(at("2026-03-02"), tick=False) as traveller:
        matter = open_matter(village, proposer="committee")
        matter = services.matter_advance(actor=village.clerk, matter=matter)
        client = english()
        data = {"comment-stance": "oppose", "comment-text": "筹资太高", "comment-idempotency_key": "abc"}
        client.post(f"/consultations/{matter.code}/comment/", data)
        client.post(f"/consultations/{matter.code}/comment/", data)  # a double click
        assert Comment.objects.filter(matter=matter).count() == 1
        empty = client.post(f"/consultations/{matter.code}/comment/", {"comment-stance": "oppose", "comment-text": ""})
        assert empty.status_code == 400 and "This field is required." in empty.content.decode()

        staff = Client(HTTP_ACCEPT_LANGUAGE="en")
        staff.force_login(village.clerk)
        comment = Comment.objects.get(matter=matter)
        answered = staff.post(
            f"/consultations/manage/{matter.code}/answer/",
            {"answer-comment": comment.pk, "answer-answer_kind": "partly", "answer-answer_text": "困难户由集体代缴"},
        )
        assert answered.status_code == 302
        page = client.get(f"/consultations/{matter.code}/").content.decode()
        assert "Answer: partly adopted." in page and "困难户由集体代缴" in page

        traveller.move_to(at("2026-03-10"))
        missing = staff.post(f"/consultations/manage/{matter.code}/feedback/", {"feedback-changes": ""})
        assert missing.status_code == 400
        staff.post(f"/consultations/manage/{matter.code}/feedback/", {"feedback-changes": "困难户的筹资由集体代缴。"})
        staff.post(f"/consultations/manage/{matter.code}/advance/", {"advance-note": ""})
        late = client.post(
            f"/consultations/{matter.code}/comment/", {"comment-stance": "support", "comment-text": "晚到的意见"}
        )
        assert late.status_code == 400
        assert "The comment period is over; comments are no longer taken." in late.content.decode()
        assert "3 comments" not in client.get(f"/consultations/{matter.code}/").content.decode()


def test_statement_votes_belong_to_the_browser_and_change_rather_than_pile_up(village: Village) -> None:
    matter = open_matter(village, proposer="committee")
    matter = services.matter_advance(actor=village.clerk, matter=matter)
    statement = services.statement_add(actor=village.clerk, matter=matter, text="应当按人口收费")
    client = english()
    client.post(f"/consultations/{matter.code}/statements/{statement.pk}/vote/", {"value": "1"})
    client.post(f"/consultations/{matter.code}/statements/{statement.pk}/vote/", {"value": "-1"})
    assert list(StatementVote.objects.values_list("value", flat=True)) == [-1]
    english().post(f"/consultations/{matter.code}/statements/{statement.pk}/vote/", {"value": "1"})
    assert StatementVote.objects.count() == 2
    page = client.get(f"/consultations/{matter.code}/").content.decode()
    assert "2 people have voted on these statements." in page


def test_the_working_page_is_for_the_owner_unit_only(village: Village, small_city: Any, make_person: Any) -> None:
    matter = open_matter(village)
    outsider = Client()
    outsider.force_login(make_person("handler", unit=small_city.district_a_bureau))
    assert outsider.get(f"/consultations/manage/{matter.code}/").status_code == 404
    assert outsider.post(f"/consultations/manage/{matter.code}/advance/", {}).status_code == 404
    clerk = english()
    clerk.force_login(village.clerk)
    page = clerk.get(f"/consultations/manage/{matter.code}/")
    assert page.status_code == 200
    assert "The proposal has 0 co-signatures of the 2 it needs." in page.content.decode()


def test_a_failed_quorum_is_published_with_its_figures_in_chinese(village: Village) -> None:
    with time_machine.travel(at("2026-03-02"), tick=False) as traveller:
        matter = open_matter(village, proposer="committee")
        matter = services.matter_advance(actor=village.clerk, matter=matter)
        traveller.move_to(at("2026-03-10"))
        services.feedback_publish(actor=village.clerk, matter=matter, changes="无")
        matter = services.matter_advance(actor=village.clerk, matter=matter)
        clerk = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
        clerk.force_login(village.clerk)
        early = clerk.post(
            f"/consultations/manage/{matter.code}/meeting/",
            {"meeting-scheduled_for": "2026-03-12T09:00", "meeting-place": "村委会"},
        )
        assert early.status_code == 400 and "10" in early.content.decode()
        clerk.post(
            f"/consultations/manage/{matter.code}/meeting/",
            {"meeting-scheduled_for": "2026-03-21T09:00", "meeting-place": "村委会"},
        )
        traveller.move_to(at("2026-03-21", 9))
        clerk.post(
            f"/consultations/manage/{matter.code}/attendance/",
            {"attendance-residents": [r.pk for r in village.residents[:4]]},
        )
        clerk.post(f"/consultations/manage/{matter.code}/quorum/", {})
        page = Client(HTTP_ACCEPT_LANGUAGE="zh-hans").get(f"/consultations/{matter.code}/").content.decode()
        assert "4 of 20" not in page  # the explanation is in the reader's language
        assert "未达到法定人数" in page


def test_risk_report_and_certificate_are_pdfs(village: Village, small_city: Any, make_person: Any) -> None:
    leader = make_person("unit_leader", unit=small_city.district_a_gov)
    kind = MatterKind.objects.get(code="major-decision")
    kind.steps = ["risk", "meeting"]
    kind.save()
    matter = services.matter_create(
        actor=leader,
        kind=kind,
        owner_unit=small_city.district_a_gov,
        area=small_city.district_a,
        title="垃圾焚烧厂选址",
        summary="选址",
        proposer_kind="committee",
    )
    services.risk_assessment_open(actor=leader, matter=matter)
    services.risk_item_set(actor=leader, matter=matter, description="邻避", likelihood=1, impact=2)
    services.risk_survey_record(actor=leader, matter=matter, surveyed=10, support=8, oppose=1, summary="多数支持")
    services.risk_assessment_sign(actor=leader, matter=matter, grade="low", conclusion="低风险")
    response = Client().get(f"/consultations/{matter.code}/risk/1.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert Client().get(f"/consultations/{matter.code}/risk/2.pdf").status_code == 404
    assert Client().get(f"/consultations/{matter.code}/certificate.pdf").status_code == 404
