"""An extension of the answer deadline: asked by the lead unit with a reason, decided by its unit leader or the
hotline centre; the citizen is told either way (Jinan, Weifang: at most 10 working days; 信访工作条例 Art. 34:
at most 30 days)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import ExtensionState


class Extension(models.Model):
    appeal = models.ForeignKey("appeals.Appeal", on_delete=models.CASCADE, related_name="extensions")
    unit = models.ForeignKey("org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested at"))
    days = models.PositiveSmallIntegerField(_("days asked for"))
    reason = models.TextField(_("reason"))
    state = models.CharField(_("state"), max_length=10, choices=ExtensionState.choices, default=ExtensionState.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
    previous_due_at = models.DateTimeField(_("deadline before"), null=True, blank=True)
    new_due_at = models.DateTimeField(_("deadline after"), null=True, blank=True)

    class Meta:
        verbose_name = _("extension")
        verbose_name_plural = _("extensions")
        ordering = ["requested_at", "id"]
        constraints = [
            # At most one request waiting for a decision per appeal.
            models.UniqueConstraint(
                fields=["appeal"], condition=models.Q(state="pending"), name="extension_one_pending"
            )
        ]

    def __str__(self) -> str:
        return f"{self.appeal_id} +{self.days} ({self.state})"
