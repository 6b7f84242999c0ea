"""Helpers for tests across apps (importable, unlike conftest modules)."""

from typing import Any

from django_otp.plugins.otp_totp.models import TOTPDevice


def verify_two_factor(client: Any, user: Any) -> TOTPDevice:
    """Log ``user`` in on ``client`` with a confirmed TOTP device already verified for the session."""
    device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    client.force_login(user)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    return device
