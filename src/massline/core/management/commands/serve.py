"""``massline serve``: the production web server (gunicorn) for the settings and DATABASE_URL in effect."""

import os
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Run the web application under gunicorn."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "2")))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--threads", type=int, default=1)
        parser.add_argument("--timeout", type=int, default=30)

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
            "--access-logfile",
            "-",
            "--forwarded-allow-ips",
            os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1"),
        ]
        env = dict(os.environ)
        env.setdefault("DJANGO_SETTINGS_MODULE", "massline.settings.local")
        os.execve(sys.executable, argv, env)
