"""The residents' register of a village or community, as its committee keeps it. Identity numbers are never
stored: only a keyed digest, enough to check that a person signing or voting online is on the register."""

from __future__ import annotations

import hashlib
import hmac
import unicodedata

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from massline.core.models import BaseModel


def identity_digest(id_number: str) -> str:
    """A keyed SHA-256 of a normalised identity number (upper case, no spaces), so the register can be matched
    without holding the numbers themselves."""
    normalised = unicodedata.normalize("NFKC", id_number).replace(" ", "").upper()
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, b"resident-id:" + normalised.encode(), hashlib.sha256).hexdigest()


class Resident(BaseModel):
    area = models.ForeignKey(
        "org.Area", verbose_name=_("village or community"), on_delete=models.PROTECT, related_name="residents"
    )
    name = models.CharField(_("name"), max_length=100)
    id_digest = models.CharField(_("identity number digest"), max_length=64, editable=False)
    household = models.CharField(_("household number"), max_length=40)
    is_adult = models.BooleanField(_("adult (18 or over)"), default=True)
    is_representative = models.BooleanField(_("villagers' representative"), default=False)
    phone = models.CharField(_("phone"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("resident")
        verbose_name_plural = _("residents' register")
        ordering = ["area", "household", "id"]
        constraints = [
            models.UniqueConstraint(fields=["area", "id_digest"], name="consultations_resident_once_per_area")
        ]
        indexes = [models.Index(fields=["area", "household"], name="consult_resident_household")]

    def __str__(self) -> str:
        return f"{self.name} ({self.household})"
