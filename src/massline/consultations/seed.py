"""The demo's consultations: 茶山村's residents' register and matters at every step — a proposal gathering
co-signatures, public comment with an opinion map, a major decision at its hearing, a project whose risk was
graded high, a meeting that failed its quorum and was called again, a publicity period with an objection, works
under way, a satisfaction vote, and matters completed and rejected."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

from massline.core import clock
from massline.core.clock import FixedClock, use_clock
from massline.core.seeding import SeedContext, seeder

VILLAGE = "JC0107002002"
SURNAMES = ["茶", "茶", "茶", "李", "王", "陈", "刘", "周"]
GIVEN = "春秋明华建国海燕丽芳志强桂兰玉梅德福金花秀英永红小军文彬家豪雨欣子涵"
DEMO_RESIDENT = ("茶小明", "420107199001010011")


def resident_identity(n: int) -> tuple[str, str]:
    """Name and identity number of the demo register's n-th resident (n = 0 is the one the demo shows)."""
    if n == 0:
        return DEMO_RESIDENT
    rng = random.Random(n)  # noqa: S311 (demo names, not secrets)
    name = rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, 2))
    return name, f"4201071{(1950 + n % 50):04d}0101{n:03d}"[:18]


@contextmanager
def days_ago(days: float, hour: int = 10) -> Iterator[FixedClock]:
    local = clock.now().astimezone(clock.local_zone())
    moment = (local - dt.timedelta(days=days)).replace(hour=hour, minute=0, second=0, microsecond=0)
    with use_clock(FixedClock(min(moment, clock.now()))) as fixed:
        yield fixed  # type: ignore[misc]


