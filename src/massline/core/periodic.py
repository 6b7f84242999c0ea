"""Periodic jobs. Each job is a task run at a fixed interval; ``enqueue_due_jobs()`` enqueues a job at most
once per time slot, enforced by a unique row per (job, slot), so any number of schedulers may tick at once
and a restart never double-runs a slot. The jobs themselves must also be idempotent."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils.module_loading import autodiscover_modules

from . import clock

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    task: object  # a django_tasks Task
    every: dt.timedelta


_jobs: dict[str, PeriodicJob] = {}
RUN_RETENTION = dt.timedelta(days=7)  # slot rows older than this guard nothing any more


def periodic(name: str, *, every: dt.timedelta):  # type: ignore[no-untyped-def]
    """Register a task (already decorated with ``@task``) to be enqueued every ``every``."""

    def register(task):  # type: ignore[no-untyped-def]
        _jobs[name] = PeriodicJob(name=name, task=task, every=every)
        return task

    return register


def registered_jobs() -> dict[str, PeriodicJob]:
    autodiscover_modules("tasks")
    return dict(_jobs)


def slot_start(moment: dt.datetime, every: dt.timedelta) -> dt.datetime:
    """The start of the slot of length ``every`` that contains ``moment`` (slots aligned on the epoch)."""
    epoch = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
    seconds = int(every.total_seconds())
    elapsed = int((moment - epoch).total_seconds())
    return epoch + dt.timedelta(seconds=elapsed - elapsed % seconds)


def enqueue_due_jobs() -> list[str]:
    """Enqueue every job whose current slot has not been enqueued yet; return the names enqueued."""
    from .models import PeriodicRun

    enqueued = []
    moment = clock.now()
    for job in registered_jobs().values():
        slot = slot_start(moment, job.every)
        try:
            with transaction.atomic():
                PeriodicRun.objects.create(job=job.name, slot=slot, enqueued_at=moment)
                # After commit: a queue outside the database (RQ) must not run a job whose slot row rolled back.
                transaction.on_commit(job.task.enqueue)  # type: ignore[attr-defined]
        except IntegrityError:
            continue  # this slot was already enqueued by this or another scheduler
        logger.info("enqueued periodic job %s for slot %s", job.name, slot.isoformat())
        enqueued.append(job.name)
    PeriodicRun.objects.filter(slot__lt=moment - RUN_RETENTION).delete()
    return enqueued
