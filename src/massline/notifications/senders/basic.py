"""Senders that need nothing outside the platform (console, file) and the e-mail sender (Django's mail)."""

from __future__ import annotations

import sys

from django.conf import settings
from django.core.mail import send_mail

from ..conf import outbox_dir
from ..models import Channel, OutboxMessage


def _as_text(message: OutboxMessage) -> str:
    if message.channel == Channel.SMS:
        return f"To: {message.address}\nChannel: sms\n\n{message.body}\n"
    return f"To: {message.address}\nChannel: {message.channel}\nSubject: {message.subject}\n\n{message.body}\n"


class ConsoleSender:
    """Prints each message on standard output (development)."""

    def send(self, message: OutboxMessage) -> None:
        sys.stdout.write(_as_text(message) + "-" * 40 + "\n")
        sys.stdout.flush()


class FileSender:
    """Writes one file per message under ``VAR_DIR/outbox`` (the demo and development default)."""

    def send(self, message: OutboxMessage) -> None:
        directory = outbox_dir()
        directory.mkdir(parents=True, exist_ok=True)
        # The key makes the name stable: a retried delivery overwrites its own file, never adds a second one.
        name = message.key.replace(":", "-").replace("/", "-")
        (directory / f"{name}.txt").write_text(_as_text(message), encoding="utf-8")


class SmtpSender:
    """Sends through Django's e-mail backend (``EMAIL_BACKEND``, SMTP with ``EMAIL_*`` in production)."""

    def send(self, message: OutboxMessage) -> None:
        send_mail(
            message.subject,
            message.body,
            settings.DEFAULT_FROM_EMAIL,
            [message.address],
            fail_silently=False,
        )
