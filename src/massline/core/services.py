"""Core use cases."""

from typing import Any

from django.db import transaction

from massline.audit.services import audit_record


@transaction.atomic
def worker_check_request(*, actor: Any) -> None:
    """Queue a heartbeat task after commit; a running worker records itself when it runs it."""
    from .tasks import worker_heartbeat

    audit_record(event="core.worker_check.requested", actor=actor)
    transaction.on_commit(worker_heartbeat.enqueue)
