"""Load and soak: the working day of bench/locustfile.py against a real ``massline serve --workers 2`` for
SOAK_SECONDS, with the two task workers of docs/deploy.md beside it, on a freshly seeded database.

python bench/bench_soak.py                                        # SQLite under var/soak/, 600 s
SOAK_DATABASE_URL=postgres://postgres@127.0.0.1:5432/soak python bench/bench_soak.py     # PostgreSQL
SOAK_SECONDS=60 SOAK_USERS=20 SOAK_APPEALS=100000 …                # shorter, other load, other volume

Seeds the demo city (SOAK_DEMO_APPEALS appeals through the services, default 300) and SOAK_APPEALS generated
appeals (``massline seed --appeals``, default 100,000), refreshes the scorecards, then runs locust headless
with SOAK_USERS simulated people (default 30). Prints the requests, the errors (must be 0), p50/p95 per
request class as the client saw them and as the server measured them (``duration_ms`` of its JSON log lines,
grouped by the class each request's X-Request-ID starts with) against the 100 ms p95 page budget
(docs/performance.md), and the resident memory of each web worker sampled every SOAK_SAMPLE seconds from
/proc (first, max, last). Exits 1 when any request failed.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any

from _http import free_port
from _proc import child_pids, rss_mib
from _setup import ROOT

SECONDS = int(os.environ.get("SOAK_SECONDS", "600"))
USERS = int(os.environ.get("SOAK_USERS", "30"))
APPEALS = int(os.environ.get("SOAK_APPEALS", "100000"))
DEMO_APPEALS = int(os.environ.get("SOAK_DEMO_APPEALS", "300"))
SAMPLE_SECONDS = float(os.environ.get("SOAK_SAMPLE", "5"))
WORKER = os.environ.get("SOAK_WORKER", "1") not in ("", "0")
# SOAK_REUSE=1: run against the database the last run seeded (seeding 100,000 appeals takes minutes).
REUSE = os.environ.get("SOAK_REUSE", "") not in ("", "0")
BUDGET_MS = 100.0
# Request classes the page budget does not apply to, and why.
NO_BUDGET = {"staff_login": "password hashing (Argon2) is slow by design"}
WORK = ROOT / "var" / "soak"
PASSWORD = os.environ.get("MASSLINE_DEMO_PASSWORD", "massline-demo-2026")  # noqa: S105  (the demo accounts')


def massline(*args: str, env: dict[str, str]) -> None:
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "massline.cli", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL
    )
    print(f"  massline {' '.join(args)}: {time.perf_counter() - started:.0f} s", file=sys.stderr)


def fresh_database() -> str:
    """An empty database: a new SQLite file, or the PostgreSQL database dropped and created again (unless
    REUSE)."""
    url = os.environ.get("SOAK_DATABASE_URL", "")
    if not url:
        path = WORK / "soak.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            if not REUSE:
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{path}"
    if REUSE:
        return url
    import psycopg
    from psycopg import sql

    base, _, name = url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return url


def soak_data(env: dict[str, str]) -> dict[str, Any]:
    """What the simulated people need to know: places, topics, tracking codes and units with scorecards."""
    script = """
