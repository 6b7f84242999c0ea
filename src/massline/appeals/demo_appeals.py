"""Demo appeals: realistic requests of the demo city over the last 90 days, driven through the real services
with the clock moved to each step's time, so every state, deadline, timeline and audit record is genuine."""

from __future__ import annotations

import datetime as dt
import random

from massline.accounts.models import User
from massline.accounts.roles import Role
from massline.accounts.services import role_grant, user_create
from massline.core.clock import FixedClock, use_clock
from massline.org.models import Area, AreaLevel, Category, Unit
from massline.org.services import post_create

from .choices import EmergencyService, LegalChannel, Outcome, Satisfaction, SpecialRoute
from .models import Appeal
from .services import (
    ContactInput,
    appeal_contact,
    appeal_dispatch,
    appeal_rate,
    appeal_reply,
    appeal_route,
    appeal_special_route,
    appeal_submit,
    assignment_accept,
    assignment_object,
    extension_decide,
    extension_request,
    objection_decide,
    supervision_order_answer,
    supervision_order_issue,
)
from .transitions import State

# (title, description) pairs by first-level category code prefix, written as citizens write.
TEXTS: list[tuple[str, str]] = [
    ("小区门口道路坑洼积水", "小区南门外的道路有好几个大坑，下雨天积水很深，电动车经过容易摔倒，希望尽快修补。"),
    ("路灯连续一周不亮", "我们这条路的路灯已经一个星期晚上都不亮了，老人晚上出门很不安全，请派人维修。"),
    ("夜间施工噪声扰民", "附近工地每天晚上十一点以后还在施工，噪声很大，孩子无法休息，请相关部门管一管。"),
    ("物业不作为，电梯经常故障", "小区电梯一个月坏了三次，物业公司一直拖着不修，业主多次反映无果。"),
    ("拖欠农民工工资", "我们在某建筑工地干了四个月，老板一直拖欠工资不给，共十二人，金额约二十万元。"),
    ("孩子入学学位申请咨询", "孩子今年满六周岁，户口和房产都在本区，想咨询小学入学需要准备哪些材料。"),
    ("餐馆油烟直排居民楼", "楼下新开的餐馆油烟没有净化直接排放，家里窗户都不敢开，希望环保部门检查。"),
    ("低保申请进度咨询", "家里老人身体不好，三个月前提交了低保申请，一直没有消息，想了解办理进度。"),
    ("公交站台破损", "公交站台的顶棚坏了，下雨时等车的人都淋湿了，希望尽快修复。"),
    ("停水没有提前通知", "今天早上突然停水，事先没有任何通知，家里老人孩子生活很不方便。"),
    ("建议增设社区老年食堂", "社区老年人很多，建议开办老年食堂，解决老人吃饭难的问题。"),
    ("超市销售过期食品", "在某超市购买的牛奶已经过期三天，与超市交涉不予退换，请市场监管部门处理。"),
]
# Words to find each text's category in the demo catalogue, most specific first.
TEXT_TOPICS: dict[str, tuple[str, ...]] = {
    "小区门口道路坑洼积水": ("道路积水", "道路"),
    "路灯连续一周不亮": ("路灯不亮", "路灯"),
    "夜间施工噪声扰民": ("施工噪声", "噪声"),
    "物业不作为，电梯经常故障": ("电梯", "物业服务"),
    "拖欠农民工工资": ("农民工工资", "工资"),
    "孩子入学学位申请咨询": ("入学条件", "入学"),
    "餐馆油烟直排居民楼": ("餐饮油烟", "油烟"),
    "低保申请进度咨询": ("最低生活", "低保", "救助"),
    "公交站台破损": ("公交站", "公交服务"),
    "停水没有提前通知": ("停水", "供水"),
    "建议增设社区老年食堂": ("老年", "养老"),
    "超市销售过期食品": ("过期变质食品", "食品"),
}


def _topic(title: str, categories: list[Category], rng: random.Random) -> Category:
    for word in TEXT_TOPICS.get(title, ()):
        for category in categories:
            if word in category.name_zh:
                return category
    return rng.choice(categories)


STATE_MIX = [
    # (weight, final step reached)
    (6, "pending"),
    (8, "dispatched"),
    (3, "objected"),
    (18, "in_progress"),
    (12, "replied"),
    (40, "closed"),
    (6, "reopened"),
    (3, "review"),
]


