"""The demo's router: trained on the shared labelled messages when they are beside the checkout, otherwise on
the demo's own appeals."""

from __future__ import annotations

from django.conf import settings

from massline.core.seeding import SeedContext, seeder


@seeder("intelligence.router", after=("appeals.demo",))
def seed_router(context: SeedContext) -> None:
    from massline.org.models import Category

    from .models import RouterVersion
    from .training import SHARED_LABELS_TO_DEMO_TOPICS, shared_messages, train_from_file, train_from_history

    if RouterVersion.objects.exists():
        return
    if not settings.MASSLINE_DEMO_ROUTER:
        context.write("intelligence.router: not trained (MASSLINE_DEMO_ROUTER is off)")
        return
    path = shared_messages()
    if path.is_file():
        codes = dict(Category.objects.filter(depth=0).values_list("name_zh", "code"))
        label_map = {label: codes[topic] for label, topic in SHARED_LABELS_TO_DEMO_TOPICS.items() if topic in codes}
        version = train_from_file(
            actor=None, path=path, text_column="text", label_column="label_l1", label_map=label_map
        )
    else:
        trained = train_from_history(actor=None)
        if trained is None:
            context.write("intelligence.router: no labelled messages to learn from")
            return
        version = trained
    context.write(
        f"intelligence.router: v{version.version} from {version.trained_on}, "
        f"macro-F1 {version.metrics.get('macro_f1', 0):.3f} (5-fold), threshold {version.threshold:.2f}"
    )


# Two matters many neighbours raise in the same place within days, written as different people write them.
HOT_BURSTS = [
    (
        "JC0104001",
        [
            (
                "丽景花园旁搅拌站夜间施工噪音扰民",
                "丽景花园小区东侧新建的混凝土搅拌站每天晚上施工到凌晨，噪音太大，老人小孩都睡不着。",
            ),
            (
                "投诉丽景花园附近搅拌站噪音",
                "丽景花园附近搅拌站夜里一直有搅拌车进出，轰隆隆的，严重影响休息，请尽快处理。",
            ),
            (
                "丽景花园小区边上的搅拌站太吵了",
                "搅拌站离丽景花园住宅楼不到一百米，晚上噪音和粉尘都很大，请环保部门查一查。",
            ),
            ("丽景花园搅拌站粉尘噪音污染", "丽景花园业主反映，小区旁搅拌站白天粉尘，晚上噪音，窗户都不敢开。"),
            ("搅拌站夜间作业扰民（丽景花园）", "丽景花园旁的搅拌站夜间作业，搅拌车鸣笛，影响几百户居民睡眠。"),
            ("丽景花园附近违规建设搅拌站", "请问丽景花园附近的搅拌站有没有审批手续？每天夜里噪音扰民。"),
            ("再次反映丽景花园搅拌站噪音", "上周已经反映过丽景花园旁搅拌站夜间噪音问题，至今没有改善，还是吵到凌晨。"),
            ("丽景花园小区搅拌站噪声超标", "丽景花园居民多次投诉搅拌站夜间噪声，希望监测噪声并责令停止夜间施工。"),
            ("丽景花园旁搅拌站搅拌车扬尘", "搅拌车从丽景花园门口经过，扬尘严重，夜里噪音也大。"),
            ("丽景花园搅拌站半夜施工", "丽景花园旁边搅拌站半夜还在施工，噪音扰民，孩子第二天要上学。"),
            ("丽景花园业主投诉搅拌站", "我们丽景花园业主强烈要求搅拌站停止夜间作业，噪音太大了。"),
            ("丽景花园附近搅拌站噪音何时解决", "丽景花园附近搅拌站噪音问题反映多次，什么时候能解决？"),
        ],
    ),
    (
        "JC0102001",
        [
            ("12路公交车末班车提前收车", "12路公交车最近末班车经常提前半小时收车，下夜班的人没车坐。"),
            ("反映12路公交末班车不按时", "12路公交末班车时刻表写的是22点，实际21点半就没车了。"),
            ("12路公交晚上班次太少", "12路公交晚上八点以后班次很少，末班车还提前收车，请公交公司调整。"),
            ("12路末班车提前发车", "昨晚在站台等12路末班车，等到时间也没来，问了才知道提前收车了。"),
            ("建议12路公交恢复末班车时间", "12路公交末班车提前，附近工厂下夜班的工人回不了家，建议恢复原来的时间。"),
            ("12路公交末班车经常不来", "12路公交末班车经常不来，站台也没有任何通知。"),
        ],
    ),
]


