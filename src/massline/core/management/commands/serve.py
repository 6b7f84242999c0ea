"""``massline serve``: the production web server (gunicorn) for the settings and DATABASE_URL in effect."""

import hashlib
import os
import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Run the web application under gunicorn."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "2")))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--threads", type=int, default=int(os.environ.get("WEB_THREADS", "1")))
        parser.add_argument("--timeout", type=int, default=30)
        parser.add_argument("--debug", action="store_true", help="Keep DEBUG on (development only).")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["workers"] < 1:
            self.stderr.write("--workers must be at least 1")
            sys.exit(2)
        argv = [
            sys.executable,
            "-m",
            "gunicorn",
            "massline.wsgi:application",
            "--bind",
            f"{options['host']}:{options['port']}",
            "--workers",
            str(options["workers"]),
            "--threads",
            str(options["threads"]),
            "--timeout",
            str(options["timeout"]),
            # Metrics from every worker, logs in LOG_FORMAT (docs/observability.md).
            "--config",
            "python:massline.core.gunicorn_conf",
            "--forwarded-allow-ips",
            os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1"),
        ]
        env = dict(os.environ)
        env.setdefault("DJANGO_SETTINGS_MODULE", "massline.settings.local")
        if not options["debug"]:
            env["DEBUG"] = "false"  # never serve tracebacks, whatever the settings module says by default
        if env["DJANGO_SETTINGS_MODULE"].endswith(".local"):
            self.stderr.write(
                "note: serving with the embedded settings (massline.settings.local, loopback hosts only); "
                "set DJANGO_SETTINGS_MODULE=massline.settings.production with SECRET_KEY and ALLOWED_HOSTS "
                "for a public server (docs/configuration.md)"
            )
        _collect_static_when_changed()
        os.execve(sys.executable, argv, env)


def _static_fingerprint() -> str:
    """What collectstatic would read: every static file's path, size and modification time, and the storage."""
    from django.contrib.staticfiles.finders import get_finders

    entries = []
    for finder in get_finders():
        for path, storage in finder.list(["CVS", ".*", "*~"]):
            stat = os.stat(storage.path(path))
            entries.append(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}")
    entries.append(repr(settings.STORAGES.get("staticfiles")))
    return hashlib.sha256("\n".join(sorted(entries)).encode()).hexdigest()


def _collect_static_when_changed() -> None:
    """Collect (hash and compress) the static files, unless nothing changed since the last collection: that
    takes tens of seconds of CPU, and a server restarted after a crash must answer again at once."""
    root = Path(settings.STATIC_ROOT)
    stamp = root / ".collected"
    fingerprint = _static_fingerprint()
    if (root / "staticfiles.json").exists() and stamp.exists() and stamp.read_text() == fingerprint:
        return
    call_command("collectstatic", interactive=False, verbosity=0)
    stamp.write_text(fingerprint)
