"""The crash harness (docs/reliability.md), shared by ``bench/bench_crash.py`` (long form, figures) and
``tests/integration/test_crash.py`` (short form, assertions). Everything runs for real: ``massline serve``
(gunicorn) and ``massline worker`` as child processes on the database in ``DATABASE_URL``, killed with SIGKILL
(the whole process group) and started again, while this process drives them over HTTP and then reads the
database through the ORM to count what was stored, warned and notified.

Django must already be set up in this process, on the same database as the children's ``DATABASE_URL``.

- ``intake_under_kills``: clients submit appeals through ``POST /api/v1/appeals``, each with its own
  Idempotency-Key; the server is killed several times mid-load; every submission not acknowledged (refused
  connection, connection reset, no answer) is sent again with the same key and body until it is.
- ``sweep_under_kills``: open appeals whose deadline-warning time has passed; the worker's deadline sweep is
  killed several times mid-pass.
- ``concurrent_writers``: the web server and the worker write at once (intake, routing, notifications, the
  sweep); their logs are searched for "database is locked".
"""

from __future__ import annotations

import contextlib
import datetime as dt
import http.client
import json
import os
import queue
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from _http import drive, free_port, start_server, wait_ready
from _setup import ROOT

API_PATH = "/api/v1/appeals"
LOCKED = "database is locked"
RETRY_PAUSE = 0.2  # a client waits this long before sending an unacknowledged submission again
GIVE_UP_AFTER = 600.0  # a submission still unacknowledged after this long is reported, not retried forever


def child_env(database_url: str, var_dir: Path, **extra: str) -> dict[str, str]:
    """The environment of a server or worker started by the harness: the embedded settings on
    ``database_url``, the database task queue, files under ``var_dir``, intake rate limit out of the way."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "massline.settings.local",
        "DATABASE_URL": database_url,
        "DEBUG": "false",
        "TASK_BACKEND": "db",
        "MASSLINE_VAR_DIR": str(var_dir),
        "MASSLINE_INTAKE_RATE": "1000000/h",
        "PYTHONUNBUFFERED": "1",
        **extra,
    }
    env.pop("REDIS_URL", None)  # the queue is the database here; rate limits are counted in it too
    return env


def seed_city() -> None:
    """The demo city's organisation, staff (handlers with e-mail addresses) and appeal policy; no appeals."""
    from django.core.management import call_command

    with open(os.devnull, "w") as quiet:
        call_command("seed", only=["org.city", "accounts.staff", "appeals.policy"], verbosity=0, stdout=quiet)


def places() -> tuple[list[str], list[str]]:
    """Area codes of streets and communities, and the topic codes the web form offers."""
    from massline.org.models import Area, AreaLevel, Category

    areas = list(
        Area.objects.filter(level__in=[AreaLevel.STREET, AreaLevel.COMMUNITY], is_active=True).values_list(
            "code", flat=True
        )
    )
    categories = list(Category.objects.filter(depth=1, is_active=True).values_list("code", flat=True))
    return areas, categories


def submission(rng: random.Random, title: str, areas: list[str], categories: list[str]) -> dict[str, Any]:
    """One citizen's appeal as the API takes it; ``title`` is unique, so the stored rows can be counted."""
    n = rng.randrange(100_000_000)
    return {
        "kind": rng.choice(["complaint", "help", "report", "suggestion"]),
        "title": title,
        "description": "晚上小区门口一段路没有路灯，老人孩子出行不安全，希望尽快修复。" * 3,
        "location_text": "和平路与东风路口",
        "area_code": rng.choice(areas) if areas else None,
        "category_code": rng.choice(categories) if categories else None,
        "contact": {"name": "王女士", "phone": f"139{n:08d}"},
        "contact_confidential": rng.random() < 0.3,
        "publish_consent": rng.random() < 0.5,
    }


