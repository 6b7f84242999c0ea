"""Crash safety, proved with real processes killed by SIGKILL (docs/reliability.md).

python bench/bench_crash.py                 # SQLite under var/bench/
BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_crash python bench/bench_crash.py
CRASH_SUBMISSIONS=3000 CRASH_KILLS=8 CRASH_THREADS=8 CRASH_DUE=1500 CRASH_SWEEP_KILLS=6 CRASH_WRITERS_SECONDS=20
                                            # the knobs, with their defaults (the long form `make bench` runs)

1. Intake: ``massline serve --workers 2`` takes CRASH_SUBMISSIONS appeals through POST /api/v1/appeals, each
   with its own Idempotency-Key, and is killed (the whole process group) CRASH_KILLS times mid-load; clients send
   every unacknowledged submission again with the same key. Prints submissions, kills, retries, duplicates
   (must be 0), lost (must be 0), appeals left unrouted, `massline audit verify`, and the time.
2. Deadline sweep: CRASH_DUE open appeals past their warning time; ``massline worker`` is killed CRASH_SWEEP_KILLS
   times mid-sweep. Prints warned exactly once / lost / duplicated, notices missing, e-mails unsent.
3. Concurrent writers: the server taking appeals and the worker warning a backlog and notifying, at once, for
   CRASH_WRITERS_SECONDS; prints "database is locked" lines in either log (must be 0) and the journal mode.

Exits 1 when any guarantee is broken.
"""

from __future__ import annotations

import os
import shutil
import sys

from _crash import concurrent_writers, intake_under_kills, seed_city, seed_due_appeals, sweep_under_kills
from _setup import ROOT, setup_django

SUBMISSIONS = int(os.environ.get("CRASH_SUBMISSIONS", "3000"))
KILLS = int(os.environ.get("CRASH_KILLS", "8"))
THREADS = int(os.environ.get("CRASH_THREADS", "8"))
DUE = int(os.environ.get("CRASH_DUE", "1500"))
SWEEP_KILLS = int(os.environ.get("CRASH_SWEEP_KILLS", "6"))
WRITERS_SECONDS = float(os.environ.get("CRASH_WRITERS_SECONDS", "20"))


def main() -> None:
    database = setup_django("crash")
    from django.db import connection

    url = os.environ["DATABASE_URL"]
    var_dir = ROOT / "var" / "bench" / f"crash-{connection.vendor}"  # logs, outbox, static files of the run
    shutil.rmtree(var_dir, ignore_errors=True)
    seed_city()
    broken: list[str] = []
    print(f"database: {database}")

    intake = intake_under_kills(
        database_url=url, var_dir=var_dir, submissions=SUBMISSIONS, kills=KILLS, threads=THREADS
    )
    print(f"== intake under SIGKILL ({THREADS} clients, massline serve --workers 2, a worker beside it)")
    print(f"submissions          {intake.submissions:8d}")
    print(f"acknowledged         {intake.acknowledged:8d}   (given up: {intake.unacknowledged})")
    print(f"server kills         {intake.kills:8d}")
    print(f"retries              {intake.retries:8d}   (answered 200, stored before the kill: {intake.found_on_retry})")
    print(f"client-side failures {sum(intake.failures.values()):8d}   {dict(intake.failures)}")
    print(f"appeals stored       {intake.stored:8d}")
    print(f"duplicates           {intake.duplicates:8d}")
    print(f"lost                 {intake.lost:8d}   (acknowledged code not stored for it: {intake.mismatched})")
    print(
        f"left unrouted        {intake.left_unrouted:8d}   (by a kill; still unrouted after the catch-up: {intake.unrouted})"
    )
    print(f"time                 {intake.seconds:8.1f} s   ({intake.acknowledged / intake.seconds:.1f} acknowledged/s)")
    print(f"audit verify         {'ok' if intake.audit_ok else 'BROKEN'}: {intake.audit_message}")
    if (
        intake.unrouted
        or intake.duplicates
        or intake.lost
        or intake.mismatched
        or intake.unacknowledged
        or not intake.audit_ok
    ):
        broken.append("intake")

    due_ids = seed_due_appeals(DUE, title_prefix="sweep-")
    sweep = sweep_under_kills(database_url=url, var_dir=var_dir, due_ids=due_ids, kills=SWEEP_KILLS)
    print("== deadline sweep under SIGKILL (massline worker, periodic jobs on)")
    print(f"appeals due a warning {sweep.due:7d}")
    print(f"worker kills         {sweep.kills:8d}   (sweeps enqueued for the next slot: {sweep.sweeps_enqueued})")
    print(f"warned exactly once  {sweep.warned_once:8d}")
    print(f"lost / duplicated    {sweep.lost:8d} / {sweep.duplicated}")
    print(f"task rows abandoned  {sweep.abandoned_tasks:8d}   (left 'running' by a killed worker)")
    print(f"warn events caught up {sweep.caught_up_events:7d}   (their notification task was lost with a kill)")
    print(
        f"notices (outbox)     {sweep.rows:8d}   missing: {sweep.missing_rows}; warn events unprepared: {sweep.unprepared}"
    )
    print(f"e-mails              {sweep.emails:8d}   unsent: {sweep.emails_unsent}; files: {sweep.email_files}")
    print(f"time                 {sweep.seconds:8.1f} s")
    print(f"audit verify         {'ok' if sweep.audit_ok else 'BROKEN'}: {sweep.audit_message}")
    if sweep.lost or sweep.duplicated or sweep.missing_rows or sweep.unprepared or sweep.emails_unsent:
        broken.append("sweep")
    if sweep.email_files != sweep.emails or not sweep.audit_ok:
        broken.append("sweep")

    backlog = seed_due_appeals(DUE, title_prefix="backlog-")
    writers = concurrent_writers(
        database_url=url, var_dir=var_dir, seconds=WRITERS_SECONDS, threads=THREADS, backlog_ids=backlog
    )
    created = writers.statuses.get(201, 0)
    others = {status: n for status, n in writers.statuses.items() if status != 201}
    print(
        f"== concurrent writers ({connection.vendor}{', journal ' + writers.journal_mode if writers.journal_mode else ''})"
    )
    print(
        f"appeals taken        {created:8d}   in {writers.seconds:.1f} s ({created / writers.seconds:.1f}/s), other answers {others}"
    )
    print(f"backlog warned       {writers.warned:8d} / {writers.backlog}")
    print(f"tasks run            {writers.tasks_done:8d}   failed: {writers.tasks_failed}")
    print(
        f"'database is locked' {len(writers.server_locked) + len(writers.worker_locked) + len(writers.failed_task_errors):8d}   "
        f"(server log {len(writers.server_locked)}, worker log {len(writers.worker_locked)}, failed tasks {len(writers.failed_task_errors)})"
    )
    if writers.server_locked or writers.worker_locked or writers.failed_task_errors or others or writers.tasks_failed:
        broken.append("writers")
    for line in (writers.server_locked + writers.worker_locked + writers.failed_task_errors)[:5]:
        print("   ", line)
    if broken:
        print(f"BROKEN: {', '.join(sorted(set(broken)))}")
        sys.exit(1)


if __name__ == "__main__":
    main()
