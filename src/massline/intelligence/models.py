"""Stored router versions: every trained model with its figures, one of them active; rolling back is activating an
earlier one."""

from __future__ import annotations

from django.conf import settings
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


class HotIssueState(models.TextChoices):
    WATCHING = "watching", _("watching")
    TASKED = "tasked", _("proactive task")
    PROGRAMME = "programme", _("one problem a month")
    DISMISSED = "dismissed", _("dismissed")


class HotIssue(BaseModel):
    """A group of recent appeals about the same matter in the same place, kept from one sweep to the next (a new
    sweep's group continues the hot issue it shares most appeals with), with its hotness figures."""

    label = models.CharField(_("issue"), max_length=200)
    keywords = models.JSONField(_("keywords"), default=list, blank=True)
    places = models.JSONField(_("places named"), default=list, blank=True)
    area = models.ForeignKey(
        "org.Area", verbose_name=_("area"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    category = models.ForeignKey(
        "org.Category", verbose_name=_("category"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    volume = models.PositiveIntegerField(_("appeals"), default=0)
    citizens = models.PositiveIntegerField(_("citizens"), default=0)
    support = models.PositiveIntegerField(_("public support"), default=0)
    spread = models.PositiveIntegerField(_("places"), default=0)
    growth = models.FloatField(_("growth"), default=0.0)
    score = models.FloatField(_("hotness"), default=0.0)
    cohesion = models.FloatField(_("cohesion"), default=0.0)
    first_at = models.DateTimeField(_("first appeal"))
    last_at = models.DateTimeField(_("latest appeal"))
    daily = models.JSONField(_("appeals per day"), default=dict, blank=True)
    active = models.BooleanField(
        _("still hot"), default=True, help_text=_("Found again by the latest sweep of recent appeals.")
    )
    swept_at = models.DateTimeField(_("last found at"))
    state = models.CharField(_("state"), max_length=20, choices=HotIssueState.choices, default=HotIssueState.WATCHING)
    task = models.ForeignKey(
        "appeals.Appeal",
        verbose_name=_("proactive task"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    programme_month = models.DateField(_("programme month"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("note"), blank=True)
    members = models.ManyToManyField("appeals.Appeal", through="HotIssueMember", related_name="hot_issues")

    class Meta:
        verbose_name = _("hot issue")
        verbose_name_plural = _("hot issues")
        ordering = ["-active", "-score"]
        indexes = [models.Index(fields=["active", "score"], name="hot_issue_board")]
        constraints = [
            # "One problem a month": one programme per area and month.
            models.UniqueConstraint(
                fields=["area", "programme_month"],
                condition=models.Q(programme_month__isnull=False),
                name="one_programme_per_area_and_month",
            )
        ]

    def __str__(self) -> str:
        return self.label


class HotIssueMember(models.Model):
    hot_issue = models.ForeignKey(HotIssue, on_delete=models.CASCADE, related_name="memberships")
    appeal = models.ForeignKey("appeals.Appeal", on_delete=models.CASCADE, related_name="+")
    rank = models.PositiveIntegerField(_("rank"), default=0, help_text=_("0 is the most central appeal."))

    class Meta:
        verbose_name = _("appeal of a hot issue")
        verbose_name_plural = _("appeals of hot issues")
        constraints = [models.UniqueConstraint(fields=["hot_issue", "appeal"], name="hot_issue_member_once")]

    def __str__(self) -> str:
        return f"{self.hot_issue_id}:{self.appeal_id}"
