"""The notification settings, with their defaults (docs/configuration.md, docs/notifications.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings

DEFAULTS: dict[str, Any] = {
    "MASSLINE_SITE_URL": "http://127.0.0.1:8000",
    "MASSLINE_NOTIFY_EMAIL_SENDER": "file",
    "MASSLINE_NOTIFY_SMS_SENDER": "file",
    "MASSLINE_NOTIFY_OUTBOX_DIR": None,  # VAR_DIR/outbox
    "MASSLINE_SMS_GATEWAY_URL": "",
    "MASSLINE_SMS_GATEWAY_TOKEN": "",
    "MASSLINE_SMS_GATEWAY_TIMEOUT": 10,
    "MASSLINE_NOTIFY_MAX_ATTEMPTS": 6,
    "MASSLINE_NOTIFY_RETRY_SECONDS": 60,
    "MASSLINE_NOTIFY_DIGEST_HOUR": 8,
}
MAX_BACKOFF_SECONDS = 6 * 3600


def setting(name: str) -> Any:
    return getattr(settings, name, DEFAULTS[name])


def outbox_dir() -> Path:
    configured = setting("MASSLINE_NOTIFY_OUTBOX_DIR")
    return Path(configured) if configured else Path(settings.VAR_DIR) / "outbox"


def site_url(path: str) -> str:
    """An absolute address on this deployment, for links in e-mails and text messages."""
    return str(setting("MASSLINE_SITE_URL")).rstrip("/") + path
