"""Social-stability risk assessment (NDRC 2012 No. 2492 Art. 4, reported): a stakeholder survey, a register of
risks scored likelihood × impact with their mitigations, and a grade signed by the assessor. A high or medium
grade blocks approval until the risks are mitigated and a new assessment grades them low."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from massline.core.models import BaseModel

from .matter import Matter


class Grade(models.TextChoices):
    HIGH = "high", _("high")
    MEDIUM = "medium", _("medium")
    LOW = "low", _("low")


class RiskAssessment(BaseModel):
    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="assessments")
    round = models.PositiveSmallIntegerField(_("round"))
    surveyed = models.PositiveIntegerField(_("stakeholders surveyed"), default=0)
    survey_support = models.PositiveIntegerField(_("in support"), default=0)
    survey_oppose = models.PositiveIntegerField(_("opposed"), default=0)
    survey_summary = models.TextField(_("what the stakeholders said"), blank=True)
    grade = models.CharField(_("grade"), max_length=10, choices=Grade.choices, blank=True)
    conclusion = models.TextField(_("conclusion"), blank=True)
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("risk assessment")
        verbose_name_plural = _("risk assessments")
        ordering = ["round"]
        constraints = [models.UniqueConstraint(fields=["matter", "round"], name="consultations_risk_round_once")]


class RiskItem(BaseModel):
    assessment = models.ForeignKey(RiskAssessment, on_delete=models.CASCADE, related_name="items")
    description = models.CharField(_("risk"), max_length=300)
    likelihood = models.PositiveSmallIntegerField(_("likelihood (1–5)"))
    impact = models.PositiveSmallIntegerField(_("impact (1–5)"))
    mitigation = models.TextField(_("mitigation"), blank=True)

    class Meta:
        verbose_name = _("risk")
        verbose_name_plural = _("risk register")
        ordering = ["id"]

    @property
    def score(self) -> int:
        return self.likelihood * self.impact
