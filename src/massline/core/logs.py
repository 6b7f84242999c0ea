"""Log lines that can be followed request by request: the request's context (its ID, method, path, user id) is
kept in a context variable by ``core.middleware.RequestContextMiddleware`` and added to every record that
passes through the handler, whichever logger wrote it. ``LOG_FORMAT=json`` writes one JSON object per line
(production); ``text`` a readable line (development). See docs/observability.md.

Nothing personal goes into the context: the path without its query string (the operator console searches by
telephone number), the user's id, never a name, a telephone number or an address."""

from __future__ import annotations

import contextvars
import datetime as dt
import logging
import re
import uuid
from typing import Any

from pythonjsonlogger.core import RESERVED_ATTRS
from pythonjsonlogger.json import JsonFormatter as _LibraryJsonFormatter

# What a request adds to its log lines; empty outside a request (tasks, commands).
_request_context: contextvars.ContextVar[dict[str, Any] | None] = contextvars.ContextVar(
    "massline_request_context", default=None
)

# An incoming X-Request-ID is kept only when it is short and plain (what load balancers and proxies send:
# UUIDs, hex, base64url); anything else is replaced, so a client cannot write into the logs.
_REQUEST_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:+/=-]{0,127}$")
CONTEXT_FIELDS = ("request_id", "method", "path", "status", "duration_ms", "user_id")


def request_id_from(incoming: str | None) -> str:
    """The incoming request ID when it is acceptable, otherwise a new one (32 hex digits)."""
    if incoming and _REQUEST_ID.fullmatch(incoming):
        return incoming
    return uuid.uuid4().hex


def bind_request(**fields: Any) -> None:
    """Start a request's context (replacing any left over); ``clear_request`` ends it."""
    _request_context.set(dict(fields))


def update_request(**fields: Any) -> None:
    """Add fields (status, duration, user id) to the current request's context."""
    context = _request_context.get()
    if context is not None:
        context.update(fields)


def clear_request(**kwargs: Any) -> None:
    """End the request's context (connected to ``request_finished``: Django logs 4xx and 5xx responses after
    the middleware has returned, and those lines should carry the ID too)."""
    _request_context.set(None)


def current_request_id() -> str | None:
    context = _request_context.get()
    return None if context is None else context.get("request_id")


class RequestContextFilter(logging.Filter):
    """Puts the current request's fields on every record (``None`` outside a request), so formatters can name
    them. Attached to the handler, it sees the records of every logger."""

    def filter(self, record: logging.LogRecord) -> bool:
        context = _request_context.get() or {}
        for name in CONTEXT_FIELDS:
            if not hasattr(record, name):  # a field passed explicitly with ``extra=`` wins
                setattr(record, name, context.get(name))
        return True


class JsonFormatter(_LibraryJsonFormatter):
    """One JSON object per line: time (UTC, ISO 8601), level, logger, message, the request's fields, then any
    ``extra=`` fields and the traceback. python-json-logger turns extras and exceptions into JSON."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("fmt", ["levelname", "name", "message"])
        kwargs.setdefault("rename_fields", {"levelname": "level", "name": "logger", "exc_info": "error"})
        kwargs.setdefault("json_ensure_ascii", False)
        # Django passes the request object with 4xx/5xx lines; its text has the query string: left out.
        kwargs.setdefault("reserved_attrs", [*RESERVED_ATTRS, "request"])
        super().__init__(*args, **kwargs)

    def add_fields(self, log_data: dict[str, Any], record: logging.LogRecord, message_dict: dict[str, Any]) -> None:
        log_data["time"] = (
            dt.datetime.fromtimestamp(record.created, tz=dt.UTC)
            .isoformat(timespec="milliseconds")
            .replace("+00:00", "Z")
        )
        super().add_fields(log_data, record, message_dict)
        for name in CONTEXT_FIELDS:
            value = getattr(record, name, None)
            if value is None:
                log_data.pop(name, None)
            else:
                log_data[name] = value


class TextFormatter(logging.Formatter):
    """A readable line for development, with the request ID when there is one."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s%(request_tag)s %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        request_id = getattr(record, "request_id", None)
        record.request_tag = f" [{request_id}]" if request_id else ""
        return super().format(record)


def logging_config(*, log_format: str, level: str, task_level: str) -> dict[str, Any]:
    """The ``LOGGING`` setting for ``log_format`` ("json" or "text")."""
    if log_format not in {"json", "text"}:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(f"LOG_FORMAT must be json or text, got {log_format!r}")
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_context": {"()": "massline.core.logs.RequestContextFilter"}},
        "formatters": {
            "json": {"()": "massline.core.logs.JsonFormatter"},
            "text": {"()": "massline.core.logs.TextFormatter"},
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": log_format,
                "filters": ["request_context"],
            }
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "django.db.backends": {"level": "WARNING"},
            # One line per task started and finished drowns everything else; failures are logged as errors.
            "django_tasks": {"level": task_level},
        },
    }
