"""What a request costs before any view runs: ``GET /healthz`` (no database, no template) through a real
``massline serve --workers 2``, beside a bare WSGI "hello" under the same gunicorn, both driven by the
standard-library client of the HTTP benchmarks (8 threads, same 2 cores).

python bench/bench_request_overhead.py          # SQLite under var/bench/
BENCH_SECONDS=8 BENCH_THREADS=8                  # the knobs, with their defaults

Prints requests/s for each and the gunicorn workers' CPU per request: the difference is Django's request cycle
with the platform's middleware, which every page and API budget pays (docs/performance.md)."""

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

HELLO = """def application(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "2")])
    return [b"ok"]
"""


def measure(port: int, master: int, path: str) -> tuple[float, float]:
    drive(port, 2.0, THREADS, lambda rng: ("GET", path, None, {}))  # warm
    pids = [master, *child_pids(master)]
    before = cpu_seconds(pids)
    result = drive(port, SECONDS, THREADS, lambda rng: ("GET", path, None, {}))
    spent = cpu_seconds(pids) - before
    ok = result["statuses"].get(200, 0)
    return ok / result["elapsed"], spent / max(ok, 1) * 1000


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
    with tempfile.TemporaryDirectory() as directory:
        Path(directory, "hello.py").write_text(HELLO)
        hello_port = free_port()
        hello = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "hello:application",
                "--workers",
                "2",
                "--bind",
                f"127.0.0.1:{hello_port}",
            ],
            cwd=directory,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            wait_ready(hello_port, hello)
            hello_rate, hello_cpu = measure(hello_port, hello.pid, "/")
        finally:
            hello.send_signal(signal.SIGTERM)
            hello.wait(timeout=30)
    print(f"database: {database}; 2 gunicorn sync workers, {THREADS} client threads, {SECONDS:.0f} s each")
    print(f"GET /healthz (massline)  {django_rate:8.1f}/s  {django_cpu:5.2f} ms of worker CPU per request")
    print(f"bare WSGI hello          {hello_rate:8.1f}/s  {hello_cpu:5.2f} ms of worker CPU per request")
    print(f"Django's request cycle with the middleware: {django_cpu - hello_cpu:.2f} ms of CPU per request")


if __name__ == "__main__":
    main()
