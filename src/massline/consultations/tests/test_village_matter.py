"""A village 一事一议 through the services, from the villagers' proposal to their satisfaction vote: the
co-signatures, the comment period with every comment answered, a meeting that fails its quorum and a second one
that decides, publicity with an objection, the works, and the vote. Each refusal says why and changes nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
import time_machine

from massline.audit.models import AuditRecord
from massline.audit.verify import chain_verify
from massline.consultations import services
from massline.consultations.models import (
    Comment,
    Matter,
    MatterKind,
    MeetingResult,
    Outcome,
    SatisfactionVote,
    Signature,
    Step,
)
from massline.consultations.selectors import quorum_text, result_text
from massline.consultations.transitions import blockers
from massline.core.errors import PermissionDenied, ValidationFailed
from massline.notifications.models import OutboxMessage

from .conftest import Village, at

pytestmark = pytest.mark.django_db


def propose(village: Village) -> Matter:
    return services.matter_create(
        actor=village.clerk,
        kind=MatterKind.objects.get(code="village-matter"),
        owner_unit=village.committee,
        area=village.area,
        title="硬化村东机耕路",
        summary="村东机耕路1.2公里硬化，每人筹资50元，财政奖补60%。",
        proposer_kind="villagers",
        budget=Decimal("180000"),
    )


def refused(code_or_field: str, call: Any, **kwargs: Any) -> ValidationFailed:
    with pytest.raises(ValidationFailed) as caught:
        call(**kwargs)
    assert code_or_field in (caught.value.code, caught.value.field), caught.value
    return caught.value


def test_village_matter_from_proposal_to_satisfaction(village: Village) -> None:
    with time_machine.travel(at("2026-03-02"), tick=False) as traveller:
        matter = propose(village)
        assert matter.step == Step.PROPOSAL and matter.code.startswith("M2026-")
        # The three residents with phones on the register are told.
        assert OutboxMessage.objects.filter(kind="consultation", channel="sms").count() == 3

        # A tenth of 20 adults: 2 co-signatures. Not yet enough, so the proposal cannot move on.
        assert "0 co-signatures of the 2" in " ".join(blockers(matter))
        services.matter_sign(matter=matter, name="村民06", id_number=village.person(6)[1])
        error = refused(
            "already_signed", services.matter_sign, matter=matter, name="村民06", id_number=village.person(6)[1]
        )
        assert "signs once" in str(error)
        refused("not_on_register", services.matter_sign, matter=matter, name="外人", id_number="110101199001011234")
        refused("not_on_register", services.matter_sign, matter=matter, name="村民08", id_number=village.person(7)[1])
        refused("not_adult", services.matter_sign, matter=matter, name="村民21", id_number=village.person(21)[1])
        refused("step_not_finished", services.matter_advance, actor=village.clerk, matter=matter)
        services.matter_sign(matter=matter, name="村民07", id_number=village.person(7)[1])
        assert Signature.objects.filter(matter=matter).count() == 2

        matter = services.matter_advance(actor=village.clerk, matter=matter)
        assert matter.step == Step.COMMENT
        support = services.comment_submit(matter=matter, stance="support", text="早该修了", idempotency_key="k1")
        again = services.comment_submit(matter=matter, stance="support", text="早该修了", idempotency_key="k1")
        assert again.pk == support.pk and Comment.objects.filter(matter=matter).count() == 1
        oppose = services.comment_submit(matter=matter, stance="oppose", text="筹资标准太高，困难户负担不起")
        refused("text", services.comment_submit, matter=matter, stance="oppose", text="  ")

        traveller.move_to(at("2026-03-10"))
        reasons = " ".join(blockers(matter))
        assert "2 comments have no answer yet" in reasons and "feedback report" in reasons
        refused("unanswered", services.feedback_publish, actor=village.clerk, matter=matter, changes="x")
        services.comment_answer(actor=village.clerk, comment=support, answer_kind="adopted", answer_text="感谢支持")
        refused(
            "answer_text",
            services.comment_answer,
            actor=village.clerk,
            comment=oppose,
            answer_kind="partly",
            answer_text="",
        )
        services.comment_answer(
            actor=village.clerk, comment=oppose, answer_kind="partly", answer_text="困难户由村集体代缴筹资"
        )
        services.feedback_publish(actor=village.clerk, matter=matter, changes="困难户的筹资由村集体经济代缴。")
        matter = services.matter_advance(actor=village.clerk, matter=matter)
        assert matter.step == Step.MEETING
        error = refused("comment_closed", services.comment_submit, matter=matter, stance="oppose", text="晚了")
        assert "no longer taken" in str(error)

        # The assembly needs 10 days' notice.
        refused(
            "scheduled_for",
            services.meeting_schedule,
            actor=village.clerk,
            matter=matter,
            scheduled_for=at("2026-03-15"),
            place="村委会",
        )
        first = services.meeting_schedule(
            actor=village.clerk, matter=matter, scheduled_for=at("2026-03-21", 9), place="村委会会议室"
        )

        traveller.move_to(at("2026-03-21", 9))
        # Five villagers from five households: neither more than half of 20 adults nor 6 of 8 households.
        services.meeting_attend(actor=village.clerk, meeting=first, resident_ids=[r.pk for r in village.residents[:5]])
        first = services.meeting_check_quorum(actor=village.clerk, meeting=first)
        assert first.result == MeetingResult.INQUORATE
        assert "5 of 20 adult villagers present (more than 10 needed)" in quorum_text(first)
        assert "5 of 8 households represented (6 needed)" in quorum_text(first)
        refused(
            "meeting_closed",
            services.meeting_vote,
            actor=village.clerk,
            meeting=first,
            resident_id=village.residents[0].pk,
            choice="for",
        )
        assert "No meeting has passed" in " ".join(blockers(matter))

        second = services.meeting_schedule(
            actor=village.clerk, matter=matter, scheduled_for=at("2026-04-01", 9), place="村委会会议室"
        )
        traveller.move_to(at("2026-04-01", 9))
        present = village.residents[:12]
        refused(
            "residents",
            services.meeting_attend,
            actor=village.clerk,
            meeting=second,
            resident_ids=[village.residents[20].pk],
        )
        services.meeting_attend(actor=village.clerk, meeting=second, resident_ids=[r.pk for r in present])
        second = services.meeting_check_quorum(actor=village.clerk, meeting=second)
        assert second.quorum_checked_at is not None and second.result == ""
        services.meeting_speech(actor=village.clerk, meeting=second, speaker="村民02", summary="支持")
        services.meeting_speech(actor=village.clerk, meeting=second, speaker="村主任", summary="同意方案", is_head=True)
        refused(
            "head_spoke", services.meeting_speech, actor=village.clerk, meeting=second, speaker="村民03", summary="补充"
        )
        for resident in present[:9]:
            services.meeting_vote(actor=village.clerk, meeting=second, resident_id=resident.pk, choice="for")
        refused(
            "already_voted",
            services.meeting_vote,
            actor=village.clerk,
            meeting=second,
            resident_id=present[0].pk,
            choice="against",
        )
        refused(
            "resident",
            services.meeting_vote,
            actor=village.clerk,
            meeting=second,
            resident_id=village.residents[15].pk,
            choice="for",
        )
        services.meeting_vote(
            actor=village.clerk, meeting=second, resident_id=present[9].pk, choice="against", reason="路线占了我家的地"
        )
        services.meeting_vote(actor=village.clerk, meeting=second, resident_id=present[10].pk, choice="abstain")
        second = services.meeting_close(actor=village.clerk, meeting=second)
        assert second.result == MeetingResult.PASSED
        assert "9 for, 1 against, 1 abstaining, of 12 present and entitled to vote; more than 6 needed" in result_text(
            second
        )
        assert "路线占了我家的地" in second.dissent

        matter = services.matter_advance(actor=village.clerk, matter=matter)
        assert matter.step == Step.PUBLICITY
        publicity = services.publicity_open(actor=village.clerk, matter=matter, text="村东机耕路硬化方案及筹资名单")
        # Five working days from Wednesday 1 April: the Qingming holiday (4–6 April) is skipped.
        assert publicity.ends_at.astimezone(at("2026-01-01").tzinfo).date() == dt.date(2026, 4, 9)
        objection = services.objection_submit(
            publicity=publicity, name="村民09", text="筹资名单漏了我家", phone="13900000009"
        )
        traveller.move_to(at("2026-04-10"))
        refused("publicity_over", services.objection_submit, publicity=publicity, name="村民10", text="晚了")
        assert "1 objection has no answer yet" in " ".join(blockers(matter))
        services.objection_answer(actor=village.clerk, objection=objection, outcome="upheld", answer="已补入名单")
        matter = services.matter_advance(actor=village.clerk, matter=matter)
        publicity.refresh_from_db()
        assert matter.step == Step.IMPLEMENTATION and publicity.certified_at is not None

        milestone = services.milestone_set(
            actor=village.clerk, matter=matter, title="路基完工", due_on=dt.date(2026, 5, 1)
        )
        services.spending_record(
            actor=village.clerk, matter=matter, item="水泥", amount=Decimal("52000"), spent_on=dt.date(2026, 4, 20)
        )
        refused("step_not_finished", services.matter_advance, actor=village.clerk, matter=matter)
        services.milestone_done(actor=village.clerk, matter=matter, milestone_id=milestone.pk)
        matter = services.matter_advance(actor=village.clerk, matter=matter)
        assert matter.step == Step.EVALUATION

        services.satisfaction_vote(matter=matter, name="村民01", id_number=village.person(1)[1], choice="satisfied")
        refused(
            "already_voted",
            services.satisfaction_vote,
            matter=matter,
            name="村民01",
            id_number=village.person(1)[1],
            choice="dissatisfied",
        )
        services.satisfaction_vote(matter=matter, name="村民02", id_number=village.person(2)[1], choice="basically")
        assert SatisfactionVote.objects.filter(matter=matter, choice="satisfied").count() == 1
        refused("step_not_finished", services.matter_advance, actor=village.clerk, matter=matter)
        traveller.move_to(at("2026-04-30"))
        matter = services.matter_advance(actor=village.clerk, matter=matter)
        assert matter.outcome == Outcome.COMPLETED

    assert chain_verify().ok
    assert AuditRecord.objects.filter(event__startswith="consultations.matter.").count() > 30
    # No identity number and no vote's author reaches the ledger.
    assert not AuditRecord.objects.filter(after__icontains="4201011980").exists()


def test_representatives_co_sign_and_others_may_not(village: Village) -> None:
    matter = services.matter_create(
        actor=village.clerk,
        kind=MatterKind.objects.get(code="village-matter"),
        owner_unit=village.committee,
        area=village.area,
        title="村卫生室改建",
        summary="改建卫生室",
        proposer_kind="representatives",
    )
    refused("not_representative", services.matter_sign, matter=matter, name="村民06", id_number=village.person(6)[1])
    services.matter_sign(matter=matter, name="村民01", id_number=village.person(1)[1])
    # A fifth of 5 representatives is 1.
    assert blockers(matter) == []


def test_a_rejected_matter_closes_and_keeps_its_record(village: Village) -> None:
    with time_machine.travel(at("2026-06-01"), tick=False) as traveller:
        matter = services.matter_create(
            actor=village.clerk,
            kind=MatterKind.objects.get(code="village-matter"),
            owner_unit=village.committee,
            area=village.area,
            title="出租村集体鱼塘",
            summary="出租鱼塘十年",
            proposer_kind="committee",
        )
        matter = services.matter_advance(actor=village.clerk, matter=matter)
        traveller.move_to(at("2026-06-09"))
        services.feedback_publish(actor=village.clerk, matter=matter, changes="没有收到意见。")
        matter = services.matter_advance(actor=village.clerk, matter=matter)
        meeting = services.meeting_schedule(
            actor=village.clerk, matter=matter, scheduled_for=at("2026-06-20"), place="祠堂"
        )
        traveller.move_to(at("2026-06-20"))
        services.meeting_attend(
            actor=village.clerk, meeting=meeting, resident_ids=[r.pk for r in village.residents[:11]]
        )
        services.meeting_check_quorum(actor=village.clerk, meeting=meeting)
        for resident in village.residents[:6]:
            services.meeting_vote(actor=village.clerk, meeting=meeting, resident_id=resident.pk, choice="against")
        for resident in village.residents[6:11]:
            services.meeting_vote(actor=village.clerk, meeting=meeting, resident_id=resident.pk, choice="for")
        meeting = services.meeting_close(actor=village.clerk, meeting=meeting)
    matter.refresh_from_db()
    assert meeting.result == MeetingResult.REJECTED and matter.outcome == Outcome.REJECTED
    refused("matter_closed", services.matter_advance, actor=village.clerk, matter=matter)


def test_household_voting_counts_one_vote_per_household(village: Village) -> None:
    kind = MatterKind.objects.get(code="village-matter")
    kind.rules = {**kind.rules, "vote_basis": "household", "comment_min_days": 0, "meeting_notice_days": 0}
    kind.save()
    with time_machine.travel(at("2026-07-01"), tick=False) as traveller:
        matter = services.matter_create(
            actor=village.clerk,
            kind=kind,
            owner_unit=village.committee,
            area=village.area,
            title="安装路灯",
            summary="安装30盏路灯",
            proposer_kind="committee",
        )
        matter = services.matter_advance(actor=village.clerk, matter=matter)
        services.feedback_publish(actor=village.clerk, matter=matter, changes="无意见")
        matter = services.matter_advance(actor=village.clerk, matter=matter)
        meeting = services.meeting_schedule(
            actor=village.clerk, matter=matter, scheduled_for=at("2026-07-01", 11), place="村委会"
        )
        traveller.move_to(at("2026-07-01", 11))
        # Residents 1 and 9 share household H01.
        services.meeting_attend(
            actor=village.clerk, meeting=meeting, resident_ids=[r.pk for r in village.residents[:16]]
        )
        services.meeting_check_quorum(actor=village.clerk, meeting=meeting)
        services.meeting_vote(actor=village.clerk, meeting=meeting, resident_id=village.residents[0].pk, choice="for")
        error = refused(
            "already_voted",
            services.meeting_vote,
            actor=village.clerk,
            meeting=meeting,
            resident_id=village.residents[8].pk,
            choice="for",
        )
        assert "one vote per household" in str(error)


def test_major_decision_risk_grade_blocks_until_reassessed(small_city: Any, make_person: Any, kinds: None) -> None:
    handler = make_person("handler", unit=small_city.district_a_gov)
    leader = make_person("unit_leader", unit=small_city.district_a_gov)
    kind = MatterKind.objects.get(code="major-decision")
    kind.steps = ["risk", "legal_review", "meeting"]
    kind.save()
    matter = services.matter_create(
        actor=handler,
        kind=kind,
        owner_unit=small_city.district_a_gov,
        area=small_city.district_a,
        title="东区垃圾焚烧厂选址",
        summary="选址方案",
        proposer_kind="committee",
    )
    refused(
        "no_assessment",
        services.risk_item_set,
        actor=handler,
        matter=matter,
        description="邻避",
        likelihood=4,
        impact=4,
    )
    services.risk_assessment_open(actor=handler, matter=matter)
    item = services.risk_item_set(actor=handler, matter=matter, description="周边居民反对", likelihood=4, impact=4)
    services.risk_survey_record(actor=handler, matter=matter, surveyed=200, support=80, oppose=100, summary="担心气味")
    with pytest.raises(PermissionDenied):
        services.risk_assessment_sign(actor=handler, matter=matter, grade="high", conclusion="高风险")
    refused("grade", services.risk_assessment_sign, actor=leader, matter=matter, grade="low", conclusion="低")
    services.risk_assessment_sign(actor=leader, matter=matter, grade="high", conclusion="风险高，需化解")
    assert "graded high" in " ".join(blockers(matter))
    second = services.risk_assessment_open(actor=handler, matter=matter)
    assert second.round == 2 and second.items.count() == 1
    services.risk_item_set(
        actor=handler,
        matter=matter,
        item_id=second.items.get().pk,
        description=item.description,
        likelihood=2,
        impact=3,
        mitigation="搬迁补偿和排放在线公开",
    )
    services.risk_survey_record(actor=handler, matter=matter, surveyed=200, support=150, oppose=20, summary="多数接受")
    services.risk_assessment_sign(actor=leader, matter=matter, grade="low", conclusion="化解后低风险")
    matter = services.matter_advance(actor=handler, matter=matter)
    assert matter.step == Step.LEGAL_REVIEW
    assert "without it the matter may not be tabled" in " ".join(blockers(matter))
    services.matter_legal_review(actor=leader, matter=matter, opinion="程序合法")
    matter = services.matter_advance(actor=handler, matter=matter)
    assert matter.step == Step.MEETING


def test_hearing_needs_seven_days_of_materials_and_balances_speakers(
    small_city: Any, make_person: Any, kinds: None
) -> None:
    handler = make_person("handler", unit=small_city.district_a_gov)
    kind = MatterKind.objects.get(code="major-decision")
    kind.steps = ["hearing", "meeting"]
    kind.save()
    with time_machine.travel(at("2026-05-06"), tick=False) as traveller:
        matter = services.matter_create(
            actor=handler,
            kind=kind,
            owner_unit=small_city.district_a_gov,
            area=small_city.district_a,
            title="公交票价调整",
            summary="票价由1元调为2元",
            proposer_kind="committee",
        )
        refused(
            "scheduled_for",
            services.hearing_schedule,
            actor=handler,
            matter=matter,
            scheduled_for=at("2026-05-12"),
            place="区政府",
        )
        hearing = services.hearing_schedule(
            actor=handler, matter=matter, scheduled_for=at("2026-05-13"), place="区政府", seats=4
        )
        for n in range(5):
            services.speaker_register(hearing=hearing, name=f"支持者{n}", stance="support", summary="支持")
        services.speaker_register(hearing=hearing, name="反对者", stance="oppose", summary="反对")
        chosen = services.hearing_select_speakers(actor=handler, hearing=hearing)
        assert len(chosen) == 4 and sum(1 for s in chosen if s.stance == "oppose") == 1
        refused("hearing_not_started", services.hearing_record, actor=handler, hearing=hearing, minutes="x")
        traveller.move_to(at("2026-05-13", 12))
        refused(
            "hearing_started", services.speaker_register, hearing=hearing, name="迟到", stance="oppose", summary="x"
        )
        services.hearing_record(actor=handler, hearing=hearing, minutes="会议纪要", dissent="反对者认为涨价过高")
        matter = services.matter_advance(actor=handler, matter=matter)
        assert matter.step == Step.MEETING


def test_only_the_owner_units_staff_run_a_matter(village: Village, small_city: Any, make_person: Any) -> None:
    matter = propose(village)
    outsider = make_person("handler", unit=small_city.district_a_bureau)
    with pytest.raises(PermissionDenied):
        services.matter_advance(actor=outsider, matter=matter)
    with pytest.raises(PermissionDenied):
        services.matter_create(
            actor=outsider,
            kind=matter.kind,
            owner_unit=village.committee,
            area=village.area,
            title="x",
            summary="y",
            proposer_kind="committee",
        )