import json, random
import django
django.setup()
from massline.appeals.models import Appeal
from massline.evaluation.models import ScorecardRow
from massline.org.models import Area, AreaLevel, Category
leaf = Category.objects.filter(is_active=True, depth=1)  # the topics the public form offers
top = Appeal.objects.order_by("-pk").values_list("pk", flat=True).first()
ids = random.Random(7).sample(range(1, top + 1), min(top, 3000))
print(json.dumps({
    "communities": list(Area.objects.filter(level=AreaLevel.COMMUNITY, is_active=True).values_list("pk", flat=True)),
    "categories": list(leaf.values_list("pk", flat=True)),
    "codes": list(Appeal.objects.filter(pk__in=ids).values_list("tracking_code", flat=True)),
    "units": sorted(set(ScorecardRow.objects.filter(unit__isnull=False).values_list("unit__code", flat=True))),
}))
"""
    output = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    ).stdout
    return {**json.loads(output.strip().splitlines()[-1]), "password": PASSWORD}


def ready(port: int, server: subprocess.Popen[str]) -> None:
    """Wait for /readyz (collectstatic and the first migration check take minutes on a busy machine)."""
    deadline = time.monotonic() + 600
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=30) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        if server.poll() is not None or time.monotonic() > deadline:
            raise SystemExit(f"server did not start: see {WORK / 'server.log'}")
        time.sleep(0.5)


def sample_memory(master: int, stop: threading.Event, samples: dict[int, list[tuple[float, float]]]) -> None:
    started = time.monotonic()
    while not stop.is_set():
        for pid in child_pids(master):
            value = rss_mib(pid)
            if value is not None:
                samples.setdefault(pid, []).append((time.monotonic() - started, value))
        stop.wait(SAMPLE_SECONDS)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def server_times(log: Path) -> dict[str, list[float]]:
    """duration_ms of the server's request lines, by the class their request ID starts with."""
    times: dict[str, list[float]] = {}
    with log.open(encoding="utf-8") as lines:
        for line in lines:
            if not line.startswith("{"):
                continue
            record = json.loads(line)
            if record.get("logger") != "massline.request" or "." not in str(record.get("request_id", "")):
                continue
            times.setdefault(record["request_id"].split(".")[0], []).append(float(record["duration_ms"]))
    return times


