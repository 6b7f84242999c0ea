"""Background work of the appeal loop."""

import datetime as dt

from django_tasks import task

from massline.core.periodic import periodic


@task(queue_name="intake")
def route_appeal(appeal_id: int) -> str:
    """Route a stored appeal (dispatch it, or queue it for a dispatcher). Idempotent. The notifications of its
    receipt and of its routing are then prepared together by one more task, so that routing, which decides
    how soon a unit starts work, never waits behind them."""
    from .models import Appeal
    from .notify import notify_appeal
    from .services.intake import route_leaving_notifications

    try:
        state = route_leaving_notifications(appeal_id).state
    except Appeal.DoesNotExist:
        return "missing"
    notify_appeal(appeal_id)
    return state


@periodic("appeals.route_catch_up", every=dt.timedelta(minutes=2))
@task()
def route_catch_up() -> int:
    """Route the appeals a crash left unrouted: stored and committed, but the process died before routing them
    or queueing ``route_appeal``. Only appeals received more than a minute ago, so that the normal path (routing
    in the request, milliseconds after the commit) is not raced; read off the (state, received_at) index."""
    from massline.core import clock

    from .models import Appeal

    before = clock.now() - dt.timedelta(minutes=1)
    ids = list(
        Appeal.objects.filter(state="received", received_at__lt=before)
        .order_by("received_at")
        .values_list("id", flat=True)[:1000]
    )
    for appeal_id in ids:
        route_appeal.call(appeal_id)
    return len(ids)


@task()
def prepare_appeal_notifications(appeal_id: int) -> int:
    """The outbox rows of every event of one appeal that has none yet (see ``notify.py``)."""
    from .notify import notifications_prepare_pending

    return notifications_prepare_pending(appeal_id)


@task()
def prepare_pending_notifications() -> int:
    """The notifications of every step taken since the last drain, in batches (``notify.queue_drain``)."""
    from .notify import notifications_drain

    return notifications_drain()


@periodic("appeals.deadline_sweep", every=dt.timedelta(minutes=5))
@task()
def deadline_sweep() -> dict[str, int]:
    """Warnings, overdue notices and escalations for every open appeal (see ``sweep.py``). Idempotent."""
    from .sweep import deadline_sweep as sweep

    return sweep().counts


@task()
def mail_intake() -> dict[str, int]:
    """Read the e-mail intake mailbox or directory (``mail_intake.py``). Idempotent: a message read twice never
    makes a second appeal."""
    from .mail_intake import mail_intake_run

    return mail_intake_run().as_dict()


def _register_mail_intake() -> None:
    from .mail_intake import mail_intake_configured

    if mail_intake_configured():
        periodic("appeals.mail_intake", every=dt.timedelta(minutes=5))(mail_intake)


_register_mail_intake()


@task()
def prepare_notifications(event_id: int) -> None:
    """The outbox rows of one appeal event (see ``notify.py``)."""
    from .notify import notifications_prepare

    notifications_prepare(event_id)


@periodic("appeals.notify_catch_up", every=dt.timedelta(minutes=2))
@task()
def notify_catch_up() -> int:
    """Prepare the notifications of events whose task was lost; only events older than a minute, so that the
    normal path is not raced. Reads off a partial index of the few unmarked events."""
    from massline.core import clock

    from .notify import BATCH, prepare_events, unmarked_events

    ids = list(unmarked_events().filter(at__lt=clock.now() - dt.timedelta(minutes=1))[:1000])
    return sum(prepare_events(ids[start : start + BATCH])[0] for start in range(0, len(ids), BATCH))
