"""Carrying the decision out: milestones, spending against the budget, photos, and at the end the residents'
satisfaction vote."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from massline.core.models import BaseModel

from .matter import Matter
from .register import Resident


class Milestone(BaseModel):
    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("milestone"), max_length=200)
    due_on = models.DateField(_("due on"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["due_on", "id"]


class Spending(BaseModel):
    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="spending")
    item = models.CharField(_("item"), max_length=200)
    amount = models.DecimalField(_("amount (yuan)"), max_digits=14, decimal_places=2)
    spent_on = models.DateField(_("date"))

    class Meta:
        verbose_name = _("spending")
        verbose_name_plural = _("spending")
        ordering = ["spent_on", "id"]


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("satisfied")
    BASICALLY = "basically", _("basically satisfied")
    DISSATISFIED = "dissatisfied", _("dissatisfied")


class SatisfactionVote(models.Model):
    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="satisfaction_votes")
    resident = models.ForeignKey(Resident, on_delete=models.PROTECT, related_name="+")
    choice = models.CharField(_("your view"), max_length=20, choices=Satisfaction.choices)
    at = models.DateTimeField()

    class Meta:
        verbose_name = _("satisfaction vote")
        verbose_name_plural = _("satisfaction votes")
        constraints = [models.UniqueConstraint(fields=["matter", "resident"], name="consultations_satisfied_once")]

    def __str__(self) -> str:
        return f"{self.matter_id}: {self.choice}"
