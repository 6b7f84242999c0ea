"""Fixtures of the notification tests: the appeal tests' small city, e-mail through Django's locmem backend,
text messages written to a temporary outbox, and a real HTTP server standing in for the SMS gateway."""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from massline.appeals.tests.conftest import city  # noqa: F401 - the fixture, shared
from massline.core.clock import FixedClock, use_clock

BEIJING = ZoneInfo("Asia/Shanghai")
SITE = "https://12345.example.gov.cn"


@pytest.fixture(autouse=True)
def notification_settings(settings: Any, tmp_path: Any) -> Any:
    settings.MASSLINE_SITE_URL = SITE
    settings.MASSLINE_NOTIFY_EMAIL_SENDER = "smtp"  # Django's send_mail, locmem in the test settings
    settings.MASSLINE_NOTIFY_SMS_SENDER = "file"
    settings.MASSLINE_NOTIFY_OUTBOX_DIR = tmp_path / "outbox"
    settings.MASSLINE_NOTIFY_MAX_ATTEMPTS = 4
    settings.MASSLINE_NOTIFY_RETRY_SECONDS = 60
    settings.MASSLINE_NOTIFY_DIGEST_HOUR = 8
    return settings


@pytest.fixture
def beijing_clock() -> Iterator[FixedClock]:
    """Monday 2 March 2026, 10:00 in Beijing."""
    clock = FixedClock(dt.datetime(2026, 3, 2, 10, 0, tzinfo=BEIJING))
    with use_clock(clock):
        yield clock


@pytest.fixture
def sms_gateway() -> Iterator[SimpleNamespace]:
    """A real HTTP server on a free local port. ``answers`` lists the status codes of the next requests (then
    200); ``received`` records what each request carried."""
    received: list[dict[str, Any]] = []
    answers: list[int] = []
    delay = {"seconds": 0.0}

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length)
            received.append(
                {
                    "path": self.path,
                    "authorization": self.headers.get("Authorization"),
                    "content_type": self.headers.get("Content-Type"),
                    "json": json.loads(raw.decode("utf-8")),
                }
            )
            if delay["seconds"]:
                threading.Event().wait(delay["seconds"])
            status = answers.pop(0) if answers else 200
            payload = b'{"accepted": true}' if status < 300 else b'{"error": "busy"}'
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)
            except OSError:
                pass  # the client gave up waiting

        def log_message(self, format: str, *args: Any) -> None:
            return None

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield SimpleNamespace(
            url=f"http://127.0.0.1:{server.server_port}/v1/sms", received=received, answers=answers, delay=delay
        )
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
