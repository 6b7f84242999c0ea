"""Hearings (重大行政决策程序暂行条例 Art. 16): materials published at least 7 days before, speakers registered
and chosen so that every side is heard, minutes and dissent kept."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from massline.core.models import BaseModel

from .matter import Matter
from .participation import Stance


class Hearing(BaseModel):
    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="hearings")
    scheduled_for = models.DateTimeField(_("date and time"))
    place = models.CharField(_("place"), max_length=200)
    materials_published_at = models.DateTimeField(_("materials published at"))
    seats = models.PositiveSmallIntegerField(_("speaking places"), default=6)
    held_at = models.DateTimeField(_("held at"), null=True, blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    dissent = models.TextField(_("dissenting views"), blank=True)

    class Meta:
        verbose_name = _("hearing")
        verbose_name_plural = _("hearings")
        ordering = ["scheduled_for", "id"]


class Speaker(BaseModel):
    hearing = models.ForeignKey(Hearing, on_delete=models.CASCADE, related_name="speakers")
    name = models.CharField(_("name"), max_length=60)
    stance = models.CharField(_("stance"), max_length=10, choices=Stance.choices)
    summary = models.TextField(_("what you want to say"), max_length=2000)
    selected = models.BooleanField(_("selected to speak"), default=False)

    class Meta:
        verbose_name = _("speaker")
        verbose_name_plural = _("speakers")
        ordering = ["id"]
