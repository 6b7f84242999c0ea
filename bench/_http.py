"""Shared by the HTTP benchmarks: a free port, a real ``massline serve`` (gunicorn) and a standard-library client
that drives it from several threads with keep-alive, counting statuses and latencies."""

from __future__ import annotations

import http.client
import random
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from typing import IO, Any

from _setup import ROOT

# What a client thread sends next: (method, path, body, headers).
Request = tuple[str, str, bytes | None, dict[str, str]]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(port: int, workers: int, env: dict[str, str], *, log: IO[str] | None = None) -> subprocess.Popen[str]:
    """``massline serve --workers N`` on ``port``. Everything the server writes goes to ``log``, or to a temporary
    file that ``wait_ready`` shows when the server does not start: never to a pipe nobody reads, where the
    request log would fill the pipe and stop the server. With ``log``, the server leads its own process group, so
    that the master and its workers can be killed together (``os.killpg``), as a crash of the machine would."""
    output = log if log is not None else tempfile.TemporaryFile("w+")  # noqa: SIM115  (closed with the server)
    server = subprocess.Popen(
        [sys.executable, "-m", "massline.cli", "serve", "--workers", str(workers), "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=output,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=log is not None,
    )
    _outputs[server.pid] = output
    return server


_outputs: dict[int, IO[str]] = {}


def wait_ready(port: int, server: subprocess.Popen[Any], *, limit: float = 90) -> None:
    deadline = time.monotonic() + limit
    while True:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/readyz")
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        if server.poll() is not None or time.monotonic() > deadline:
            raise SystemExit(f"server did not start: {_written(server)}")
        time.sleep(0.3)


def _written(server: subprocess.Popen[str]) -> str:
    output = _outputs.get(server.pid)
    if output is None or not output.seekable():
        return ""
    output.flush()
    output.seek(0)
    return output.read()[-5000:]


def drive(port: int, seconds: float, threads: int, make: Callable[[random.Random], Request]) -> dict[str, Any]:
    """``threads`` clients, each sending ``make(rng)`` requests for ``seconds``; returns the elapsed time, every
    latency (seconds) and the count of each status (or error name)."""
    latencies: list[float] = []
    statuses: dict[int | str, int] = {}
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def client(seed: int) -> None:
        rng = random.Random(seed)
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine: list[float] = []
        counts: dict[int | str, int] = {}
        while time.monotonic() < stop_at:
            method, path, data, headers = make(rng)
            started = time.perf_counter()
            try:
                connection.request(method, path, body=data, headers={"Connection": "keep-alive", **headers})
                response = connection.getresponse()
                response.read()
                status: int | str = response.status
            except (OSError, http.client.HTTPException) as error:
                status = type(error).__name__
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            mine.append(time.perf_counter() - started)
            counts[status] = counts.get(status, 0) + 1
        connection.close()
        with lock:
            latencies.extend(mine)
            for key, value in counts.items():
                statuses[key] = statuses.get(key, 0) + value

    workers = [threading.Thread(target=client, args=(seed,)) for seed in range(threads)]
    started = time.perf_counter()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return {"elapsed": time.perf_counter() - started, "latencies": latencies, "statuses": statuses}
