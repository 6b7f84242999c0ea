"""A unit's part in an appeal: the lead unit, a co-unit or a copy, each with its own acceptance deadline."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from massline.core.models import BaseModel

from ..choices import AssignmentRole, AssignmentState


class Assignment(BaseModel):
    appeal = models.ForeignKey("appeals.Appeal", on_delete=models.CASCADE, related_name="assignments")
    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="assignments",
        db_index=False,  # ``assignment_unit_state`` starts with it
    )
    role = models.CharField(_("role"), max_length=10, choices=AssignmentRole.choices)
    state = models.CharField(
        _("state"), max_length=10, choices=AssignmentState.choices, default=AssignmentState.PENDING
    )
    dispatched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    dispatched_at = models.DateTimeField(_("dispatched at"))
    object_due_at = models.DateTimeField(_("objection allowed until"), null=True, blank=True)
    decided_at = models.DateTimeField(_("accepted or returned at"), null=True, blank=True)
    objection_reason = models.TextField(_("reason for returning"), blank=True)
    designated = models.BooleanField(
        _("designated after a dispute"),
        default=False,
        help_text=_("A unit designated after a responsibility dispute may not return the appeal again."),
    )

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["dispatched_at", "id"]
        indexes = [
            models.Index(fields=["unit", "state"], name="assignment_unit_state"),
            # The sweep's "objection period passed" step reads only pending rows, by deadline.
            models.Index(fields=["object_due_at"], name="assignment_pending_due", condition=Q(state="pending")),
        ]

    def __str__(self) -> str:
        return f"{self.appeal_id} → {self.unit_id} ({self.role}, {self.state})"