@seeder("intelligence.hot_issues", after=("appeals.demo",))
def seed_hot_issues(context: SeedContext) -> None:
    """Two bursts of appeals about one matter each (a noisy mixing plant, a bus line's last run), growing over
    the last two weeks, then the first hot-issue sweep."""
    import datetime as dt
    import random

    from massline.appeals.choices import AppealKind, Channel
    from massline.appeals.demo_appeals import CappedClock
    from massline.appeals.services import ContactInput, appeal_submit
    from massline.appeals.services.dispatch import appeal_route
    from massline.core import clock
    from massline.core.clock import use_clock
    from massline.org.models import Area, AreaLevel

    from .models import HotIssue
    from .services import hot_issues_refresh

    if HotIssue.objects.exists():
        context.write("intelligence.hot_issues: hot issues exist, skipped")
        return
    rng = random.Random(11)  # noqa: S311 — demo data
    now = clock.now()
    created = 0
    for street_code, texts in HOT_BURSTS:
        communities = list(Area.objects.filter(level=AreaLevel.COMMUNITY, parent__code=street_code))
        if not communities:
            continue
        community = communities[0]
        # Neighbours repeat one another: each text comes back once more from someone else.
        texts = texts + [(title, f"我也来反映：{description}") for title, description in texts]
        for number, (title, description) in enumerate(texts):
            # More of them lately: the n-th of N came about (N - n) / N of two weeks ago.
            received = now - dt.timedelta(days=14 * (len(texts) - number) / len(texts), hours=rng.uniform(0, 8))
            with use_clock(CappedClock(received, limit=now)):
                result = appeal_submit(
                    actor=None,
                    kind=AppealKind.COMPLAINT,
                    channel=rng.choice([Channel.HOTLINE, Channel.HOTLINE, Channel.WEB]),
                    title=title,
                    description=description,
                    area=community,
                    contact=ContactInput(
                        name=rng.choice("王李张刘陈") + "先生", phone=f"139{rng.randrange(10**8):08d}"
                    ),
                    publish_consent=True,
                    route_after_commit=False,
                )
                appeal_route(appeal=result.appeal)
            created += 1
    figures = hot_issues_refresh(now=now)
    taken = _take_up_bus_line()
    context.write(
        f"intelligence.hot_issues: {created} appeals added; the sweep found {figures['issues']} hot issues among "
        f"{figures['appeals']} recent appeals{'; the bus line taken up as a proactive task' if taken else ''}"
    )


def _take_up_bus_line() -> bool:
    """The supervisor has already taken up the bus line's last run, so the public page of proactive work has a
    task to show."""
    import datetime as dt

    from massline.accounts.models import User
    from massline.core import clock
    from massline.org.models import Unit

    from .models import HotIssue
    from .services import hot_issue_take_up

    issue = HotIssue.objects.filter(label__contains="12路", task__isnull=True).order_by("-score").first()
    unit = Unit.objects.filter(name_zh__contains="公交", is_active=True).first()
    supervisor = User.objects.filter(username="supervisor").first()
    if issue is None or unit is None or supervisor is None:
        return False
    hot_issue_take_up(
        actor=supervisor,
        issue=issue,
        title="12路公交末班车提前收车",
        lead_unit=unit,
        due_date=clock.today() + dt.timedelta(days=14),
        note="请核查12路末班车提前收车情况，恢复时刻表并在站台公示。",
    )
    return True
