"""The embedded mode holds under concurrent writers: ``massline serve --workers 2`` takes appeals while
``massline worker`` warns a backlog of due appeals and prepares and sends the notifications of the new ones, all
on one database. On SQLite (WAL, IMMEDIATE transactions, a busy timeout: settings/base.py) neither process logs
"database is locked" and no request or task fails; the same holds, trivially for locks, on PostgreSQL."""

from __future__ import annotations

import sqlite3
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test import override_settings

from .test_worker import database_url

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

from _crash import concurrent_writers, seed_city, seed_due_appeals  # noqa: E402

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def city() -> Iterator[None]:
    with override_settings(
        TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": settings.TASK_QUEUES}}
    ):
        seed_city()
        yield


def test_web_server_and_worker_write_at_once_without_lock_errors(city: None) -> None:
    backlog = seed_due_appeals(80, title_prefix="backlog-")
    outcome = concurrent_writers(
        database_url=database_url(),
        var_dir=Path(settings.VAR_DIR) / f"writers-{connection.vendor}",
        seconds=8,
        threads=4,
        backlog_ids=backlog,
    )
    assert outcome.server_locked == [] and outcome.worker_locked == []
    assert outcome.failed_task_errors == [] and outcome.tasks_failed == 0
    assert set(outcome.statuses) == {201}  # every submission stored, none refused or dropped
    assert outcome.created == outcome.statuses[201] > 0
    assert outcome.warned == outcome.backlog == len(backlog) > 0  # the worker wrote all the while
    assert outcome.tasks_done > outcome.created  # routing's notifications, deliveries, the sweep
    if connection.vendor == "sqlite":
        assert outcome.journal_mode == "wal"


def test_embedded_database_runs_in_wal_mode_with_a_busy_timeout() -> None:
    """What a second process opening the file sees: WAL is a property of the database file."""
    if connection.vendor != "sqlite":
        pytest.skip("a property of the embedded SQLite database; PostgreSQL has no journal mode to check")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] >= 5000
    other = sqlite3.connect(settings.DATABASES["default"]["NAME"])
    try:
        assert other.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        other.close()
    assert settings.DATABASES["default"]["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
