"""How a message leaves the platform, chosen per channel by settings (docs/notifications.md):

- e-mail (``MASSLINE_NOTIFY_EMAIL_SENDER``): ``console``, ``file`` (one file per message under
  ``VAR_DIR/outbox``, the development default) or ``smtp`` (Django's ``send_mail`` through ``EMAIL_*``);
- text messages (``MASSLINE_NOTIFY_SMS_SENDER``): ``console``, ``file``, ``http`` (the JSON gateway of
  ``sms.py``), ``off`` (no text messages are created), or the dotted path of an ``SmsGateway`` subclass;
- in-app: the outbox row itself, read on ``/notifications/``; nothing leaves the platform.

Senders are adapters (STYLE.md §7): they deliver what they are given and raise when they could not."""

from __future__ import annotations

from typing import Protocol

from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

from ..conf import setting
from ..models import Channel, OutboxMessage
from .basic import ConsoleSender, FileSender, SmtpSender
from .sms import HttpJsonSmsGateway, SmsGateway, SmsGatewayError, SmsSender

__all__ = [
    "ConsoleSender",
    "FileSender",
    "HttpJsonSmsGateway",
    "Sender",
    "SmsGateway",
    "SmsGatewayError",
    "SmsSender",
    "SmtpSender",
    "channel_enabled",
    "sender_for",
]


class Sender(Protocol):
    def send(self, message: OutboxMessage) -> None: ...


def channel_enabled(channel: str) -> bool:
    """Text messages can be switched off; e-mail and in-app notices are always on."""
    return not (channel == Channel.SMS and setting("MASSLINE_NOTIFY_SMS_SENDER") == "off")


def sender_for(channel: str) -> Sender:
    if channel == Channel.EMAIL:
        name = setting("MASSLINE_NOTIFY_EMAIL_SENDER")
        senders: dict[str, type[Sender]] = {"console": ConsoleSender, "file": FileSender, "smtp": SmtpSender}
        if name not in senders:
            raise ImproperlyConfigured(f"MASSLINE_NOTIFY_EMAIL_SENDER must be one of {sorted(senders)}, got {name!r}")
        return senders[name]()
    if channel == Channel.SMS:
        name = setting("MASSLINE_NOTIFY_SMS_SENDER")
        if name == "console":
            return ConsoleSender()
        if name == "file":
            return FileSender()
        if name == "http":
            return SmsSender(HttpJsonSmsGateway.from_settings())
        if "." in name:
            gateway_class = import_string(name)
            if not (isinstance(gateway_class, type) and issubclass(gateway_class, SmsGateway)):
                raise ImproperlyConfigured(f"{name} is not an SmsGateway")
            return SmsSender(gateway_class())
        raise ImproperlyConfigured(
            f"MASSLINE_NOTIFY_SMS_SENDER must be console, file, http, off or a dotted path, got {name!r}"
        )
    raise ImproperlyConfigured(f"no sender for channel {channel!r}")
