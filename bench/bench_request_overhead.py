"""What a request costs before any view runs: ``GET /healthz`` (no database, no template) through a real
``massline serve --workers 2``, beside a bare WSGI "hello" under the same gunicorn, both driven by the
standard-library client of the HTTP benchmarks (8 threads, same 2 cores).

python bench/bench_request_overhead.py          # SQLite under var/bench/
BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_overhead python bench/bench_request_overhead.py
BENCH_SECONDS=8 BENCH_THREADS=8                  # the knobs, with their defaults

Prints requests/s for each and the gunicorn workers' CPU per request: the difference is Django's request cycle
with the platform's middleware, which every page and API budget pays (docs/performance.md).

On PostgreSQL it also measures the floor of a durable write over HTTP on this machine: a bare WSGI app (no
framework) that takes a form POST, inserts its body into a one-index table with psycopg and commits, answering
only after the commit, as an intake must. What any intake with audit and routing can reach here is below that
figure (docs/performance.md, "The floor of a write")."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

from _http import drive, free_port, start_server, wait_ready
from _proc import child_pids, cpu_seconds
from _setup import setup_django

SECONDS = float(os.environ.get("BENCH_SECONDS", "8"))
THREADS = int(os.environ.get("BENCH_THREADS", "8"))

HELLO = """import json, os

def application(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "2")])
    return [b"ok"]

_connection = []

def insert(environ, start_response):
    import psycopg

    if environ["REQUEST_METHOD"] != "POST":  # the readiness probe
        start_response("200 OK", [("Content-Length", "0")])
        return [b""]
    if not _connection:
        _connection.append(psycopg.connect(os.environ["FLOOR_DATABASE_URL"]))
    connection = _connection[0]
    body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0)).decode()
    try:
        (number,) = connection.execute("INSERT INTO bench_floor (body) VALUES (%s) RETURNING id", [body]).fetchone()
        connection.commit()
    except Exception:
        connection.rollback()  # the next request starts clean; this one answers 500 and is not counted
        raise
    answer = json.dumps({"id": number}).encode()
    start_response("201 Created", [("Content-Type", "application/json"), ("Content-Length", str(len(answer)))])
    return [answer]
"""
FORM = (
    b"api_key=0123456789abcdef&service_code=roads&lat=30.5&long=114.3&phone=13700000000&description="
    + "小区门口的路灯坏了一个星期，晚上很黑，请尽快修理。".encode()
)


def measure(port: int, master: int, path: str, method: str = "GET", body: bytes | None = None) -> tuple[float, float]:
    headers = {"Content-Type": "application/x-www-form-urlencoded"} if body else {}
    drive(port, 2.0, THREADS, lambda rng: (method, path, body, headers))  # warm
    pids = [master, *child_pids(master)]
    before = cpu_seconds(pids)
    result = drive(port, SECONDS, THREADS, lambda rng: (method, path, body, headers))
    spent = cpu_seconds(pids) - before
    ok = result["statuses"].get(200, 0) + result["statuses"].get(201, 0)
    return ok / result["elapsed"], spent / max(ok, 1) * 1000


def bare(directory: str, app: str, env: dict[str, str] | None = None) -> tuple[int, subprocess.Popen[bytes]]:
    """The bench's own WSGI ``app`` (in hello.py) under a 2-worker gunicorn, ready."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", f"hello:{app}", "--workers", "2", "--bind", f"127.0.0.1:{port}"],
        cwd=directory,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wait_ready(port, server)
    return port, server


def main() -> None:
    database = setup_django("overhead")
    from django.db import connections

    connections.close_all()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "massline.settings.local", "DEBUG": "false"}
    port = free_port()
    server = start_server(port, 2, env)
    try:
        wait_ready(port, server)
        # massline serve execs gunicorn: its pid is the master
        django_rate, django_cpu = measure(port, server.pid, "/healthz")
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    floor: tuple[float, float] | None = None
    with tempfile.TemporaryDirectory() as directory:
        Path(directory, "hello.py").write_text(HELLO)
        hello_port, hello = bare(directory, "application")
        try:
            hello_rate, hello_cpu = measure(hello_port, hello.pid, "/")
        finally:
            hello.send_signal(signal.SIGTERM)
            hello.wait(timeout=30)
        url = os.environ.get("BENCH_DATABASE_URL", "")
        if url.startswith(("postgres://", "postgresql://")):
            floor = measure_floor(directory, url)
    print(f"database: {database}; 2 gunicorn sync workers, {THREADS} client threads, {SECONDS:.0f} s each")
    print(f"GET /healthz (massline)  {django_rate:8.1f}/s  {django_cpu:5.2f} ms of worker CPU per request")
    print(f"bare WSGI hello          {hello_rate:8.1f}/s  {hello_cpu:5.2f} ms of worker CPU per request")
    print(f"Django's request cycle with the middleware: {django_cpu - hello_cpu:.2f} ms of CPU per request")
    if floor is not None:
        print(
            f"bare WSGI form POST, one INSERT and COMMIT (psycopg)  {floor[0]:8.1f}/s  "
            f"{floor[1]:5.2f} ms of worker CPU per request: the floor of a durable write here"
        )


def measure_floor(directory: str, url: str) -> tuple[float, float]:
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("DROP TABLE IF EXISTS bench_floor")
        connection.execute("CREATE TABLE bench_floor (id bigserial PRIMARY KEY, body text NOT NULL)")
    port, server = bare(directory, "insert", {**os.environ, "FLOOR_DATABASE_URL": url})
    try:
        return measure(port, server.pid, "/requests.json", "POST", FORM)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
