"""Intake throughput through the JSON API: a real ``massline serve --workers 2`` (gunicorn) taking POST
/api/v1/appeals from a standard-library client over HTTP.

python bench/bench_intake_api.py                 # SQLite under var/bench/
BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_intake python bench/bench_intake_api.py
BENCH_SECONDS=20 BENCH_THREADS=8 BENCH_WORKERS=2 DB_CONN_MAX_AGE=0   # the knobs, with their defaults

The database is rebuilt and the demo city's organisation and staff seeded (no demo appeals). The intake rate limit is
raised for the run (MASSLINE_INTAKE_RATE=1000000/h) but still counted, as in production. Every request carries
its own Idempotency-Key. Prints appeals stored per second, p50/p95 latency as the client saw it, errors, and the
resident memory of the gunicorn workers. Target: >= 300 appeals/s with 2 app workers, routing and audit
included.

With BENCH_WORKER=1 (the default) a `massline worker` runs beside the web workers on the same cores, as in
production, and routes the appeals as they arrive; the bench then also waits until every appeal of the measured
run has been routed and prints that end-to-end rate (stored, audited and routed per second). Use
TASK_BACKEND=rq with REDIS_URL for the production path; BENCH_WORKER=0 measures the web side alone.
"""

from __future__ import annotations

import json
import os
import random
import signal
import statistics
import subprocess
import sys
import time
import uuid
from typing import Any

from _http import Request, drive, free_port, start_server, wait_ready
from _proc import child_pids, cpu_seconds, pids_named, rss_mib
from _setup import ROOT, setup_django

