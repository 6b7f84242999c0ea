"""CPU per API request in one process: Django's WSGI handler called directly with Open311 requests, without the
HTTP server, the client or the other processes of the load benchmarks. On a shared machine, whose load moves
requests/s by ±15% from one run to the next, this is the steadier measure of what the code itself costs.

python bench/bench_api_cpu.py                 # SQLite under var/bench/
BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_api_cpu DB_CONN_MAX_AGE=60 python bench/bench_api_cpu.py
REDIS_URL=redis://127.0.0.1:6379/6 TASK_BACKEND=rq …   # the production path of POST (rate limit, task queue)
BENCH_ROUNDS=5 BENCH_ONE=2000 BENCH_LIST=200 BENCH_POST=300   # the knobs, with their defaults
BENCH_PROFILE=30 …                            # also print each class's 30 most costly functions (cumulative)

The data are bench_open311.py's (the demo city's organisation, BENCH_APPEALS stored appeals, an API key). For
each request class: BENCH_ROUNDS rounds of N requests after a warm-up; prints the best round's CPU time per
request (``time.process_time``); then, over one more round, the Python function calls (cProfile) and the SQL
statements per request. On PostgreSQL it also prints the CPU its backend spent per request (from /proc) and the
bytes of write-ahead log a request wrote, which the machine's load does not change. POST
sends a new telephone number each time, so that it measures dispatch, not the link of the same matter.
To compare two commits, copy this script into a checkout of the other (``git worktree add``) and run it
there, alternating the runs: ``_setup.setup_django`` puts its own checkout's ``src`` first on the path, so
``PYTHONPATH`` does not switch the code.
"""

from __future__ import annotations

import cProfile
import io
import os
import pstats
import random
import sys
import time
import urllib.parse
import uuid
from collections.abc import Callable
from typing import Any

from _proc import cpu_seconds
from _setup import setup_django

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))
PROFILE_LINES = int(os.environ.get("BENCH_PROFILE", "0"))
COUNTS = {
    "GET one request": int(os.environ.get("BENCH_ONE", "2000")),
    "GET 100 requests": int(os.environ.get("BENCH_LIST", "200")),
    "POST requests": int(os.environ.get("BENCH_POST", "300")),
}


def main() -> None:
    setup_django("api_cpu")
    from django.core.management import call_command

    call_command("seed", only=["org.city", "appeals.policy"], verbosity=0, stdout=io.StringIO())
    from django.core.handlers.wsgi import WSGIHandler
    from django.db import connection

    from bench_open311 import prepare

    data = prepare()
    handler = WSGIHandler()
    rng = random.Random()  # unseeded: every run sends numbers no earlier run used

    def call(method: str, path: str, query: str = "", body: bytes = b"", **headers: str) -> None:
        environ: dict[str, Any] = {
            "REQUEST_METHOD": method,
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "8000",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": "127.0.0.1",
            "HTTP_HOST": "127.0.0.1:8000",
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(body),
            "wsgi.errors": sys.stderr,
            "CONTENT_LENGTH": str(len(body)),
            **{f"HTTP_{name.upper()}": value for name, value in headers.items()},
        }
        if body:
            environ["CONTENT_TYPE"] = "application/x-www-form-urlencoded"
        statuses: list[str] = []

        def start_response(status: str, _headers: Any, _exc: Any = None) -> Callable[[bytes], object]:
            statuses.append(status)
            return lambda _data: None

        b"".join(handler(environ, start_response))
        if not statuses[0].startswith(("200", "201")):
            raise SystemExit(f"{method} {path}: {statuses[0]}")

    def one() -> None:
        call("GET", f"/open311/v2/requests/{rng.choice(data['tracking'])}.json")

    def listing() -> None:
        call("GET", "/open311/v2/requests.json", data["list_query"])

    def post() -> None:
        form = {
            "api_key": data["key"],
            "service_code": rng.choice(data["codes"]),
            "lat": f"{30 + rng.random():.6f}",
            "long": f"{114 + rng.random():.6f}",
            "description": "小区门口的路灯坏了一个星期，晚上很黑，请尽快修理。",
            "phone": f"137{rng.randrange(10**8):08d}",
        }
        call(
            "POST",
            "/open311/v2/requests.json",
            body=urllib.parse.urlencode(form).encode(),
            idempotency_key=uuid.uuid4().hex,
        )

    classes: dict[str, Callable[[], None]] = {
        "GET one request": one,
        "GET 100 requests": listing,
        "POST requests": post,
    }
    print(f"database: {os.environ['DATABASE_URL'].rpartition('@')[2]}, {len(data['tracking'])} stored appeals")
    statements = [0]

    def counted(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        statements[0] += 1
        return execute(sql, params, many, context)

    for name, request in classes.items():
        count = COUNTS[name]
        for _ in range(max(count // 10, len(data["codes"]) if name == "POST requests" else 0)):
            request()  # warm: imports, the connection, the memos of every service code
        best = float("inf")
        backend = _database_backend_pid()
        database_started = cpu_seconds(backend)
        wal_started = _wal_position()
        for _round in range(ROUNDS):
            started = time.process_time()
            for _ in range(count):
                request()
            best = min(best, (time.process_time() - started) / count)
        database = (cpu_seconds(backend) - database_started) / (count * ROUNDS)
        wal = (_wal_position() - wal_started) / (count * ROUNDS) if backend else 0
        if backend != _database_backend_pid():
            backend = []  # the connection was replaced (DB_CONN_MAX_AGE): the figure would be another backend's
        statements[0] = 0
        profile = cProfile.Profile()
        with connection.execute_wrapper(counted):
            profile.enable()
            for _ in range(count):
                request()
            profile.disable()
        calls = pstats.Stats(profile).total_calls / count  # type: ignore[attr-defined]
        print(
            f"{name:18s} {best * 1000:6.3f} ms of CPU per request (best of {ROUNDS} × {count})  {calls:8,.0f} Python calls"
            f"  {statements[0] / count:4.1f} statements"
            + (f"  database {database * 1000:5.3f} ms, {wal:,.0f} WAL bytes" if backend else "")
        )
        if PROFILE_LINES:
            pstats.Stats(profile).sort_stats("cumulative").print_stats(PROFILE_LINES)


def _database_backend_pid() -> list[int]:
    """The PostgreSQL backend serving this process's connection (empty on SQLite, which runs in-process), so
    that the database's own CPU per request can be read from /proc beside the process's."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return [cursor.fetchone()[0]]


def _wal_position() -> int:
    """Bytes written to PostgreSQL's write-ahead log so far (0 on SQLite): what a request writes, indexes
    included, does not depend on how busy the machine is."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return 0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint")
        return int(cursor.fetchone()[0])


if __name__ == "__main__":
    main()
