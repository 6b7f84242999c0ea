"""A caller's earlier appeals, found by the phone number they call from. For hotline operators only: the
units handling appeals never search people (DESIGN.md, "Lines we do not cross")."""

from __future__ import annotations

import re
from typing import Any

from django.db.models import QuerySet

from massline.accounts.roles import Role

from ..models import Appeal
from .similar import _hotline_appeals

MIN_DIGITS = 5
RESULTS = 10


def phone_variants(phone: str) -> list[str]:
    """The number as typed and as bare digits (operators type it either way)."""
    typed = phone.strip()
    digits = re.sub(r"\D", "", typed)
    return sorted({value for value in (typed, digits) if value})


def caller_history(*, user: Any, phone: str) -> QuerySet[Appeal]:
    """The newest appeals raised from ``phone`` within ``user``'s hotline centre; nothing for anyone who is
    not a hotline operator, and never an anonymous appeal (those keep no contact)."""
    if not (getattr(user, "is_authenticated", False) and user.has_role(Role.OPERATOR)):
        return Appeal.objects.none()
    if len(re.sub(r"\D", "", phone)) < MIN_DIGITS:
        return Appeal.objects.none()
    return (
        _hotline_appeals(user)
        .filter(contact__phone__in=phone_variants(phone), anonymous=False)
        .select_related("area", "category", "lead_unit")
        .order_by("-received_at")[:RESULTS]
    )
