"""``massline scorecards refresh [--month YYYY-MM | --all]``: recompute the pre-aggregated scorecards.

Without an option the current and the previous month are refreshed, as the periodic job does; ``--all``
refreshes every month from the first appeal received to the current one."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Min

from massline.appeals.models import Appeal
from massline.core import clock
from massline.evaluation.months import add_months, current_month, month_start, parse_month
from massline.evaluation.services import scorecard_refresh


class Command(BaseCommand):
    help = "Recompute the scorecards (three rates, rankings) of one month, of every month, or of the last two."
    leave_locale_alone = True

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="{refresh}")
        refresh = actions.add_parser("refresh", help="Recompute and replace the rows of the chosen months.")
        which = refresh.add_mutually_exclusive_group()
        which.add_argument("--month", help="The month to refresh, as YYYY-MM.")
        which.add_argument("--all", action="store_true", help="Every month since the first appeal.")

    def handle(self, *args: Any, **options: Any) -> None:
        this_month = current_month()
        if options.get("month"):
            try:
                months = [parse_month(options["month"])]
            except ValueError as exc:
                raise CommandError(f"--month must be YYYY-MM, not {options['month']!r}") from exc
        elif options.get("all"):
            first = Appeal.objects.aggregate(first=Min("received_at"))["first"]
            month = month_start(first.astimezone(clock.local_zone()).date()) if first else this_month
            months = []
            while month <= this_month:
                months.append(month)
                month = add_months(month, 1)
        else:
            months = [add_months(this_month, -1), this_month]
        for month in months:
            fill = scorecard_refresh(month=month)
            self.stdout.write(
                f"{month:%Y-%m}: {fill.rows} rows from {fill.appeals} appeals in {fill.duration_seconds:.2f} s"
            )
