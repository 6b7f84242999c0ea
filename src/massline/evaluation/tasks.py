"""Background work of evaluation: the scorecards of the current and the previous month, every 15 minutes."""

import datetime as dt

from django_tasks import task

from massline.core.periodic import periodic

REFRESH_EVERY = dt.timedelta(minutes=15)


@periodic("evaluation.scorecards_refresh", every=REFRESH_EVERY)
@task(queue_name="periodic")
def scorecards_refresh_recent() -> list[str]:
    """Refresh this month and the last (ratings of last month's appeals keep arriving). Idempotent."""
    from .months import add_months, current_month
    from .services import scorecard_refresh

    this_month = current_month()
    months = [add_months(this_month, -1), this_month]
    for month in months:
        scorecard_refresh(month=month)
    return [f"{month:%Y-%m}" for month in months]
