"""Inspectors and administrators, and anyone who has turned two-factor sign-in on, must verify a TOTP device
before they reach any page but the ones needed to set it up or to leave."""

from collections.abc import Callable
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from .permissions import needs_two_factor

_OPEN_PREFIXES = ("/static/", "/media/", "/i18n/")


def _must_verify(user: object) -> bool:
    return needs_two_factor(user) or TOTPDevice.objects.filter(user=user, confirmed=True).exists()


class TwoFactorRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not user.is_verified() and _must_verify(user):
            open_paths = {
                reverse("accounts:two_factor_setup"),
                reverse("accounts:two_factor_verify"),
                reverse("accounts:logout"),
            }
            if request.path not in open_paths and not request.path.startswith(_OPEN_PREFIXES):
                target = urlencode({"next": request.get_full_path()})
                return redirect(f"{reverse('accounts:two_factor_verify')}?{target}")
        return self.get_response(request)
