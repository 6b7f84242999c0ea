"""Text messages: the gateway interface and one concrete gateway speaking JSON over HTTP.

The HTTP gateway POSTs ``{"to": phone, "text": text}`` with ``Authorization: Bearer <token>`` to
``MASSLINE_SMS_GATEWAY_URL`` and treats any answer other than 2xx, or no answer within the timeout, as a
failure for the outbox to retry. Another provider is one subclass of ``SmsGateway`` away."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from abc import ABC, abstractmethod

from django.core.exceptions import ImproperlyConfigured

from ..conf import setting
from ..models import OutboxMessage


class SmsGatewayError(Exception):
    """The gateway did not accept the message."""


class SmsGateway(ABC):
    @abstractmethod
    def send(self, phone: str, text: str) -> None:
        """Hand one text message to the gateway; raise ``SmsGatewayError`` when it was not accepted."""


class HttpJsonSmsGateway(SmsGateway):
    def __init__(self, *, url: str, token: str, timeout: float = 10) -> None:
        if not url.startswith(("https://", "http://")):
            raise ImproperlyConfigured("MASSLINE_SMS_GATEWAY_URL must be an http(s) address")
        self.url, self.token, self.timeout = url, token, timeout

    @classmethod
    def from_settings(cls) -> HttpJsonSmsGateway:
        return cls(
            url=setting("MASSLINE_SMS_GATEWAY_URL"),
            token=setting("MASSLINE_SMS_GATEWAY_TOKEN"),
            timeout=float(setting("MASSLINE_SMS_GATEWAY_TIMEOUT")),
        )

    def send(self, phone: str, text: str) -> None:
        request = urllib.request.Request(  # noqa: S310 - the scheme is checked in __init__
            self.url,
            data=json.dumps({"to": phone, "text": text}, ensure_ascii=False).encode("utf-8"),
            method="POST",
            headers={
                "Content-Type": "application/json; charset=utf-8",
                "Accept": "application/json",
                "Authorization": f"Bearer {self.token}",
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                status = response.status
        except urllib.error.HTTPError as error:
            raise SmsGatewayError(f"gateway answered HTTP {error.code}") from error
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            raise SmsGatewayError(f"gateway unreachable: {error}") from error
        if not 200 <= status < 300:
            raise SmsGatewayError(f"gateway answered HTTP {status}")


class SmsSender:
    def __init__(self, gateway: SmsGateway) -> None:
        self.gateway = gateway

    def send(self, message: OutboxMessage) -> None:
        self.gateway.send(message.address, message.body)
