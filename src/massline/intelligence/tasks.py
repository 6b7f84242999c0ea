"""Background work of text intelligence."""

import datetime as dt

from django_tasks import task

from massline.core.periodic import periodic


@periodic("intelligence.router_retrain", every=dt.timedelta(days=7))
@task(queue_name="periodic")
def router_retrain() -> int | None:
    """Train a router on the last year of appeals whose topics people set, corrected or confirmed; activate it
    when it does at least as well as the active one in cross-validation. Returns the new version."""
    from .training import train_from_history

    version = train_from_history(actor=None)
    return version.version if version is not None else None


@periodic("intelligence.hot_issues_refresh", every=dt.timedelta(hours=1))
@task(queue_name="periodic")
def hot_issues_refresh() -> dict[str, int]:
    """Find the hot issues among the recent appeals again (idempotent: a second run changes nothing)."""
    from .services import hot_issues_refresh as refresh

    return refresh()
