"""A matter for collective decision, the steps it has passed and the documents it publishes."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from massline.core.models import BaseModel

from .kind import Step


class ProposerKind(models.TextChoices):
    COMMITTEE = "committee", _("the committee or owner unit")
    VILLAGERS = "villagers", _("villagers, by co-signature")
    REPRESENTATIVES = "representatives", _("villagers' representatives, by co-signature")


class Outcome(models.TextChoices):
    UNDER_WAY = "", _("under way")
    COMPLETED = "completed", _("completed")
    REJECTED = "rejected", _("rejected by the meeting")
    WITHDRAWN = "withdrawn", _("withdrawn")


class Matter(BaseModel):
    code = models.CharField(_("code"), max_length=20, unique=True)
    kind = models.ForeignKey("consultations.MatterKind", verbose_name=_("kind"), on_delete=models.PROTECT)
    procedure = models.JSONField(_("procedure"), editable=False)
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("what is proposed"))
    affected = models.CharField(_("who is affected"), max_length=300, blank=True)
    budget = models.DecimalField(_("budget (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True)
    owner_unit = models.ForeignKey(
        "org.Unit", verbose_name=_("owner unit"), on_delete=models.PROTECT, related_name="matters"
    )
    area = models.ForeignKey("org.Area", verbose_name=_("area"), on_delete=models.PROTECT, related_name="matters")
    proposer_kind = models.CharField(_("proposed by"), max_length=20, choices=ProposerKind.choices)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("entered by"), on_delete=models.PROTECT, related_name="+"
    )
    step = models.CharField(_("current step"), max_length=20, choices=Step.choices)
    step_started_at = models.DateTimeField(_("step started at"))
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True, default="")
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # Public comment: the feedback report published when the period closes.
    feedback_changes = models.TextField(_("what changed after the comments"), blank=True)
    feedback_published_at = models.DateTimeField(_("feedback report published at"), null=True, blank=True)
    # The legality review ("no review, no tabling").
    legal_opinion = models.TextField(_("legality review opinion"), blank=True)
    legal_reviewed_at = models.DateTimeField(_("legality review signed at"), null=True, blank=True)
    legal_reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("legality reviewer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("matter")
        verbose_name_plural = _("matters")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["outcome", "step"], name="consult_matter_stage")]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def steps(self) -> list[str]:
        return list(self.procedure["steps"])

    def rule(self, name: str) -> Any:
        from .kind import default_rules

        return self.procedure["rules"].get(name, default_rules()[name])

    @property
    def is_open(self) -> bool:
        return self.outcome == Outcome.UNDER_WAY

    def has_step(self, step: str) -> bool:
        return step in self.procedure["steps"]

    def next_step(self) -> str | None:
        steps = self.steps
        index = steps.index(self.step)
        return steps[index + 1] if index + 1 < len(steps) else None


class MatterEvent(models.Model):
    """The matter's public timeline; the audit ledger holds the same steps, chained."""

    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("at"))
    action = models.CharField(_("action"), max_length=40)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    message = models.TextField(_("public message"), blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)

    class Meta:
        verbose_name = _("matter event")
        verbose_name_plural = _("matter events")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.matter_id} {self.action}"


class MatterDocument(BaseModel):
    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to="consultations/%Y/%m/")
    step = models.CharField(_("step"), max_length=20, choices=Step.choices)
    is_photo = models.BooleanField(_("progress photo"), default=False)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["created_at", "id"]