SECONDS = float(os.environ.get("BENCH_SECONDS", "20"))
THREADS = int(os.environ.get("BENCH_THREADS", "8"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
WITH_WORKER = os.environ.get("BENCH_WORKER", "1") == "1"
DRAIN_LIMIT = float(os.environ.get("BENCH_DRAIN_SECONDS", "300"))
TARGET = 300.0
PATH = "/api/v1/appeals"


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


def payload(rng: random.Random, areas: list[str], categories: list[str]) -> bytes:
    n = rng.randrange(1_000_000)
    body: dict[str, Any] = {
        "kind": rng.choice(["complaint", "help", "consultation", "report", "suggestion"]),
        "title": f"小区门口路灯不亮 {n}",
        "description": "晚上小区门口一段路没有路灯，老人孩子出行不安全，希望尽快修复。" * 3,
        "location_text": "和平路与东风路口",
        "area_code": rng.choice(areas) if areas else None,
        "category_code": rng.choice(categories) if categories else None,
        "latitude": 39.9 + rng.random() / 10,
        "longitude": 116.3 + rng.random() / 10,
        "contact": {"name": "王女士", "phone": f"138{n:08d}"},
        "contact_confidential": rng.random() < 0.3,
        "publish_consent": rng.random() < 0.5,
    }
    return json.dumps(body, ensure_ascii=False).encode()


def load(port: int, areas: list[str], categories: list[str], seconds: float) -> dict[str, Any]:
    def submit(rng: random.Random) -> Request:
        headers = {
            "Content-Type": "application/json",
            "Accept-Language": "zh-hans",
            "Idempotency-Key": uuid.uuid4().hex,
        }
        return "POST", PATH, payload(rng, areas, categories), headers

    return drive(port, seconds, THREADS, submit)


def wait_routed(first_id: int, limit: float, *, since: float | None = None) -> float:
    """Wait until no appeal after ``first_id`` is still waiting to be routed; seconds since ``since``."""
    from massline.appeals.models import Appeal

    began = since if since is not None else time.perf_counter()
    deadline = time.perf_counter() + limit
    while Appeal.objects.filter(id__gt=first_id, state="received").exists():
        if time.perf_counter() > deadline:
            raise SystemExit(f"appeals still unrouted after {limit:.0f} s: is the worker running?")
        time.sleep(0.2)
    return time.perf_counter() - began


def wait_notified(first_id: int, limit: float, *, since: float) -> float:
    """Wait until every step of the appeals after ``first_id`` has its notifications prepared; seconds since
    ``since``."""
    from massline.appeals.models import AppealEvent

    deadline = time.perf_counter() + limit
    while AppealEvent.objects.filter(appeal_id__gt=first_id, notified_at__isnull=True).exists():
        if time.perf_counter() > deadline:
            raise SystemExit(f"notifications still unprepared after {limit:.0f} s: is the worker running?")
        time.sleep(0.2)
    return time.perf_counter() - since


def main() -> None:
    database = setup_django("intake_api")
    from django.core.management import call_command
    from django.db import connections

    # The demo staff too: the units' handlers and leaders hear of each dispatch, as in production.
    call_command(
        "seed",
        only=["org.city", "accounts.staff", "appeals.policy"],
        verbosity=0,
        stdout=open(os.devnull, "w"),  # noqa: SIM115
    )
    areas, categories = places()
    connections.close_all()

    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "massline.settings.local",
        "DEBUG": "false",
        "MASSLINE_INTAKE_RATE": "1000000/h",
    }
    server = start_server(port, WORKERS, env)
    worker = (
        subprocess.Popen(
            [sys.executable, "-m", "massline.cli", "worker", "--no-periodic"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        if WITH_WORKER
        else None
    )
    from massline.appeals.models import Appeal

    drained_after: float | None = None
    notified_after = 0.0
    try:
        wait_ready(port, server)
        workers = child_pids(server.pid)
        warm = load(port, areas, categories, 2.0)  # imports, connections, caches in every worker
        if worker is not None:
            wait_routed(0, 60.0)
        first_id = Appeal.objects.order_by("-id").values_list("id", flat=True).first() or 0
        rss_before = {pid: rss_mib(pid) for pid in workers}
        task_worker = [worker.pid] if worker is not None else []
        cpu_before = {
            "web": cpu_seconds(workers),
            "worker": cpu_seconds(task_worker),
            "postgres": cpu_seconds(pids_named("postgres")),
        }
        started = time.perf_counter()
        result = load(port, areas, categories, SECONDS)
        rss_after = {pid: rss_mib(pid) for pid in workers}
        if worker is not None:
            drained_after = wait_routed(first_id, DRAIN_LIMIT, since=started)
            notified_after = wait_notified(first_id, DRAIN_LIMIT, since=started)
        cpu_used = {
            "web": cpu_seconds(workers) - cpu_before["web"],
            "worker": cpu_seconds(task_worker) - cpu_before["worker"],
            "postgres": cpu_seconds(pids_named("postgres")) - cpu_before["postgres"],
        }
    finally:
        for process in (server, worker):
            if process is None:
                continue
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()

    created = result["statuses"].get(201, 0)
    stored = Appeal.objects.count()
    errors = sum(count for status, count in result["statuses"].items() if status != 201)
    rate = created / result["elapsed"]
    latencies = sorted(result["latencies"])
    p50 = statistics.median(latencies) * 1000 if latencies else 0.0
    p95 = latencies[int(len(latencies) * 0.95) - 1] * 1000 if latencies else 0.0

    print(f"database: {database}; {WORKERS} gunicorn sync workers, {THREADS} client threads, {SECONDS:.0f} s")
    print(f"DB_CONN_MAX_AGE={os.environ.get('DB_CONN_MAX_AGE', '0')}; areas {len(areas)}, topics {len(categories)}")
    print(f"appeals stored/s     {rate:8.1f}   (the web side alone)")
    if drained_after is None:
        print("routing is not measured: no `massline worker` was started (BENCH_WORKER=0)")
    else:
        routed = Appeal.objects.filter(id__gt=first_id).exclude(state="received").count()
        end_to_end = routed / drained_after
        verdict = "met" if end_to_end >= TARGET else "NOT met"
        print(f"stored+routed/s      {end_to_end:8.1f}   (target >= {TARGET:.0f}: {verdict})")
        print(f"                              {routed} routed {drained_after:.1f} s after the load began")
        print(
            f"stored+routed+notified/s {routed / notified_after:4.1f}   "
            f"(every step's notices prepared {notified_after:.1f} s after the load began)"
        )
    print(f"latency p50 / p95    {p50:8.1f} / {p95:.1f} ms")
    print(f"requests             {sum(result['statuses'].values()):8d}   statuses {result['statuses']}")
    print(f"errors               {errors:8d}   (warm-up: {warm['statuses']})")
    print(f"appeals stored       {stored:8d}   (warm-up and measured run)")
    if created:
        shares = ", ".join(f"{name} {seconds * 1000 / created:.1f}" for name, seconds in cpu_used.items() if seconds)
        budget = 2 * 1000 / TARGET  # two cores shared by everything, at the target rate
        print(f"CPU per appeal (ms)  {shares}   (the whole machine has {budget:.1f} ms at the target)")
    for pid in workers:
        print(f"worker {pid:<8} RSS {rss_before.get(pid) or 0:6.1f} MiB -> {rss_after.get(pid) or 0:6.1f} MiB")


if __name__ == "__main__":
    main()
