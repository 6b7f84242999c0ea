"""The demo's appeal policy: the defaults of RULES.md as version 1."""

from massline.core.seeding import SeedContext, seeder

from .models import AppealPolicy


@seeder("appeals.policy")
def seed_policy(context: SeedContext) -> None:
    _policy, created = AppealPolicy.objects.get_or_create(version=1, defaults={"name": "RULES.md defaults"})
    context.write(f"appeals.policy: {'created' if created else 'exists'} v1")
