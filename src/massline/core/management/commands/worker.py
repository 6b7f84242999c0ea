"""``massline worker``: runs background tasks from the configured backend and schedules periodic jobs."""

import logging
import os
import threading
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import close_old_connections
from django_tasks.signals import task_finished, task_started
from django_tasks_db.compat import TASKS_LOGGER
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from massline.core.periodic import enqueue_due_jobs

logger = logging.getLogger(__name__)


class _DbWorker(DbWorkerCommand):
    """django-tasks-db's worker, logging at the level the settings give (``TASK_LOG_LEVEL``, WARNING by
    default) instead of a line for every task started and finished, which buries everything else."""

    def configure_logging(self, verbosity: int) -> None:
        super().configure_logging(verbosity)
        level = logging.getLevelName(str(getattr(settings, "TASK_LOG_LEVEL", "WARNING")).upper())
        if isinstance(level, int):
            logging.getLogger(TASKS_LOGGER).setLevel(level)


def _fresh_connections(**kwargs: Any) -> None:
    close_old_connections()


class Command(BaseCommand):
    help = "Run the task worker (database or RQ backend) with the periodic-job scheduler."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch", action="store_true", help="Run what is queued now, then exit.")
        parser.add_argument("--max-tasks", type=int, default=None)
        parser.add_argument("--no-periodic", action="store_true", help="Do not schedule periodic jobs.")
        parser.add_argument("--tick-seconds", type=float, default=20.0)
        parser.add_argument(
            "--nice",
            type=int,
            default=0,
            help="Lower this worker's CPU priority by N (0-19), so web requests go first on a shared machine; "
            "10 suits the worker of the periodic jobs.",
        )
        parser.add_argument(
            "--queues",
            default="",
            help=(
                "The queues to serve, comma-separated (default: all, the intake queue first). Run one worker for "
                "'periodic' and others for 'intake,default', so that a long periodic job (retraining the router, "
                "the open-data export) never holds up routing and notices."
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        queues = [name.strip() for name in options["queues"].split(",") if name.strip()] or list(settings.TASK_QUEUES)
        unknown = sorted(set(queues) - set(settings.TASK_QUEUES))
        if unknown:
            raise CommandError(f"unknown queue {', '.join(unknown)}: the queues are {', '.join(settings.TASK_QUEUES)}")
        queues = [name for name in settings.TASK_QUEUES if name in queues]  # the intake queue first
        if not 0 <= options["nice"] <= 19:
            raise CommandError("--nice must be between 0 and 19")
        if options["nice"]:
            os.nice(options["nice"])
        stop = threading.Event()
        if not options["no_periodic"]:
            enqueue_due_jobs()
            if not options["batch"]:
                threading.Thread(target=self._tick, args=(stop, options["tick_seconds"]), daemon=True).start()
        try:
            if settings.TASK_BACKEND == "rq":
                # Tasks run in this process (no fork per task, which cost more than a routing task itself);
                # database connections are checked around each task, as Django does around each request.
                task_started.connect(_fresh_connections, dispatch_uid="worker.fresh_connections.started")
                task_finished.connect(_fresh_connections, dispatch_uid="worker.fresh_connections.finished")
                rq_args = [
                    "rqworker",
                    *queues,
                    "--job-class",
                    "django_tasks_rq.Job",
                    "--worker-class",
                    "rq.worker.SimpleWorker",
                ]
                if options["batch"]:
                    rq_args.append("--burst")
                call_command(*rq_args)
            else:
                every = queues == list(settings.TASK_QUEUES)
                db_options: dict[str, Any] = {
                    "queue_name": "*" if every else ",".join(queues),
                    "reload": False,
                    "startup_delay": False,
                }
                if options["batch"]:
                    db_options["batch"] = True
                if options["max_tasks"]:
                    db_options["max_tasks"] = options["max_tasks"]
                call_command(_DbWorker(), **db_options)
        finally:
            stop.set()

    def _tick(self, stop: threading.Event, seconds: float) -> None:
        while not stop.wait(seconds):
            try:
                enqueue_due_jobs()
            except Exception:  # keep scheduling through a database restart
                logger.exception("periodic scheduling failed; retrying")
            finally:
                close_old_connections()