class Child:
    """A ``massline serve`` or ``massline worker`` leading its own process group, its output in a log file
    that survives every restart (each start appends)."""

    def __init__(self, kind: str, env: dict[str, str], log_path: Path, *, port: int = 0, workers: int = 2) -> None:
        self.kind, self.env, self.log_path, self.port, self.workers = kind, env, log_path, port, workers
        self.process: subprocess.Popen[str] | None = None
        self._log: IO[str] | None = None
        self.starts = 0

    def start(self) -> None:
        self._log = self.log_path.open("a", encoding="utf-8")
        self._log.write(f"\n==== start {self.starts + 1} at {time.strftime('%H:%M:%S')}\n")
        self._log.flush()
        if self.kind == "server":
            self.process = start_server(self.port, self.workers, self.env, log=self._log)
            # A first start collects the static files; on a loaded machine that and booting the workers
            # can take minutes.
            wait_ready(self.port, self.process, limit=300)
        else:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "massline.cli", "worker", "--tick-seconds", "1"],
                cwd=ROOT,
                env=self.env,
                stdout=self._log,
                stderr=subprocess.STDOUT,
                text=True,
                start_new_session=True,
            )
        self.starts += 1

    def kill(self) -> None:
        """SIGKILL to the whole group: no handler runs, no transaction commits, no buffer is flushed."""
        assert self.process is not None
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)
        self._close_log()

    def stop(self) -> None:
        """A clean stop (SIGTERM to the group), as an operator's restart would."""
        if self.process is None or self.process.poll() is not None:
            self._close_log()
            return
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=30)
        except ProcessLookupError:
            pass
        self._close_log()

    def _close_log(self) -> None:
        if self._log is not None:
            self._log.close()
            self._log = None

    def log_lines_with(self, text: str) -> list[str]:
        if not self.log_path.exists():
            return []
        return [line for line in self.log_path.read_text(errors="replace").splitlines() if text in line.lower()]


def audit_verify() -> tuple[bool, str]:
    """``massline audit verify`` as an operator runs it (here, in this process, on the same database): whether
    it passed, and its message."""
    import io

    from django.core.management import call_command

    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("audit", "verify", stdout=out, stderr=err)
    except SystemExit:
        return False, (out.getvalue() + err.getvalue()).strip()
    return True, (out.getvalue() + err.getvalue()).strip()


# ---------------------------------------------------------------------------------------------------- intake


@dataclass
class IntakeOutcome:
    submissions: int
    acknowledged: int = 0
    kills: int = 0
    retries: int = 0  # submissions sent again after no acknowledgement
    found_on_retry: int = 0  # retries answered 200: stored before the crash, found by the key
    stored: int = 0  # appeals of this run in the database
    duplicates: int = 0  # appeals beyond the first for one submission
    lost: int = 0  # acknowledged submissions with no appeal
    mismatched: int = 0  # acknowledged with a tracking code other than the one stored for it
    unacknowledged: int = 0  # given up after GIVE_UP_AFTER
    left_unrouted: int = 0  # stored appeals a kill left waiting to be routed ("received")
    unrouted: int = 0  # of those, still unrouted after the periodic catch-up
    seconds: float = 0.0
    failures: Counter[str] = field(default_factory=Counter)  # what the clients saw instead of an answer
    audit_ok: bool = False
    audit_message: str = ""
    locked_lines: list[str] = field(default_factory=list)


