"""Background work owned by core: the worker heartbeat, enqueued every minute."""

import datetime as dt
import os
import socket

from django_tasks import task

from . import clock
from .models import Heartbeat
from .periodic import periodic


@periodic("core.worker_heartbeat", every=dt.timedelta(minutes=1))
@task()
def worker_heartbeat() -> int:
    """Record that a worker process is alive and running tasks. Idempotent: it only moves a timestamp."""
    Heartbeat.objects.update_or_create(
        name="worker",
        defaults={"last_seen": clock.now(), "pid": os.getpid(), "host": socket.gethostname()},
    )
    return os.getpid()
