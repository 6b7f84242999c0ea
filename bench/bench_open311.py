"""Open311 GeoReport v2 under load: a real ``massline serve --workers 2`` (gunicorn) and a standard-library client
over loopback (8 threads, keep-alive), as partners' apps use it.

python bench/bench_open311.py                 # SQLite under var/bench/
BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_open311 python bench/bench_open311.py
BENCH_SECONDS=15 BENCH_THREADS=8 BENCH_WORKERS=2 BENCH_APPEALS=2000   # the knobs, with their defaults

The database is rebuilt, the demo city's organisation seeded and ``BENCH_APPEALS`` appeals stored (half of them
published). Three phases, each ``BENCH_SECONDS``: POST /requests.json (an API key, a fresh Idempotency-Key per
request; stored, audited and routed in the request), GET /requests.json returning 100 requests (a date range
holding 100), GET /requests/{id}.json for random ids. Prints requests/s, p50/p95 as the client saw them, and
every non-2xx answer. Targets: POST >= 450/s, list >= 270/s, one >= 1,200/s.
"""

from __future__ import annotations

import http.client
import json
import os
import random
import signal
import statistics
import subprocess
import urllib.parse
import uuid
from collections.abc import Callable
from typing import Any

from _http import Request, drive, free_port, start_server, wait_ready
from _setup import setup_django

SECONDS = float(os.environ.get("BENCH_SECONDS", "15"))
THREADS = int(os.environ.get("BENCH_THREADS", "8"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
APPEALS = int(os.environ.get("BENCH_APPEALS", "2000"))
TARGETS = {"POST requests": 450.0, "GET 100 requests": 270.0, "GET one request": 1200.0}


def prepare() -> dict[str, Any]:
    """Appeals to read back, an API key, the service codes, and a date range holding 100 requests."""
    import datetime as dt

    from massline.accounts.services import api_key_create
    from massline.appeals.services import ContactInput, appeal_submit
    from massline.core.clock import FixedClock, use_clock
    from massline.open311.selectors import services

    codes = list(services().values_list("code", flat=True))
    rng = random.Random(3)
    start = dt.datetime.now(dt.UTC) - dt.timedelta(days=30)
    tracking = []
    for number in range(APPEALS):
        with use_clock(FixedClock(start + dt.timedelta(minutes=10 * number))):
            appeal = appeal_submit(
                actor=None,
                kind="complaint",
                channel="web",
                title=f"第{number}号 路灯不亮",
                description="小区门口的路灯坏了一个星期，晚上很黑，请尽快修理。",
                category=services().get(code=rng.choice(codes)),
                contact=ContactInput(name="王先生", phone=f"139{number:08d}"),
                publish_consent=number % 2 == 0,
                route_after_commit=False,
            ).appeal
        tracking.append(appeal.tracking_code)
    _key, secret = api_key_create(actor=None, name="bench", rate_per_minute=10**7)
    window_start = start + dt.timedelta(
        minutes=10 * max(0, min(500, APPEALS - 100))
    )  # 100 requests, even in a small run
    window_end = window_start + dt.timedelta(minutes=10 * 99, seconds=1)
    return {
        "codes": codes,
        "tracking": tracking,
        "key": secret,
        "list_query": urllib.parse.urlencode(
            {"start_date": window_start.isoformat(), "end_date": window_end.isoformat()}
        ),
    }


def run(port: int, seconds: float, make: Callable[[random.Random], Request]) -> dict[str, Any]:
    result = drive(port, seconds, THREADS, make)
    statuses = result["statuses"]
    ok = sum(count for status, count in statuses.items() if isinstance(status, int) and status < 300)
    ordered = sorted(result["latencies"])
    return {
        "rate": ok / result["elapsed"],
        "p50": statistics.median(ordered) * 1000 if ordered else 0.0,
        "p95": ordered[int(len(ordered) * 0.95) - 1] * 1000 if ordered else 0.0,
        "other": {
            status: count for status, count in statuses.items() if not (isinstance(status, int) and status < 300)
        },
    }


def main() -> None:
    database = setup_django("open311")
    from django.core.management import call_command
    from django.db import connections

    call_command("seed", only=["org.city", "appeals.policy"], verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    data = prepare()
    connections.close_all()
    port = free_port()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "massline.settings.local", "DEBUG": "false"}
    server = start_server(port, WORKERS, env)

    def post(rng: random.Random) -> Request:
        form = {
            "api_key": data["key"],
            "service_code": rng.choice(data["codes"]),
            "lat": f"{30 + rng.random():.6f}",
            "long": f"{114 + rng.random():.6f}",
            "description": "小区门口的路灯坏了一个星期，晚上很黑，请尽快修理。",
            "phone": f"137{rng.randrange(10**8):08d}",
        }
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Idempotency-Key": uuid.uuid4().hex}
        return "POST", "/open311/v2/requests.json", urllib.parse.urlencode(form).encode(), headers

    def listing(rng: random.Random) -> Request:
        return "GET", f"/open311/v2/requests.json?{data['list_query']}", None, {}

    def one(rng: random.Random) -> Request:
        return "GET", f"/open311/v2/requests/{rng.choice(data['tracking'])}.json", None, {}

    results: dict[str, dict[str, Any]] = {}
    try:
        wait_ready(port, server)
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        connection.request("GET", f"/open311/v2/requests.json?{data['list_query']}")
        size = len(json.loads(connection.getresponse().read()))
        connection.close()
        for name, make in (("POST requests", post), ("GET 100 requests", listing), ("GET one request", one)):
            run(port, 2.0, make)  # warm: imports, connections, caches in every worker
            results[name] = run(port, SECONDS, make)
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
    print(f"database: {database}; {WORKERS} gunicorn sync workers, {THREADS} client threads, {SECONDS:.0f} s a phase")
    for name, result in results.items():
        verdict = "met" if result["rate"] >= TARGETS[name] else "NOT met"
        other = f"  other answers: {result['other']}" if result["other"] else ""
        print(
            f"{name:18} {result['rate']:8.1f}/s  p50 {result['p50']:6.1f} ms  p95 {result['p95']:6.1f} ms  "
            f"(target >= {TARGETS[name]:.0f}/s: {verdict}){other}"
        )
    print(f"the list answers {size} requests")


if __name__ == "__main__":
    main()