def intake_under_kills(
    *,
    database_url: str,
    var_dir: Path,
    submissions: int,
    kills: int,
    threads: int = 4,
    workers: int = 2,
) -> IntakeOutcome:
    """Submit ``submissions`` appeals from ``threads`` clients while the server is SIGKILLed ``kills`` times,
    evenly spread over the run (after each ``submissions / (kills + 1)`` acknowledgements); then count.

    A ``massline worker`` runs beside the server, as in production. An appeal whose routing a kill
    interrupted stays "received"; the periodic ``appeals.route_catch_up`` routes it once it is a minute old,
    which the harness runs here at the end with the clock moved two minutes on, as the worker would."""
    from massline.appeals.models import Appeal
    from massline.appeals.tasks import route_catch_up
    from massline.core import clock

    var_dir.mkdir(parents=True, exist_ok=True)
    env = child_env(database_url, var_dir)
    areas, categories = places()
    run = uuid.uuid4().hex[:8]
    rng = random.Random(run)
    prefix = f"crash-{run}-"
    bodies = [
        json.dumps(submission(rng, f"{prefix}{i:06d} 路灯不亮", areas, categories), ensure_ascii=False).encode()
        for i in range(submissions)
    ]
    keys = [uuid.uuid4().hex for _ in range(submissions)]
    todo: queue.Queue[int] = queue.Queue()
    for i in range(submissions):
        todo.put(i)
    acknowledged: dict[int, str] = {}
    outcome = IntakeOutcome(submissions=submissions)
    lock = threading.Lock()
    server = Child("server", env, var_dir / "crash-server.log", port=free_port(), workers=workers)
    worker = Child("worker", env, var_dir / "crash-intake-worker.log")

    def client() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
        while True:
            try:
                i = todo.get_nowait()
            except queue.Empty:
                break
            headers = {
                "Content-Type": "application/json",
                "Accept-Language": "zh-hans",
                "Idempotency-Key": keys[i],
                "Connection": "keep-alive",
            }
            given_up_at = time.monotonic() + GIVE_UP_AFTER
            attempt = 0
            while True:
                attempt += 1
                problem = ""
                try:
                    connection.request("POST", API_PATH, body=bodies[i], headers=headers)
                    response = connection.getresponse()
                    answer = response.read()
                    if response.status in (200, 201):
                        code = json.loads(answer)["tracking_code"]
                        with lock:
                            acknowledged[i] = code
                            outcome.retries += attempt - 1
                            outcome.found_on_retry += response.status == 200
                        break
                    problem = f"HTTP {response.status}"
                except (OSError, http.client.HTTPException) as error:
                    problem = type(error).__name__
                    connection.close()
                    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
                with lock:
                    outcome.failures[problem] += 1
                if time.monotonic() > given_up_at:
                    with lock:
                        outcome.unacknowledged += 1
                    break
                time.sleep(RETRY_PAUSE)
        connection.close()

    started = time.perf_counter()
    server.start()
    worker.start()
    clients = [threading.Thread(target=client, daemon=True) for _ in range(threads)]
    try:
        for thread in clients:
            thread.start()
        for k in range(1, kills + 1):
            threshold = submissions * k // (kills + 1)
            while len(acknowledged) < threshold and any(thread.is_alive() for thread in clients):
                time.sleep(0.01)
            if not any(thread.is_alive() for thread in clients):
                break
            server.kill()
            outcome.kills += 1
            server.start()
        for thread in clients:
            thread.join()
        outcome.seconds = time.perf_counter() - started
    finally:
        server.stop()
        worker.stop()
    outcome.left_unrouted = Appeal.objects.filter(title__startswith=prefix, state="received").count()
    with clock.use_clock(clock.FixedClock(clock.now() + dt.timedelta(minutes=2))):
        route_catch_up.call()

    stored = list(Appeal.objects.filter(title__startswith=prefix).values_list("title", "tracking_code", "state"))
    per_title = Counter(title for title, _code, _state in stored)
    codes: dict[str, list[str]] = {}
    for title, code, _state in stored:
        codes.setdefault(title, []).append(code)
    outcome.acknowledged = len(acknowledged)
    outcome.stored = len(stored)
    outcome.duplicates = sum(n - 1 for n in per_title.values())
    outcome.unrouted = sum(1 for _title, _code, state in stored if state == "received")
    for i, code in acknowledged.items():
        title = json.loads(bodies[i])["title"]
        if title not in codes:
            outcome.lost += 1
        elif code not in codes[title]:
            outcome.mismatched += 1
    outcome.audit_ok, outcome.audit_message = audit_verify()
    outcome.locked_lines = server.log_lines_with(LOCKED) + worker.log_lines_with(LOCKED)
    return outcome


