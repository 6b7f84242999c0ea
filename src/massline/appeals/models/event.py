"""The timeline of an appeal: every step, with what the public may read and what only staff may."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AppealEvent(models.Model):
    appeal = models.ForeignKey("appeals.Appeal", on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("time"))
    action = models.CharField(_("step"), max_length=30)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    unit = models.ForeignKey("org.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    public_message = models.TextField(_("public message"), blank=True)
    note = models.TextField(_("internal note"), blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)
    notified_at = models.DateTimeField(
        _("notifications prepared at"),
        null=True,
        blank=True,
        help_text=_("Set once the event's notifications are in the outbox; a periodic job catches up the rest."),
    )

    class Meta:
        verbose_name = _("appeal event")
        verbose_name_plural = _("appeal events")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["id"], name="event_not_notified", condition=models.Q(notified_at__isnull=True))]

    def __str__(self) -> str:
        return f"{self.appeal_id} {self.action} {self.at.isoformat()}"
