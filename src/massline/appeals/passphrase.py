"""Appeal passphrases: kept as a keyed, salted HMAC-SHA256, never in clear.

A slow password hash (Argon2) would cost ~100 ms of CPU per submission, which the intake rate cannot afford
(hundreds of appeals a second). A passphrase guards a single appeal's rating, and is either generated (48
random bits) or chosen by the citizen; keyed with SECRET_KEY, a copy of the database alone does not allow
guessing it offline. Rotating SECRET_KEY invalidates existing passphrases (SECRET_KEY_FALLBACKS keeps them)."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.utils.crypto import constant_time_compare, salted_hmac

PREFIX = "hmac-sha256"


def passphrase_hash(passphrase: str) -> str:
    salt = secrets.token_hex(8)
    digest = salted_hmac(f"massline.appeals.passphrase.{salt}", passphrase, algorithm="sha256").hexdigest()
    return f"{PREFIX}${salt}${digest}"


def passphrase_matches(passphrase: str, stored: str) -> bool:
    try:
        prefix, salt, digest = stored.split("$")
    except ValueError:
        return False
    if prefix != PREFIX or not passphrase:
        return False
    for secret in [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]:
        candidate = salted_hmac(f"massline.appeals.passphrase.{salt}", passphrase, secret=secret, algorithm="sha256")
        if constant_time_compare(candidate.hexdigest(), digest):
            return True
    return False