# ----------------------------------------------------------------------------------------------------- sweep


def seed_due_appeals(count: int, *, title_prefix: str) -> list[int]:
    """``count`` appeals submitted and routed through the services, then made due for their deadline warning:
    ``warn_at`` a minute ago, the answer deadline (when there is one) still ahead. Returns the ids of those
    still open, which the sweep must each warn exactly once."""
    from massline.appeals.models import Appeal
    from massline.appeals.services.intake import ContactInput, appeal_submit
    from massline.core import clock
    from massline.org.models import Area, Category

    areas, categories = places()
    area_by_code = {a.code: a for a in Area.objects.filter(code__in=areas)}
    category_by_code = {c.code: c for c in Category.objects.filter(code__in=categories)}
    rng = random.Random(title_prefix)
    for i in range(count):
        body = submission(rng, f"{title_prefix}{i:06d} 路灯不亮", areas, categories)
        appeal_submit(
            actor=None,
            kind=body["kind"],
            channel="api",
            title=body["title"],
            description=body["description"],
            location_text=body["location_text"],
            area=area_by_code.get(body["area_code"]),
            category=category_by_code.get(body["category_code"]),
            contact=ContactInput(name=body["contact"]["name"], phone=body["contact"]["phone"]),
        )
    now = clock.now()
    mine = Appeal.objects.filter(title__startswith=title_prefix, state_group="open", warned_at__isnull=True)
    mine.filter(due_at__isnull=False, due_at__lte=now).update(due_at=now + dt.timedelta(days=3))
    mine.update(warn_at=now - dt.timedelta(minutes=1))
    return list(mine.values_list("pk", flat=True))


@dataclass
class SweepOutcome:
    due: int
    kills: int = 0
    sweeps_enqueued: int = 0  # the next slots the harness stood in for after a kill
    warned_once: int = 0
    lost: int = 0  # due appeals with no warn event
    duplicated: int = 0  # due appeals with more than one warn event
    unprepared: int = 0  # warn events whose notifications were never prepared
    missing_rows: int = 0  # notices the rules call for that have no outbox row
    rows: int = 0  # outbox rows of the warn events
    emails: int = 0  # of which e-mails
    emails_unsent: int = 0  # e-mails still pending or failed after the catch-up
    email_files: int = 0  # files the file sender holds for those e-mails (a re-send overwrites its own)
    abandoned_tasks: int = 0  # task rows left "running" by a killed worker
    caught_up_events: int = 0  # events prepared by the catch-up job, not by their own task
    seconds: float = 0.0
    audit_ok: bool = False
    audit_message: str = ""
    locked_lines: list[str] = field(default_factory=list)


def _warned(ids: list[int]) -> int:
    from massline.appeals.models import Appeal

    return Appeal.objects.filter(pk__in=ids, warned_at__isnull=False).count()


def _queue_idle() -> bool:
    from django_tasks_db.models import DBTaskResult

    return not DBTaskResult.objects.ready().exists()


