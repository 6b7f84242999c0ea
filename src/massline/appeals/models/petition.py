"""Letters and visits (信访工作条例): the representatives of a group visit (Art. 20, at most 5) and the
petitioner's requests for review and re-review of the answer (Arts. 35–36)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import ReviewDecision, ReviewLevel


class VisitRepresentative(models.Model):
    """Personal data, like ``AppealContact``: read only where the contact details may be read."""

    appeal = models.ForeignKey("appeals.Appeal", on_delete=models.CASCADE, related_name="representatives")
    name = models.CharField(_("name"), max_length=100)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    position = models.PositiveSmallIntegerField(_("order"), default=1)

    class Meta:
        verbose_name = _("visit representative")
        verbose_name_plural = _("visit representatives")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"representative {self.position} of {self.appeal_id}"


class ReviewRequest(models.Model):
    appeal = models.ForeignKey("appeals.Appeal", on_delete=models.CASCADE, related_name="review_requests")
    level = models.CharField(_("level"), max_length=10, choices=ReviewLevel.choices)
    reviewing_unit = models.ForeignKey(
        "org.Unit", verbose_name=_("reviewing organ"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested at"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField(_("why the petitioner disagrees"))
    due_at = models.DateTimeField(_("answer due"))
    decision = models.CharField(_("decision"), max_length=10, choices=ReviewDecision.choices, blank=True)
    decision_text = models.TextField(_("written decision"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("review request")
        verbose_name_plural = _("review requests")
        ordering = ["requested_at", "id"]
        constraints = [models.UniqueConstraint(fields=["appeal", "level"], name="review_once_per_level")]

    def __str__(self) -> str:
        return f"{self.appeal_id} {self.level}"
