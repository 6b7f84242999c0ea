"""The client's address, read the same way for login lockouts (django-axes) and for rate limits.

Without a proxy (``PROXY_COUNT`` unset) the address is the connection's own, ``REMOTE_ADDR``: a client cannot
choose it by sending an ``X-Forwarded-For`` header. Behind ``PROXY_COUNT`` trusted proxies (production reads it
into ``AXES_IPWARE_PROXY_COUNT``), each proxy appends the address it saw to ``X-Forwarded-For``; the client's
address is therefore the ``PROXY_COUNT``-th entry from the right, and anything further left was written by the
client and is ignored."""

from __future__ import annotations

from typing import Any

from django.conf import settings


def client_ip(request: Any) -> str:
    meta = getattr(request, "META", {})
    remote = str(meta.get("REMOTE_ADDR") or "")
    proxies = int(getattr(settings, "AXES_IPWARE_PROXY_COUNT", None) or 0)
    if proxies <= 0:
        return remote
    forwarded = [part.strip() for part in str(meta.get("HTTP_X_FORWARDED_FOR") or "").split(",") if part.strip()]
    if not forwarded:
        return remote
    return forwarded[-min(proxies, len(forwarded))]