def sweep_under_kills(*, database_url: str, var_dir: Path, due_ids: list[int], kills: int) -> SweepOutcome:
    """Run ``massline worker`` (periodic jobs on) over the due appeals ``due_ids`` and SIGKILL it ``kills``
    times mid-sweep (after each ``len(due_ids) / (kills + 1)`` warnings). The database queue keeps a killed
    task "running" for ever, and the scheduler enqueues each slot once, so the sweep a kill interrupted comes
    back at the next five-minute slot; the harness stands in for that slot by enqueuing the sweep task itself
    after a restart, as the scheduler would.

    Then the periodic catch-ups run here, with the clock moved past their windows (``notify_catch_up`` for
    events older than a minute, ``outbox_deliver_due`` past the five-minute lease a killed sender holds), as
    the worker would run them minutes later; and everything is counted."""
    from django.db.models import Count
    from django.test import override_settings
    from django_tasks_db.models import DBTaskResult

    from massline.appeals.models import AppealEvent
    from massline.appeals.tasks import deadline_sweep, notify_catch_up
    from massline.core import clock
    from massline.notifications.models import Channel, OutboxMessage, OutboxState
    from massline.notifications.recipients import staff_for, unit_role_assignments
    from massline.notifications.rules import Audience as RuleAudience
    from massline.notifications.rules import rules_for
    from massline.notifications.services import LEASE, outbox_deliver_due

    var_dir.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(var_dir / "outbox", ignore_errors=True)  # only files of this run are counted
    env = child_env(database_url, var_dir)
    outcome = SweepOutcome(due=len(due_ids))
    worker = Child("worker", env, var_dir / "crash-sweep-worker.log")
    started = time.perf_counter()
    worker.start()
    try:
        for k in range(1, kills + 1):
            threshold = len(due_ids) * k // (kills + 1)
            deadline = time.monotonic() + 120
            while _warned(due_ids) < threshold and time.monotonic() < deadline:
                time.sleep(0.02)
            worker.kill()
            outcome.kills += 1
            worker.start()
            if _warned(due_ids) < len(due_ids):
                deadline_sweep.enqueue()
                outcome.sweeps_enqueued += 1
        deadline = time.monotonic() + 180
        while (_warned(due_ids) < len(due_ids) or not _queue_idle()) and time.monotonic() < deadline:
            time.sleep(0.2)
    finally:
        worker.stop()
    outcome.seconds = time.perf_counter() - started
    outcome.abandoned_tasks = DBTaskResult.objects.filter(status="RUNNING").count()

    later = clock.now() + LEASE + dt.timedelta(minutes=2)
    unprepared_before = AppealEvent.objects.filter(appeal_id__in=due_ids, action="warn", notified_at__isnull=True)
    outcome.caught_up_events = unprepared_before.count()
    directory = var_dir / "outbox"  # the children's file sender writes here (MASSLINE_VAR_DIR)
    with clock.use_clock(clock.FixedClock(later)), override_settings(MASSLINE_NOTIFY_OUTBOX_DIR=directory):
        notify_catch_up.call()
        outbox_deliver_due()

    warns = dict(
        AppealEvent.objects.filter(appeal_id__in=due_ids, action="warn")
        .values("appeal_id")
        .annotate(n=Count("id"))
        .values_list("appeal_id", "n")
    )
    outcome.warned_once = sum(1 for pk in due_ids if warns.get(pk) == 1)
    outcome.lost = sum(1 for pk in due_ids if pk not in warns)
    outcome.duplicated = sum(1 for pk in due_ids if warns.get(pk, 0) > 1)
    events = list(AppealEvent.objects.filter(appeal_id__in=due_ids, action="warn").select_related("appeal", "unit"))
    outcome.unprepared = sum(1 for event in events if event.notified_at is None)
    rows = OutboxMessage.objects.filter(event__in=events)
    keys = set(rows.values_list("key", flat=True))
    units = unit_role_assignments(events)
    for event in events:
        for rule in rules_for(event.action, event.data or {}):
            if rule.audience == RuleAudience.CITIZEN:
                continue
            for user in staff_for(rule.audience, appeal=event.appeal, event=event, units=units):
                expected = [f"e{event.pk}:u{user.pk}:{Channel.INAPP}"]
                if user.email:
                    expected.append(f"e{event.pk}:u{user.pk}:{Channel.EMAIL}")
                outcome.missing_rows += sum(1 for key in expected if key not in keys)
    outcome.rows = len(keys)
    emails = rows.filter(channel=Channel.EMAIL, hold_for_digest=False)
    outcome.emails = emails.count()
    outcome.emails_unsent = emails.exclude(state=OutboxState.SENT).count()
    outcome.email_files = sum(
        1
        for key in emails.values_list("key", flat=True)
        if (directory / f"{key.replace(':', '-').replace('/', '-')}.txt").exists()
    )
    outcome.audit_ok, outcome.audit_message = audit_verify()
    outcome.locked_lines = worker.log_lines_with(LOCKED)
    return outcome


