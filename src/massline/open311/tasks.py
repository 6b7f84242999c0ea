"""Background work of the partner adapters: webhook deliveries."""

import datetime as dt

from django_tasks import task

from massline.core.periodic import periodic


@task()
def deliver_webhooks(delivery_id: int) -> int:
    """Send one delivery now (enqueued when it is logged)."""
    from .webhooks import webhook_deliver

    return webhook_deliver(delivery_id=delivery_id)


@periodic("open311.webhooks_due", every=dt.timedelta(minutes=1))
@task()
def webhooks_due() -> int:
    """Retries whose time has come, and deliveries whose enqueue was lost."""
    from .webhooks import webhook_deliver_due

    return webhook_deliver_due()


@periodic("open311.open_data_export", every=dt.timedelta(days=1))
@task(queue_name="periodic")
def open_data_export() -> dict[str, int]:
    """Today's anonymised appeals and scorecards, as CSV and JSON (docs/open-data.md)."""
    from .opendata import open_data_export as export

    return export()
