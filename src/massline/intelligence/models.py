"""Stored router versions: every trained model with its figures, one of them active; rolling back is activating an
earlier one."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from massline.core.models import BaseModel


class RouterVersion(BaseModel):
    version = models.PositiveIntegerField(_("version"), unique=True)
    trained_on = models.CharField(_("trained on"), max_length=200)
    examples = models.PositiveIntegerField(_("examples"), default=0)
    labels = models.JSONField(_("labels"), default=list)
    # A label the model predicts → the code of the topic it means, when the label is not a topic code itself
    # (a model trained on another catalogue, such as the shared message set for the demo).
    label_map = models.JSONField(_("label to topic"), default=dict, blank=True)
    metrics = models.JSONField(_("figures"), default=dict)
    threshold = models.FloatField(
        _("confidence threshold"), help_text=_("Below it an appeal goes to a dispatcher with suggestions.")
    )
    directory = models.CharField(_("directory"), max_length=300)
    is_active = models.BooleanField(_("active"), default=False)

    class Meta:
        verbose_name = _("router version")
        verbose_name_plural = _("router versions")
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["is_active"], condition=models.Q(is_active=True), name="one_active_router")
        ]

    def __str__(self) -> str:
        return f"router v{self.version}"
