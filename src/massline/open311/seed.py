"""The demo's first open-data export, so that /open-data/ has a day to show before the worker's daily job."""

from __future__ import annotations

from massline.core.seeding import SeedContext, seeder


@seeder("open311.open_data", after=("appeals.demo", "evaluation.scorecards", "intelligence.hot_issues"))
def seed_open_data(context: SeedContext) -> None:
    from .opendata import open_data_export

    counts = open_data_export()
    context.write(
        f"open311.open_data: today's export, {counts['appeals']} appeals, {counts['scorecards']} scorecard rows"
    )
