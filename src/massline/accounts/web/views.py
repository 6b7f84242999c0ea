"""Sign in, sign out, two-factor setup and verification, and the staff home page."""

from base64 import b32encode
from urllib.parse import urlencode

import segno
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from massline.accounts import services
from massline.accounts.permissions import needs_two_factor, scope_for

from .forms import LoginForm, TokenForm


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    pass


def _safe_next(request: HttpRequest, fallback: str = "accounts:home") -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    from django.urls import reverse

    return reverse(fallback)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    context = {
        "assignments": user.role_assignments.select_related("unit", "area").order_by("role"),  # type: ignore[union-attr]
        "scope": scope_for(user),
        "two_factor_required": needs_two_factor(user),
        "two_factor_enabled": TOTPDevice.objects.filter(user=user, confirmed=True).exists(),  # type: ignore[misc]
        "posts": user.posts.select_related("unit"),  # type: ignore[union-attr]
    }
    return render(request, "accounts/home.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """Show a QR code for a new TOTP device and confirm it with the first code."""
    user = request.user
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():  # type: ignore[misc]
        # A person with a device proves it first; setting up another one is never a way around the code.
        if not user.is_verified():  # type: ignore[union-attr]
            return redirect(_with_next("accounts:two_factor_verify", _safe_next(request)))
        messages.info(request, _("Two-factor sign-in is already set up for your account."))
        return redirect("accounts:home")
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()  # type: ignore[misc]
    if device is None:
        device = services.totp_device_start(user=user)  # type: ignore[arg-type]
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and _not_throttled(form, device):
        if services.totp_device_confirm(user=user, device=device, token=form.cleaned_data["token"]):  # type: ignore[arg-type]
            otp_login(request, device)
            messages.success(request, _("Two-factor sign-in is on. You will be asked for a code at each sign-in."))
            return redirect(_safe_next(request))
        form.add_error("token", _("That code is not right or has expired. Try the newest code."))
    secret = b32encode(device.bin_key).decode("ascii").rstrip("=")
    qr_svg = segno.make(device.config_url, error="m").svg_inline(scale=4, title=_("Scan with your authenticator app"))
    return render(
        request,
        "accounts/two_factor_setup.html",
        {"form": form, "secret": secret, "qr_svg": qr_svg, "next": _safe_next(request)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    """Ask for a code from the confirmed device before staff pages open."""
    devices = list(TOTPDevice.objects.filter(user=request.user, confirmed=True))  # type: ignore[misc]
    if not devices:
        return redirect(_with_next("accounts:two_factor_setup", _safe_next(request)))
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and all(_not_throttled(form, d) for d in devices):
        for device in devices:
            if device.verify_token(form.cleaned_data["token"]):
                otp_login(request, device)
                return redirect(_safe_next(request))
        form.add_error("token", _("That code is not right or has expired. Try the newest code."))
    return render(request, "accounts/two_factor_verify.html", {"form": form, "next": _safe_next(request)})


def _not_throttled(form: TokenForm, device: TOTPDevice) -> bool:
    """After a wrong code, django-otp makes the next attempt wait (doubling each time); say so plainly."""
    allowed, _details = device.verify_is_allowed()
    if not allowed:
        form.add_error("token", _("Too many wrong codes. Wait a few seconds, then enter the newest code."))
    return bool(allowed)


def _with_next(name: str, target: str) -> str:
    from django.urls import reverse

    return f"{reverse(name)}?{urlencode({'next': target})}"
