"""Helpers for tests across apps (importable, unlike conftest modules)."""

from typing import Any

from django.contrib.auth.hashers import Argon2PasswordHasher
from django_otp.plugins.otp_totp.models import TOTPDevice


def verify_two_factor(client: Any, user: Any) -> TOTPDevice:
    """Log ``user`` in on ``client`` with a confirmed TOTP device already verified for the session."""
    device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    client.force_login(user)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    return device


class FastArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2 with the cheapest parameters, for the test suite only: hashes still say "argon2"."""

    time_cost = 1
    memory_cost = 1024
    parallelism = 1