# ------------------------------------------------------------------------------------------ concurrent writers


@dataclass
class WritersOutcome:
    seconds: float
    threads: int
    statuses: dict[int | str, int]
    created: int
    backlog: int
    warned: int
    tasks_done: int
    tasks_failed: int
    journal_mode: str
    server_locked: list[str]
    worker_locked: list[str]
    failed_task_errors: list[str]


def concurrent_writers(
    *,
    database_url: str,
    var_dir: Path,
    seconds: float,
    threads: int,
    backlog_ids: list[int],
    drain_limit: float = 300.0,
) -> WritersOutcome:
    """``massline serve --workers 2`` takes appeals for ``seconds`` from ``threads`` clients while
    ``massline worker`` warns the due backlog (``backlog_ids``), prepares and delivers the notifications of
    every new appeal and runs the other periodic jobs — all writing to the same database at once. Both logs
    are kept and searched for "database is locked"; failed task rows are read for it too."""
    from django.db import connection
    from django_tasks_db.models import DBTaskResult

    from massline.appeals.models import Appeal
    from massline.appeals.tasks import deadline_sweep

    var_dir.mkdir(parents=True, exist_ok=True)
    env = child_env(database_url, var_dir)
    areas, categories = places()
    server = Child("server", env, var_dir / "writers-server.log", port=free_port(), workers=2)
    worker = Child("worker", env, var_dir / "writers-worker.log")
    before = DBTaskResult.objects.filter(status="SUCCESSFUL").count()
    prefix = f"writers-{uuid.uuid4().hex[:8]}-"

    def make(rng: random.Random) -> tuple[str, str, bytes, dict[str, str]]:
        title = f"{prefix}{rng.randrange(10**12):012d} 路灯不亮"
        body = json.dumps(submission(rng, title, areas, categories), ensure_ascii=False).encode()
        headers = {
            "Content-Type": "application/json",
            "Accept-Language": "zh-hans",
            "Idempotency-Key": uuid.uuid4().hex,
        }
        return "POST", API_PATH, body, headers

    server.start()
    worker.start()
    try:
        # The backlog's sweep now, as its slot would start it (this slot's may have run already).
        deadline_sweep.enqueue()
        result = drive(server.port, seconds, threads, make)
        deadline = time.monotonic() + drain_limit  # the worker finishes the backlog and the new appeals' work
        while (not _queue_idle() or _warned(backlog_ids) < len(backlog_ids)) and time.monotonic() < deadline:
            time.sleep(0.2)
    finally:
        server.stop()
        worker.stop()
    mode = ""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            mode = str(cursor.fetchone()[0])
    failed = DBTaskResult.objects.filter(status="FAILED")
    return WritersOutcome(
        seconds=result["elapsed"],
        threads=threads,
        statuses=result["statuses"],
        created=Appeal.objects.filter(title__startswith=prefix).count(),
        backlog=len(backlog_ids),
        warned=_warned(backlog_ids),
        tasks_done=DBTaskResult.objects.filter(status="SUCCESSFUL").count() - before,
        tasks_failed=failed.count(),
        journal_mode=mode,
        server_locked=server.log_lines_with(LOCKED),
        worker_locked=worker.log_lines_with(LOCKED),
        failed_task_errors=[
            f"{row.exception_class_path}: {row.traceback[-300:]}" for row in failed if LOCKED in (row.traceback or "")
        ],
    )