class CappedClock(FixedClock):
    """A demo clock that never runs past the present: a step that would lie in the future happens now."""

    def __init__(self, at: dt.datetime, *, limit: dt.datetime) -> None:
        super().__init__(at)
        self.limit = limit

    def advance(self, delta: dt.timedelta) -> None:
        super().advance(delta)
        if self.now() > self.limit:
            super().advance(self.limit - self.now())


def _duty_handler(unit: Unit, cache: dict[int, User]) -> User:
    """A handler account for ``unit`` (no password: only the named demo accounts sign in)."""
    if unit.pk in cache:
        return cache[unit.pk]
    username = f"duty.{unit.code.lower()}"
    user = User.objects.filter(username=username).first()
    if user is None:
        user = user_create(actor=None, username=username, password=None, display_name=f"{unit.name_zh}值班员")
        role_grant(actor=None, user=user, role=Role.HANDLER, unit=unit)
        post_create(actor=None, user=user, unit=unit, title_zh="值班员", title_en="Duty officer")
    cache[unit.pk] = user
    return user


def _special(appeal: Appeal, operator: User, rng: random.Random, earlier: dict[int | None, Appeal]) -> Appeal:
    """A few appeals take a special route instead of being dispatched (Beijing regulation Art. 11)."""
    first = earlier.get(appeal.category_id)
    roll = rng.random()
    if first is not None and first.pk != appeal.pk and roll < 0.5:
        return appeal_special_route(actor=operator, appeal=appeal, route=SpecialRoute.SAME_MATTER, linked_to=first)
    if roll < 0.75:
        return appeal_special_route(
            actor=operator, appeal=appeal, route=SpecialRoute.LEGAL_CHANNEL, detail=rng.choice(LegalChannel.values)
        )
    return appeal_special_route(
        actor=operator, appeal=appeal, route=SpecialRoute.EMERGENCY, detail=rng.choice(EmergencyService.values)
    )


