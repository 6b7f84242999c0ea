"""The demo's scorecards: computed once the demo appeals exist, so the pages have figures at first start."""

from django.core.management import call_command

from massline.core.seeding import SeedContext, seeder


@seeder("evaluation.scorecards", after=("appeals.demo",))
def seed_scorecards(context: SeedContext) -> None:
    from io import StringIO

    out = StringIO()
    call_command("scorecards", "refresh", "--all", stdout=out)
    months = [line for line in out.getvalue().splitlines() if line.strip()]
    context.write(f"evaluation.scorecards: {len(months)} months refreshed")
