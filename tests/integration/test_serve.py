"""`massline serve` runs the application under gunicorn on the database in DATABASE_URL and answers in both
languages."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from .test_worker import database_url

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def get(url: str, language: str) -> tuple[int, str]:
    request = urllib.request.Request(url, headers={"Accept-Language": language})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, response.read().decode()


def test_serve_answers_in_chinese_and_english(small_city) -> None:  # type: ignore[no-untyped-def]
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "massline.settings.local",
        "DATABASE_URL": database_url(),
        "DEBUG": "false",
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "massline.cli", "serve", "--workers", "2", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                status, _ = get(f"http://127.0.0.1:{port}/readyz", "en")
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(
                        f"server did not start: {server.stderr.read() if server.stderr else ''}"
                    ) from None
                time.sleep(0.3)
        assert status == 200
        status, chinese = get(f"http://127.0.0.1:{port}/", "zh-CN,zh;q=0.9")
        assert status == 200 and 'lang="zh-hans"' in chinese
        status, english = get(f"http://127.0.0.1:{port}/", "en-GB,en;q=0.9")
        assert status == 200 and 'lang="en"' in english
        status, units = get(f"http://127.0.0.1:{port}/org/units/", "en")
        assert status == 200 and "Urban Management Bureau" in units
        with pytest.raises(urllib.error.HTTPError) as missing:
            get(f"http://127.0.0.1:{port}/no-such-page/", "en")
        assert missing.value.code == 404
        assert "URLconf" not in missing.value.read().decode()  # no debug page from the production server
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