@seeder("consultations.demo", after=("accounts.staff",))
def seed_consultations(context: SeedContext) -> None:
    from massline.accounts.models import User
    from massline.org.models import Unit

    from . import services
    from .kinds import kinds_install_defaults
    from .models import Matter, MatterKind, Resident

    if Matter.objects.exists():
        context.write("consultations: already seeded")
        return
    clerk = User.objects.get(username="village")
    head = User.objects.get(username="village.head")
    office = User.objects.get(username="office.d1")
    committee = Unit.objects.get(code=f"{VILLAGE}-COMMITTEE")
    district_gov = Unit.objects.get(code="JC0101-GOV")
    village = committee.area

    with days_ago(200):
        for n in range(72):
            name, number = resident_identity(n)
            services.resident_register(
                actor=clerk,
                committee=committee,
                name=name,
                id_number=number,
                household=f"CS{n % 24 + 1:03d}",
                is_adult=n < 60,
                is_representative=n < 9 and n > 0,
                phone=f"1390717{n:04d}" if n % 6 == 0 else "",
            )
    residents = list(Resident.objects.filter(area=village).order_by("id"))
    adults = [r for r in residents if r.is_adult]
    kinds_install_defaults()
    kinds = {kind.code: kind for kind in MatterKind.objects.all()}

    def village_matter(
        title: str, summary: str, budget: int, proposer: str = "committee", kind: str = "village-matter"
    ) -> Any:
        return services.matter_create(
            actor=clerk,
            kind=kinds[kind],
            owner_unit=committee,
            area=village,
            title=title,
            summary=summary,
            proposer_kind=proposer,
            budget=Decimal(budget),
            affected="茶山村全体村民",
        )

    def sign(matter: Any, count: int) -> None:
        for n in range(1, count + 1):
            name, number = resident_identity(n)
            services.matter_sign(matter=matter, name=name, id_number=number)

    def comments_answered(matter: Any) -> None:
        for stance, text, kind, answer in [
            ("support", "早就盼着这件事了，支持。", "adopted", "感谢支持，将按方案推进。"),
            ("oppose", "筹资标准偏高，困难户负担重。", "partly", "低保户、五保户的筹资由村集体经济代缴。"),
            ("other", "施工期间请错开农忙时节。", "adopted", "工期安排在秋收之后。"),
        ]:
            comment = services.comment_submit(matter=matter, stance=stance, text=text, author_name="")
            services.comment_answer(actor=clerk, comment=comment, answer_kind=kind, answer_text=answer)

    def through_comment(matter: Any, started: float) -> Any:
        with days_ago(started):
            matter = services.matter_advance(actor=clerk, matter=matter)
            comments_answered(matter)
        with days_ago(started - 8):
            services.feedback_publish(actor=clerk, matter=matter, changes="困难户的筹资改由村集体代缴；工期避开农忙。")
            return services.matter_advance(actor=clerk, matter=matter)

    def meeting_passes(matter: Any, held: float, present: int = 40, against: int = 4) -> Any:
        with days_ago(held + 11, hour=8):
            meeting = services.meeting_schedule(
                actor=clerk, matter=matter, scheduled_for=clock.now() + dt.timedelta(days=11), place="茶山村委会会议室"
            )
        with days_ago(held, hour=9):
            services.meeting_attend(actor=clerk, meeting=meeting, resident_ids=[r.pk for r in adults[:present]])
            services.meeting_check_quorum(actor=clerk, meeting=meeting)
            services.meeting_speech(actor=clerk, meeting=meeting, speaker="村民代表", summary="赞成，希望尽快开工。")
            services.meeting_speech(
                actor=clerk, meeting=meeting, speaker="茶建国", summary="同意方案，接受监督。", is_head=True
            )
            for index, resident in enumerate(adults[:present]):
                choice = "against" if index < against else "for"
                services.meeting_vote(
                    actor=clerk,
                    meeting=meeting,
                    resident_id=resident.pk,
                    choice=choice,
                    reason="线路经过我家承包地" if index == 0 else "",
                )
            services.meeting_close(actor=clerk, meeting=meeting)
            return services.matter_advance(actor=clerk, matter=matter)

    def publicity(matter: Any, opened: float, objection: bool = True) -> Any:
        with days_ago(opened):
            item = services.publicity_open(
                actor=clerk, matter=matter, text=f"{matter.title}：经村民会议表决通过，现予公示。"
            )
            if objection:
                raised = services.objection_submit(
                    publicity=item, name="茶秀英", text="筹资名单中我家人口数登记有误。", phone="13907170001"
                )
                services.objection_answer(actor=clerk, objection=raised, outcome="upheld", answer="已核实更正。")
        return item

    # 1. A villagers' proposal gathering co-signatures (a tenth of 60 adults: 6).
    with days_ago(3):
        matter = village_matter(
            "修建村文化广场", "在村委会旁修建800平方米文化广场，配健身器材。", 260000, proposer="villagers"
        )
        sign(matter, 4)

    # 2. Public comment with an opinion map.
    with days_ago(12):
        matter = village_matter(
            "茶山村垃圾分类收费办法", "每户每月收取垃圾处理费5元，分类投放积分兑换生活用品。", 36000
        )
    with days_ago(4):
        matter = services.matter_advance(actor=clerk, matter=matter)
        statements = [
            services.statement_add(actor=clerk, matter=matter, text=text)
            for text in [
                "村里应该实行垃圾分类。",
                "每户每月5元的收费合理。",
                "积分兑换能让更多人参与。",
                "收费应当按人口而不是按户。",
                "老人户应当免收。",
                "垃圾清运应当每天一次。",
            ]
        ]
        rng = random.Random(7)  # noqa: S311 (demo votes, not secrets)
        for person in range(80):
            camp = person % 2
            for index, statement in enumerate(statements):
                if rng.random() < 0.2:
                    continue
                if index in (0, 2, 5):
                    value = 1 if rng.random() < 0.9 else 0
                else:
                    value = (1 if camp == 0 else -1) if rng.random() < 0.85 else 0
                    if index in (3, 4):
                        value = -value
                services.statement_vote(
                    matter=matter, statement_id=statement.pk, participant=f"demo-{person}", value=value
                )
        services.comment_submit(matter=matter, stance="oppose", text="按户收费对独居老人不公平。")
        comment = services.comment_submit(matter=matter, stance="support", text="支持分类，环境会更好。")
        services.comment_answer(actor=clerk, comment=comment, answer_kind="adopted", answer_text="感谢支持。")

    # 3. A major decision of the district at its hearing.
    kind = kinds["major-decision"]
    with days_ago(45):
        major = services.matter_create(
            actor=office,
            kind=kind,
            owner_unit=district_gov,
            area=district_gov.area,
            title="湖心区老旧小区加装电梯补贴办法",
            summary="对加装电梯的老旧小区按每台15万元给予补贴，低楼层住户补偿由业主协商。",
            proposer_kind="committee",
            budget=Decimal(30000000),
            affected="湖心区1990年前建成的多层住宅小区居民",
        )
        major = services.matter_advance(actor=office, matter=major)
        for stance, text in [
            ("support", "家里老人上下楼太难了，支持。"),
            ("oppose", "一楼住户的采光和噪音补偿标准不明确。"),
        ]:
            comment = services.comment_submit(matter=major, stance=stance, text=text)
            services.comment_answer(
                actor=office,
                comment=comment,
                answer_kind="partly" if stance == "oppose" else "adopted",
                answer_text="补充低楼层住户补偿指导标准。" if stance == "oppose" else "感谢支持。",
            )
    with days_ago(14):
        services.feedback_publish(actor=office, matter=major, changes="增加了低楼层住户补偿指导标准。")
        major = services.matter_advance(actor=office, matter=major)
        hearing = services.hearing_schedule(
            actor=office,
            matter=major,
            scheduled_for=clock.now() + dt.timedelta(days=21),
            place="湖心区政府第一会议室",
            seats=6,
        )
        for name, stance, summary in [
            ("居民甲", "support", "我是高层老人，盼电梯。"),
            ("居民乙", "oppose", "一楼住户的损失谁来承担。"),
            ("物业代表", "other", "后期维保费用如何分摊。"),
        ]:
            services.speaker_register(hearing=hearing, name=name, stance=stance, summary=summary)

    # 4. A practical project whose risk was graded medium, now reassessed.
    with days_ago(40):
        project = village_matter(
            "茶山村砂石场复垦为果园", "关停村集体砂石场，复垦后发包种植果树。", 520000, kind="practical-project"
        )
        project = services.matter_advance(actor=clerk, matter=project)
        comments_answered(project)
    with days_ago(24):
        services.feedback_publish(actor=clerk, matter=project, changes="复垦后的果园优先发包给原砂石场务工村民。")
        project = services.matter_advance(actor=clerk, matter=project)
        services.risk_assessment_open(actor=clerk, matter=project)
        services.risk_item_set(
            actor=clerk, matter=project, description="砂石场务工人员失业", likelihood=4, impact=3, mitigation=""
        )
        services.risk_item_set(
            actor=clerk, matter=project, description="发包过程不公开引发矛盾", likelihood=2, impact=4, mitigation=""
        )
        services.risk_survey_record(
            actor=clerk, matter=project, surveyed=60, support=31, oppose=22, summary="务工村民担心收入。"
        )
        services.risk_assessment_sign(
            actor=head, matter=project, grade="medium", conclusion="中风险：须先落实务工人员转岗。"
        )
    with days_ago(6):
        services.risk_assessment_open(actor=clerk, matter=project)

    # 5. A meeting without a quorum, and a second one called.
    with days_ago(30):
        road = village_matter("硬化村东机耕路", "村东机耕路1.2公里硬化，每人筹资50元，财政奖补60%。", 180000)
    road = through_comment(road, 28)
    with days_ago(20, hour=8):
        first = services.meeting_schedule(
            actor=clerk, matter=road, scheduled_for=clock.now() + dt.timedelta(days=10), place="茶山村委会会议室"
        )
    with days_ago(10, hour=9):
        services.meeting_attend(actor=clerk, meeting=first, resident_ids=[r.pk for r in adults[:12]])
        services.meeting_check_quorum(actor=clerk, meeting=first)
    with days_ago(2):
        services.meeting_schedule(
            actor=clerk, matter=road, scheduled_for=clock.now() + dt.timedelta(days=10), place="茶山村祠堂"
        )

    # 6. Publicity with an objection answered.
    with days_ago(60):
        lights = village_matter("安装太阳能路灯", "主干道安装太阳能路灯60盏。", 90000)
    lights = through_comment(lights, 58)
    lights = meeting_passes(lights, 5)
    publicity(lights, 3)

    # 7. Works under way.
    with days_ago(120):
        water = village_matter("自来水管网改造", "更换老化供水管网3.5公里。", 430000)
    water = through_comment(water, 118)
    water = meeting_passes(water, 90)
    publicity(water, 89, objection=False)
    with days_ago(70):
        water = services.matter_advance(actor=clerk, matter=water)
        services.milestone_set(
            actor=clerk, matter=water, title="主管道铺设", due_on=clock.today() + dt.timedelta(days=30)
        )
        services.milestone_set(
            actor=clerk, matter=water, title="入户改造", due_on=clock.today() + dt.timedelta(days=90)
        )
        services.spending_record(
            actor=clerk, matter=water, item="PE管材", amount=Decimal("168000"), spent_on=clock.today()
        )
    with days_ago(35):
        first_milestone = water.milestones.order_by("due_on")[0]
        services.milestone_done(actor=clerk, matter=water, milestone_id=first_milestone.pk, note="提前5天完成")
        services.spending_record(
            actor=clerk, matter=water, item="施工费（第一期）", amount=Decimal("95000"), spent_on=clock.today()
        )

    # 8. The residents' satisfaction vote, and 9. a matter completed.
    for title, summary, started, finish in [
        ("村小学门前修建减速带", "学校门前道路设置减速带和警示标志。", 150, False),
        ("村级卫生室改建", "改建村卫生室，增设观察床位。", 240, True),
    ]:
        with days_ago(started):
            matter = village_matter(title, summary, 60000)
        matter = through_comment(matter, started - 2)
        matter = meeting_passes(matter, started - 30)
        publicity(matter, started - 32, objection=False)
        with days_ago(started - 45):
            matter = services.matter_advance(actor=clerk, matter=matter)
            milestone = services.milestone_set(
                actor=clerk, matter=matter, title="完工验收", due_on=clock.today() + dt.timedelta(days=20)
            )
            services.spending_record(
                actor=clerk, matter=matter, item="工程款", amount=Decimal("56800"), spent_on=clock.today()
            )
        with days_ago(started - 60):
            services.milestone_done(actor=clerk, matter=matter, milestone_id=milestone.pk)
            matter = services.matter_advance(actor=clerk, matter=matter)
            for n in range(1, 38 if finish else 21):
                name, number = resident_identity(n)
                choice = "satisfied" if n % 5 else ("basically" if n % 10 else "dissatisfied")
                services.satisfaction_vote(matter=matter, name=name, id_number=number, choice=choice)
        if finish:
            with days_ago(started - 80):
                services.matter_advance(actor=clerk, matter=matter)

    # 10. A matter the assembly rejected.
    with days_ago(100):
        pond = village_matter("出租村集体鱼塘", "村集体鱼塘对外出租十年。", 0)
    pond = through_comment(pond, 98)
    with days_ago(86, hour=8):
        meeting = services.meeting_schedule(
            actor=clerk, matter=pond, scheduled_for=clock.now() + dt.timedelta(days=11), place="茶山村委会会议室"
        )
    with days_ago(75, hour=9):
        services.meeting_attend(actor=clerk, meeting=meeting, resident_ids=[r.pk for r in adults[:36]])
        services.meeting_check_quorum(actor=clerk, meeting=meeting)
        for index, resident in enumerate(adults[:36]):
            services.meeting_vote(
                actor=clerk,
                meeting=meeting,
                resident_id=resident.pk,
                choice="against" if index % 3 else "for",
                reason="租期太长" if index == 1 else "",
            )
        services.meeting_close(actor=clerk, meeting=meeting)

    context.logins.append(
        (
            "resident",
            f"{DEMO_RESIDENT[0]} / {DEMO_RESIDENT[1]}",
            "a villager of 茶山村 on the register: co-sign and vote with this name and identity number",
        )
    )
    context.write(f"consultations: {Matter.objects.count()} matters, {len(residents)} residents on 茶山村's register")