def seed_demo_appeals(*, count: int, now: dt.datetime, rng: random.Random) -> dict[str, int]:
    dispatcher = User.objects.get(username="dispatcher")
    operator = User.objects.get(username="operator")
    supervisor = User.objects.get(username="supervisor")
    earlier: dict[int | None, Appeal] = {}
    communities = list(Area.objects.filter(level=AreaLevel.COMMUNITY).select_related("parent"))
    categories = list(Category.objects.filter(depth__gte=1).order_by("-depth", "code"))
    handlers: dict[int, User] = {}
    kinds = ["complaint"] * 5 + ["help"] * 3 + ["consultation"] * 2 + ["report", "suggestion"]
    channels = ["hotline"] * 6 + ["web"] * 3 + ["letter", "visit", "email"]
    finals = [final for weight, final in STATE_MIX for _ in range(weight)]
    counts: dict[str, int] = {}
    for _i in range(count):
        title, description = rng.choice(TEXTS)
        final = rng.choice(finals)
        # Appeals still open are recent, as on a working hotline; answered ones spread over the 90 days.
        window = {"pending": 1, "dispatched": 2.5, "objected": 3, "in_progress": 8}.get(final, 90)
        received = now - dt.timedelta(days=rng.uniform(0, window), hours=rng.uniform(0, 10))
        moment = CappedClock(received, limit=now)
        with use_clock(moment):
            result = appeal_submit(
                actor=None,
                kind=rng.choice(kinds),
                channel=rng.choice(channels),
                title=title,
                description=description,
                area=rng.choice(communities),
                category=None if final == "pending" else _topic(title, categories, rng),
                contact=ContactInput(
                    name=rng.choice("王李张刘陈杨赵黄周吴") + rng.choice(["先生", "女士"]),
                    phone=f"13{rng.randrange(10**9):09d}",
                ),
                contact_confidential=rng.random() < 0.2,
                anonymous=rng.random() < 0.05,
                publish_consent=rng.random() < 0.5,
                route_after_commit=False,
            )
            if final == "pending" and rng.random() < 0.3:
                appeal = _special(result.appeal, operator, rng, earlier)
                counts[appeal.state] = counts.get(appeal.state, 0) + 1
                continue
            appeal = appeal_route(appeal=result.appeal)
            earlier.setdefault(appeal.category_id, appeal)
            if appeal.state == State.PENDING_DISPATCH and final != "pending":
                unit = Unit.objects.filter(kind="department", is_active=True).order_by("?").first()
                if unit is not None:
                    moment.advance(dt.timedelta(minutes=rng.uniform(10, 240)))
                    appeal = appeal_dispatch(actor=dispatcher, appeal=appeal, lead_unit=unit)
            if final in ("pending", "dispatched") or appeal.lead_unit is None:
                counts[appeal.state] = counts.get(appeal.state, 0) + 1
                continue
            handler = _duty_handler(appeal.lead_unit, handlers)
            moment.advance(dt.timedelta(hours=rng.uniform(1, 20)))
            if final == "objected" or rng.random() < 0.08:
                appeal = assignment_object(
                    actor=handler, appeal=appeal, reason="该事项不属于本单位职责范围，建议转相关部门。"
                )
                if final == "objected":
                    counts[appeal.state] = counts.get(appeal.state, 0) + 1
                    continue
                moment.advance(dt.timedelta(hours=rng.uniform(1, 8)))
                assert appeal.lead_unit is not None
                appeal = objection_decide(
                    actor=dispatcher, appeal=appeal, unit=appeal.lead_unit, reason="经核实属于该单位职责，请予办理。"
                )
            appeal = assignment_accept(actor=handler, appeal=appeal)
            if rng.random() < 0.9:
                moment.advance(dt.timedelta(hours=rng.uniform(0.5, 12)))
                appeal = appeal_contact(actor=handler, appeal=appeal, summary="已电话联系诉求人，约定现场核实。")
            if rng.random() < 0.12 and moment.now() < (appeal.due_at or now):
                extension = extension_request(
                    actor=handler,
                    appeal=appeal,
                    days=rng.randint(2, 5),
                    reason="需协调多个部门现场会商，申请延期办理。",
                )
                moment.advance(dt.timedelta(hours=rng.uniform(1, 6)))
                approve = rng.random() < 0.8
                extension_decide(
                    actor=dispatcher,
                    extension=extension,
                    approve=approve,
                    reason="" if approve else "事项不复杂，请按期办结。",
                )
                appeal.refresh_from_db()
            if final == "in_progress":
                if rng.random() < 0.1:
                    order = supervision_order_issue(
                        actor=supervisor, appeal=appeal, instruction="群众反映强烈，请加快办理并报告进展。"
                    )
                    if rng.random() < 0.5:
                        moment.advance(dt.timedelta(hours=rng.uniform(2, 30)))
                        supervision_order_answer(actor=handler, order=order, response="已成立专班，正在处理。")
                counts[appeal.state] = counts.get(appeal.state, 0) + 1
                continue
            moment.advance(dt.timedelta(days=rng.uniform(0.5, 6)))
            if moment.now() >= now:
                counts[appeal.state] = counts.get(appeal.state, 0) + 1
                continue
            appeal = appeal_reply(
                actor=handler,
                appeal=appeal,
                outcome=rng.choice([Outcome.SOLVED] * 6 + [Outcome.EXPLAINED] * 3 + [Outcome.NOT_SUPPORTED]),
                text="经现场核实，已安排专人处理，相关问题已整改完毕。感谢您的反映和监督。",
            )
            if final == "replied":
                counts[appeal.state] = counts.get(appeal.state, 0) + 1
                continue
            moment.advance(dt.timedelta(days=rng.uniform(0.2, 2)))
            satisfied = final == "closed"
            appeal = appeal_rate(
                actor=operator,
                appeal=appeal,
                satisfaction=rng.choice([Satisfaction.SATISFIED, Satisfaction.BASICALLY])
                if satisfied
                else Satisfaction.DISSATISFIED,
                solved=satisfied,
            )
            if final == "review" and appeal.state == State.IN_PROGRESS:
                moment.advance(dt.timedelta(days=rng.uniform(0.5, 3)))
                appeal = appeal_reply(
                    actor=handler, appeal=appeal, outcome=Outcome.EXPLAINED, text="已再次核实并向您解释政策依据。"
                )
                appeal = appeal_rate(
                    actor=operator, appeal=appeal, satisfaction=Satisfaction.DISSATISFIED, solved=False
                )
        counts[appeal.state] = counts.get(appeal.state, 0) + 1
    return counts
