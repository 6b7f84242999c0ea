"""Background work of notifications: deliver an event's messages after it commits, sweep anything still due
every minute, and send the daily digests."""

import datetime as dt

from django_tasks import task

from massline.core.periodic import periodic


@task()
def deliver_events_notifications(event_ids: list[int]) -> int:
    """Send the due messages of the appeal events prepared together. Idempotent: sent rows are never picked up
    again."""
    from massline.core.leases import drain

    from .services import BATCH, outbox_deliver

    return drain(outbox_deliver, batch=BATCH, event_ids=event_ids)


@task()
def deliver_event_notifications(event_id: int) -> int:
    """One event's messages: the task queued before events were prepared in batches, kept so that jobs still
    waiting in a queue after an upgrade run."""
    return deliver_events_notifications.call([event_id])


@periodic("notifications.deliver_due", every=dt.timedelta(minutes=1))
@task()
def deliver_due_notifications() -> int:
    """Send every message that is due: first attempts whose enqueue was lost, and retries whose wait is over."""
    from .services import outbox_deliver_due

    return outbox_deliver_due()


@periodic("notifications.daily_digest", every=dt.timedelta(hours=1))
@task()
def send_daily_digests() -> int:
    """Hourly, so a missed hour is caught up; the digest itself goes out at most once a day per person, from
    ``MASSLINE_NOTIFY_DIGEST_HOUR`` (08:00 by default, in the deployment's time zone)."""
    from .services import digest_send_daily

    return digest_send_daily()
