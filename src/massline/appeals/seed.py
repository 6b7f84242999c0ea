"""The demo's appeal policy: the defaults of RULES.md as version 1."""

from django.conf import settings

from massline.core.seeding import SeedContext, seeder

from .models import AppealPolicy


@seeder("appeals.policy")
def seed_policy(context: SeedContext) -> None:
    _policy, created = AppealPolicy.objects.get_or_create(version=1, defaults={"name": "RULES.md defaults"})
    context.write(f"appeals.policy: {'created' if created else 'exists'} v1")


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
