"""Consultation among units before dispatch (会商): for a hard case, the dispatcher asks several units whether
the matter is theirs before deciding who leads; each answers with its view. Reply templates give handlers a
vetted starting text for common answers."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from massline.core.models import BaseModel

from ..choices import Outcome


class ConsultationView(models.TextChoices):
    OURS = "ours", _("our unit should lead")
    SHARED = "shared", _("our unit should help (co-unit)")
    NOT_OURS = "not_ours", _("not our unit's matter")


class UnitConsultation(models.Model):
    appeal = models.ForeignKey("appeals.Appeal", on_delete=models.CASCADE, related_name="consultations")
    unit = models.ForeignKey("org.Unit", verbose_name=_("unit consulted"), on_delete=models.PROTECT, related_name="+")
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    asked_at = models.DateTimeField(_("asked at"))
    question = models.TextField(_("question"))
    view = models.CharField(_("view"), max_length=10, choices=ConsultationView.choices, blank=True)
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("consultation among units")
        verbose_name_plural = _("consultations among units")
        ordering = ["asked_at", "id"]
        indexes = [models.Index(fields=["unit"], name="consultation_open_unit", condition=Q(answered_at__isnull=True))]

    def __str__(self) -> str:
        return f"{self.appeal_id} ? {self.unit_id}"


class ReplyTemplate(BaseModel):
    name = models.CharField(_("name"), max_length=100)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    text = models.TextField(_("text"))
    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Empty: offered to every unit."),
    )
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("reply template")
        verbose_name_plural = _("reply templates")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
