"""A task enqueued by the web application is run by a separate, real worker process — with the database
queue (SQLite or PostgreSQL, whichever the suite runs on) and with RQ on Redis."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
import redis
from django.db import connection
from django.test import override_settings
from django.urls import reverse

from massline.audit.models import AuditRecord
from massline.core.models import Heartbeat
from massline.core.testing import verify_two_factor

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def database_url() -> str:
    """The URL of the database this test runs on, for a child process."""
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    password = f":{settings['PASSWORD']}" if settings.get("PASSWORD") else ""
    return f"postgres://{settings['USER']}{password}@{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}/{settings['NAME']}"


def run_worker(extra_env: dict[str, str], *options: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "massline.settings.local",
        "DATABASE_URL": database_url(),
        "DEBUG": "false",
        **extra_env,
    }
    return subprocess.run(
        [sys.executable, "-m", "massline.cli", "worker", "--batch", "--no-periodic", *options],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def ask_for_a_worker_check(client, make_person) -> None:  # type: ignore[no-untyped-def]
    admin = make_person("administrator")
    verify_two_factor(client, admin)
    response = client.post(reverse("core:system_status"))
    assert response.status_code == 302
    assert AuditRecord.objects.filter(event="core.worker_check.requested").count() == 1


@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "periodic"]}})
def test_database_queue_is_run_by_a_worker_process(client, make_person) -> None:  # type: ignore[no-untyped-def]
    from django_tasks_db.models import DBTaskResult

    ask_for_a_worker_check(client, make_person)
    assert not Heartbeat.objects.exists()  # queued, not run by the web process
    assert DBTaskResult.objects.ready().count() == 1

    result = run_worker({"TASK_BACKEND": "db"})
    assert result.returncode == 0, result.stderr

    heartbeat = Heartbeat.objects.get(name="worker")
    assert heartbeat.pid not in (os.getpid(), 0)
    assert DBTaskResult.objects.ready().count() == 0
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    page = client.get(reverse("core:system_status"))
    assert str(heartbeat.pid) in page.content.decode()


@override_settings(
    TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["intake", "default", "periodic"]}}
)
def test_a_worker_serves_only_the_queues_it_is_given(client, make_person) -> None:  # type: ignore[no-untyped-def]
    from django_tasks_db.models import DBTaskResult

    ask_for_a_worker_check(client, make_person)
    assert DBTaskResult.objects.get().queue_name == "default"  # short: beside the notices

    long_jobs = run_worker({"TASK_BACKEND": "db"}, "--queues", "periodic", "--nice", "10")
    assert long_jobs.returncode == 0, long_jobs.stderr
    assert DBTaskResult.objects.ready().count() == 1 and not Heartbeat.objects.exists()  # not its queue

    notices = run_worker({"TASK_BACKEND": "db"}, "--queues", "intake,default")
    assert notices.returncode == 0, notices.stderr
    assert DBTaskResult.objects.ready().count() == 0 and Heartbeat.objects.filter(name="worker").exists()

    wrong = run_worker({"TASK_BACKEND": "db"}, "--queues", "default,urgent")
    assert wrong.returncode != 0 and "unknown queue urgent" in wrong.stderr
    too_nice = run_worker({"TASK_BACKEND": "db"}, "--nice", "25")
    assert too_nice.returncode != 0 and "--nice must be between 0 and 19" in too_nice.stderr


def test_rq_queue_is_run_by_a_worker_process(client, make_person, settings) -> None:  # type: ignore[no-untyped-def]
    redis_url = settings.REDIS_URL_FOR_TESTS
    redis.Redis.from_url(redis_url).flushdb()
    with override_settings(
        TASKS={"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default", "periodic"]}}
    ):
        ask_for_a_worker_check(client, make_person)
        assert not Heartbeat.objects.exists()
        result = run_worker({"TASK_BACKEND": "rq", "REDIS_URL": redis_url})
    assert result.returncode == 0, result.stderr
    heartbeat = Heartbeat.objects.get(name="worker")
    assert heartbeat.pid != os.getpid()
