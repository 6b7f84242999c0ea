"""Masking personal data in text that the public reads (replies on the tracking page, the public case wall), with
the detector of the intelligence app (``massline.intelligence.redaction``, measured in bench/bench_redaction.py).

``mask_personal_data`` masks numbers and addresses of mail: ID and card numbers, telephone numbers, e-mail. It is
applied to every public message a unit writes. ``mask_for_publication`` also masks names (the ones the caller
knows and those the text gives away) and the precise part of addresses, for the public case wall."""

from __future__ import annotations

from collections.abc import Iterable

from massline.intelligence.redaction import redact

NUMBERS = ("id_number", "bank_card", "phone", "email")


def mask_personal_data(text: str) -> str:
    return redact(text, kinds=NUMBERS)


def mask_for_publication(text: str, *, names: Iterable[str] = ()) -> str:
    """Stronger masking for the public case wall: personal numbers, precise addresses and names."""
    return redact(text, names=names)
