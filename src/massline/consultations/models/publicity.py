"""Publicity (公示): a decision or a list published for a set number of working days with a channel for
objections; each objection is answered or becomes an appeal; a certificate when the period ends."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from massline.core.models import BaseModel

from .matter import Matter


class Publicity(BaseModel):
    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="publicities")
    text = models.TextField(_("what is published"))
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"))
    certified_at = models.DateTimeField(_("certificate issued at"), null=True, blank=True)

    class Meta:
        verbose_name = _("publicity")
        verbose_name_plural = _("publicity periods")
        ordering = ["starts_at", "id"]


class ObjectionOutcome(models.TextChoices):
    OPEN = "", _("waiting for an answer")
    UPHELD = "upheld", _("upheld: the decision or list is corrected")
    DISMISSED = "dismissed", _("not upheld, with the reason")
    APPEAL = "appeal", _("taken up as an appeal")


class Objection(BaseModel):
    publicity = models.ForeignKey(Publicity, on_delete=models.CASCADE, related_name="objections")
    name = models.CharField(_("your name"), max_length=60)
    phone = models.CharField(_("phone (never published)"), max_length=30, blank=True)
    text = models.TextField(_("objection"), max_length=4000)
    outcome = models.CharField(_("outcome"), max_length=20, choices=ObjectionOutcome.choices, blank=True)
    answer = models.TextField(_("answer"), blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    appeal = models.ForeignKey("appeals.Appeal", null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        ordering = ["created_at", "id"]
