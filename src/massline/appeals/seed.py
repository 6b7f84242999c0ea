"""The demo's appeal policy: the defaults of RULES.md as version 1."""

from django.conf import settings

from massline.core.seeding import SeedContext, seeder

from .models import AppealPolicy, ReplyTemplate

# Starting texts every unit may adapt: what was done, on what basis, and when (信访工作条例 Art. 32).
REPLY_TEMPLATES = [
    (
        "已解决（现场处置）",
        "solved",
        "您好！您反映的问题已收悉。我单位于【日期】派员现场核实，已【处置措施】，问题已解决。"
        "如仍有问题，请再次联系12345热线。感谢您的监督。",
    ),
    (
        "解释说明（政策依据）",
        "explained",
        "您好！经核实，您反映的事项依据【政策文件名称及条款】办理，具体情况如下：【说明】。"
        "如需进一步咨询，可拨打【联系电话】。感谢您的理解。",
    ),
    (
        "不予支持（理由）",
        "not_supported",
        "您好！经调查核实，您提出的诉求因【理由】，依据【法律法规条款】，暂不予支持。"
        "如对本答复有异议，可依法通过【救济渠道】反映。",
    ),
]


@seeder("appeals.policy")
def seed_policy(context: SeedContext) -> None:
    _policy, created = AppealPolicy.objects.get_or_create(version=1, defaults={"name": "RULES.md defaults"})
    for name, outcome, text in REPLY_TEMPLATES:
        ReplyTemplate.objects.get_or_create(name=name, unit=None, defaults={"outcome": outcome, "text": text})
    context.write(f"appeals.policy: {'created' if created else 'exists'} v1; {len(REPLY_TEMPLATES)} reply templates")


@seeder("appeals.demo", after=("appeals.policy", "accounts.staff", "org.city"))
def seed_appeals(context: SeedContext) -> None:
    """Appeals over the last 90 days (MASSLINE_DEMO_APPEALS, 1000 by default), in every state, through the
    real services."""
    import random
    import time

    from massline.core import clock

    from .demo_appeals import seed_demo_appeals
    from .models import Appeal
    from .sweep import deadline_sweep

    if Appeal.objects.exists():
        context.write("appeals.demo: appeals exist, skipped")
        return
    started = time.monotonic()
    now = clock.now()
    counts = seed_demo_appeals(count=settings.MASSLINE_DEMO_APPEALS, now=now, rng=random.Random(2026))  # noqa: S311
    swept = deadline_sweep(now=now).counts  # the warnings and overdue notices the worker would have sent
    summary = ", ".join(f"{state} {n}" for state, n in sorted(counts.items()))
    context.write(
        f"appeals.demo: {sum(counts.values())} appeals ({summary}); deadline sweep {swept}; "
        f"{time.monotonic() - started:.1f} s"
    )
