"""A supervision order (督办): a supervisor tells the responsible unit to act on an appeal by a deadline of its
own; the unit answers it, and the supervisor closes it."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..choices import SupervisionState


class SupervisionOrder(models.Model):
    appeal = models.ForeignKey("appeals.Appeal", on_delete=models.CASCADE, related_name="supervision_orders")
    unit = models.ForeignKey("org.Unit", verbose_name=_("unit supervised"), on_delete=models.PROTECT, related_name="+")
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    issued_at = models.DateTimeField(_("issued at"))
    instruction = models.TextField(_("instruction"))
    due_at = models.DateTimeField(_("answer due"))
    state = models.CharField(_("state"), max_length=10, choices=SupervisionState.choices, default=SupervisionState.OPEN)
    response = models.TextField(_("unit's answer"), blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    responded_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    overdue_notified_at = models.DateTimeField(_("overdue notice sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("supervision order")
        verbose_name_plural = _("supervision orders")
        ordering = ["issued_at", "id"]
        indexes = [models.Index(fields=["due_at"], name="supervision_open_due", condition=Q(state="open"))]

    def __str__(self) -> str:
        return f"{self.appeal_id} 督办 {self.state}"
