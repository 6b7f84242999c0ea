"""gunicorn's configuration for ``massline serve`` (``--config python:massline.core.gunicorn_conf``).

- Metrics: every worker counts its requests in files under ``PROMETHEUS_MULTIPROC_DIR`` so that a scrape of
  ``/metrics``, whichever worker answers it, adds up all of them (core/metrics.py). Without the variable, a
  fresh directory is made for this server and removed when it stops; with it, the directory is emptied at
  start (counts of a previous server would otherwise be added to this one's).
- Logs: gunicorn's access log is off in both formats: the application's ``massline.request`` line says the
  same with the request ID, and a second line for every request only costs CPU. With ``LOG_FORMAT=json``
  gunicorn's own lines are JSON too.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from massline.core.logs import JsonFormatter  # noqa: F401  (named below by dotted path)

_made_directory = not os.environ.get("PROMETHEUS_MULTIPROC_DIR")
if _made_directory:
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="massline-metrics-")
_metrics_directory = Path(os.environ["PROMETHEUS_MULTIPROC_DIR"])

# The settings' default: json under the production settings, text otherwise.
_production = os.environ.get("DJANGO_SETTINGS_MODULE", "").endswith(".production")
accesslog = None
if (os.environ.get("LOG_FORMAT") or ("json" if _production else "text")) == "json":
    logconfig_dict = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": "massline.core.logs.JsonFormatter"}},
        "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"}},
        "loggers": {
            "gunicorn.error": {"handlers": ["console"], "level": "INFO", "propagate": False},
            # Off: its line has the query string (searches by telephone number) and no request ID.
            "gunicorn.access": {"handlers": [], "level": "CRITICAL", "propagate": False},
        },
    }


def on_starting(server: Any) -> None:
    _metrics_directory.mkdir(parents=True, exist_ok=True)
    for stale in _metrics_directory.glob("*.db"):
        stale.unlink()


def child_exit(server: Any, worker: Any) -> None:
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


def on_exit(server: Any) -> None:
    if _made_directory:
        shutil.rmtree(_metrics_directory, ignore_errors=True)