def main() -> None:
    WORK.mkdir(parents=True, exist_ok=True)
    url = fresh_database()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "massline.settings.local",
        "DATABASE_URL": url,
        "DEBUG": "false",
        "MASSLINE_VAR_DIR": str(WORK / "var"),
        "MASSLINE_DEMO_APPEALS": str(DEMO_APPEALS),
        "MASSLINE_DEMO_ROUTER": "false",
        # Every simulated citizen comes from 127.0.0.1: the per-address limits would refuse all but the first few.
        "MASSLINE_INTAKE_RATE": "1000000/h",
        "MASSLINE_PASSPHRASE_RATE": "1000000/h",
        "LOG_FORMAT": "json",
        "DB_CONN_MAX_AGE": os.environ.get("DB_CONN_MAX_AGE", "60"),
    }
    data_path = WORK / "data.json"
    if not (REUSE and data_path.exists()):
        print(f"seeding {url.split('@')[-1]}", file=sys.stderr)
        massline("migrate", env=env)
        massline("seed", env=env)
        massline("seed", "--appeals", str(APPEALS), env=env)
        massline("scorecards", "refresh", "--all", env=env)
    data_path.write_text(json.dumps(soak_data(env)), encoding="utf-8")

    port = free_port()
    log_path = WORK / "server.log"
    log = log_path.open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "massline.cli", "serve", "--workers", "2", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log,
        text=True,
    )
    # The two lanes of docs/deploy.md: routing and notices, and the periodic jobs (which also schedules them).
    workers = (
        [
            subprocess.Popen(
                [sys.executable, "-m", "massline.cli", "worker", "--queues", queues, *extra],
                cwd=ROOT,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=(WORK / log).open("w"),
            )
            for queues, extra, log in (
                ("intake,default", ["--no-periodic"], "worker.log"),
                ("periodic", ["--nice", "10"], "worker-periodic.log"),
            )
        ]
        if WORKER
        else []
    )
    stop = threading.Event()
    samples: dict[int, list[tuple[float, float]]] = {}
    try:
        ready(port, server)
        sampler = threading.Thread(target=sample_memory, args=(server.pid, stop, samples), daemon=True)
        sampler.start()
        stats_prefix = WORK / "locust"
        locust = shutil.which("locust", path=str(Path(sys.executable).parent)) or "locust"
        print(f"locust: {USERS} users for {SECONDS} s against port {port}", file=sys.stderr)
        subprocess.run(
            [
                locust,
                "-f",
                str(ROOT / "bench" / "locustfile.py"),
                "--headless",
                "--users",
                str(USERS),
                "--spawn-rate",
                str(max(1, USERS // 10)),
                "--run-time",
                f"{SECONDS}s",
                "--host",
                f"http://127.0.0.1:{port}",
                "--csv",
                str(stats_prefix),
                "--only-summary",
                "--loglevel",
                "WARNING",
            ],
            cwd=ROOT,
            env={**env, "SOAK_DATA": str(data_path)},
            check=False,
            stdout=subprocess.DEVNULL,
            stderr=(WORK / "locust.log").open("w"),
        )
        stop.set()
        sampler.join()
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=30) as response:
            metrics = response.read().decode()
    finally:
        stop.set()
        processes: list[subprocess.Popen[Any]] = [server, *workers]
        for process in processes:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:  # the task worker finishes its task first, which may be long
                process.kill()
                process.wait()
        log.close()

    with open(f"{stats_prefix}_stats.csv", encoding="utf-8") as stats_file:
        rows = list(csv.DictReader(stats_file))
    total = next(row for row in rows if row["Name"] == "Aggregated")
    requests, failures = int(total["Request Count"]), int(total["Failure Count"])
    server_ms = server_times(log_path)
    print(f"database:        {url.split('@')[-1]} ({APPEALS:,} generated + {DEMO_APPEALS} demo appeals)")
    print(f"load:            {USERS} users for {SECONDS} s, {requests / SECONDS:.1f} requests/s")
    print(f"machine:         {os.cpu_count()} cores, load average at the end {os.getloadavg()[0]:.1f} (1 min)")
    print(f"requests:        {requests:,}")
    print(
        f"errors:          {failures}"
        + ("" if failures == 0 else "   <-- must be 0 (see var/soak/locust_failures.csv)")
    )
    print(
        "\nper class: client p50 / p95 (locust, ms) · server p50 / p95 (the server's own duration_ms) · budget p95 < 100 ms"
    )
    for row in sorted(rows, key=lambda row: row["Name"]):
        if row["Name"] == "Aggregated":
            continue
        times = server_ms.get(row["Name"], [])
        server_p50 = statistics.median(times) if times else float("nan")
        server_p95 = percentile(times, 0.95) if times else float("nan")
        verdict = "ok" if server_p95 < BUDGET_MS else "OVER"
        if row["Name"] in NO_BUDGET:
            verdict = f"no budget: {NO_BUDGET[row['Name']]}"
        print(
            f"  {row['Name']:<18} {int(row['Request Count']):>7,} req  {int(row['Failure Count']):>3} err  "
            f"client {float(row['50%']):6.0f} / {float(row['95%']):6.0f}  "
            f"server {server_p50:6.1f} / {server_p95:6.1f}  {verdict}"
        )
    print(f"\nweb workers' resident memory (MiB, every {SAMPLE_SECONDS:.0f} s from /proc/PID/status):")
    for pid, series in sorted(samples.items()):
        values = [value for _at, value in series]
        warm = [value for at, value in series if at >= 60] or values
        half = [value for at, value in series if at >= series[-1][0] / 2] or values
        print(
            f"  worker {pid}: first {values[0]:.0f}, after 1 min {warm[0]:.0f}, half-way {half[0]:.0f}, "
            f"max {max(values):.0f}, last {values[-1]:.0f} ({len(values)} samples over {series[-1][0]:.0f} s; "
            f"second half {values[-1] - half[0]:+.0f})"
        )
    for line in metrics.splitlines():
        if line.startswith(("massline_task_queue_depth", "massline_appeals_overdue", "massline_notification_outbox")):
            print(f"  at the end: {line}")
    if failures:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
