"""The middleware that serves people signed in through a browser — the session, the signed-in user, two-factor
sign-in, flash messages — steps aside for the addresses only programs call: Open311, the health
checks and ``/metrics`` (``settings.MASSLINE_SESSIONLESS_PATHS``, decision 0019).

Those addresses never read a session: Open311 writes with an API key, the rest are public or take a bearer
token or an allowed network. Skipping the browser layers there saves about a sixth of the work of a small
answer (a single Open311 request), a session cookie sent along costs no database query, and the answers do not
vary on ``Cookie``, so a cache in front can keep them. ``request.user`` is the anonymous user there, so code
that asks for it still gets an answer. CSRF stays as Django has it (cheap without a cookie, and Django's
deployment check looks for its own class).

Each class here is Django's (or django-otp's) with that one step added, so Django's own checks of the
middleware list (the admin's, for instance) still recognise them."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.middleware import AuthenticationMiddleware as DjangoAuthenticationMiddleware
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.middleware import MessageMiddleware as DjangoMessageMiddleware
from django.contrib.sessions.middleware import SessionMiddleware as DjangoSessionMiddleware
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django_otp.middleware import OTPMiddleware as DjangoOTPMiddleware


def is_sessionless(request: HttpRequest) -> bool:
    """Whether ``request`` is for one of the programs' addresses: an entry ending in ``/`` covers everything
    under it, any other entry only itself."""
    path = request.path_info
    for entry in settings.MASSLINE_SESSIONLESS_PATHS:
        if path == entry or (entry.endswith("/") and path.startswith(entry)):
            return True
    return False


class _BrowsersOnly:
    """Passes a sessionless request straight on; everything else goes through the middleware as it is."""

    get_response: Any  # set by the middleware class it is mixed into

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if is_sessionless(request):
            self.when_skipped(request)
            return self.get_response(request)
        return super().__call__(request)  # type: ignore[misc]

    def when_skipped(self, request: HttpRequest) -> None:
        """What a sessionless request gets instead (nothing, unless a subclass says)."""


class SessionMiddleware(_BrowsersOnly, DjangoSessionMiddleware):
    pass


class AuthenticationMiddleware(_BrowsersOnly, DjangoAuthenticationMiddleware):
    def when_skipped(self, request: HttpRequest) -> None:
        request.user = AnonymousUser()


class OTPMiddleware(_BrowsersOnly, DjangoOTPMiddleware):
    pass


class MessageMiddleware(_BrowsersOnly, DjangoMessageMiddleware):
    pass
