"""Scorecards, pre-aggregated (STYLE.md §8): one row per month × dimension × key with the counts of that
month's appeals and the rates derived from them, and one fill record per month saying when it was computed.
Public pages read only these tables, never the case table."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Dimension(models.TextChoices):
    UNIT = "unit", _("unit")
    AREA = "area", _("area")
    CATEGORY = "category", _("category")
    AREA_CATEGORY = "area_category", _("category within an area")


class ScorecardRow(models.Model):
    """The figures of one unit, area, category or (area, category) pair for the appeals received in a month.

    Counts are additive: an area's row is the sum of the rows below it. Rates are stored, computed with the
    weights of the policy in force at refresh time, so that pages can sort by them in the database."""

    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    dimension = models.CharField(_("dimension"), max_length=20, choices=Dimension.choices)
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("unit"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    area = models.ForeignKey(
        "org.Area", verbose_name=_("area"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    category = models.ForeignKey(
        "org.Category", verbose_name=_("category"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )

    received = models.PositiveIntegerField(_("appeals received"), default=0)
    dispatched = models.PositiveIntegerField(_("dispatched to the unit"), default=0)
    objections = models.PositiveIntegerField(_("returned by the unit"), default=0)
    replied = models.PositiveIntegerField(_("replied"), default=0)
    replied_on_time = models.PositiveIntegerField(_("replied on time"), default=0)
    rated = models.PositiveIntegerField(_("valid follow-ups"), default=0)
    contacted = models.PositiveIntegerField(_("contacted"), default=0)
    solved = models.PositiveIntegerField(_("solved"), default=0)
    satisfied = models.PositiveIntegerField(_("satisfied"), default=0)
    basically_satisfied = models.PositiveIntegerField(_("basically satisfied"), default=0)
    dissatisfied = models.PositiveIntegerField(_("dissatisfied"), default=0)
    handling_seconds = models.BigIntegerField(_("total handling time (seconds)"), default=0)

    response_rate = models.FloatField(_("response rate"), null=True, blank=True)
    resolution_rate = models.FloatField(_("resolution rate"), null=True, blank=True)
    satisfaction_rate = models.FloatField(_("satisfaction rate"), null=True, blank=True)
    composite_score = models.FloatField(_("composite score"), null=True, blank=True)
    on_time_rate = models.FloatField(_("on-time rate"), null=True, blank=True)
    objection_rate = models.FloatField(_("objection rate"), null=True, blank=True)
    average_handling_seconds = models.FloatField(_("average handling time (seconds)"), null=True, blank=True)

    class Meta:
        verbose_name = _("scorecard row")
        verbose_name_plural = _("scorecard rows")
        indexes = [models.Index(fields=["dimension", "month"], name="eval_row_dimension_month")]
        constraints = [
            models.UniqueConstraint(
                fields=["month", "unit"], condition=Q(dimension="unit"), name="eval_row_one_per_unit_month"
            ),
            models.UniqueConstraint(
                fields=["month", "area"], condition=Q(dimension="area"), name="eval_row_one_per_area_month"
            ),
            models.UniqueConstraint(
                fields=["month", "category"],
                condition=Q(dimension="category"),
                name="eval_row_one_per_category_month",
            ),
            models.UniqueConstraint(
                fields=["month", "area", "category"],
                condition=Q(dimension="area_category"),
                name="eval_row_one_per_area_category_month",
            ),
        ]

    def __str__(self) -> str:
        key = self.unit_id or self.area_id or self.category_id
        return f"{self.month:%Y-%m} {self.dimension} {key}"

    @property
    def average_handling_hours(self) -> float | None:
        if self.average_handling_seconds is None:
            return None
        return self.average_handling_seconds / 3600


class ScorecardFill(models.Model):
    """The fill state of one month: when its rows were last computed, how long it took, how many rows and
    appeals went in, and the weights used for the composite score."""

    month = models.DateField(_("month"), unique=True)
    refreshed_at = models.DateTimeField(_("refreshed at"))
    duration_seconds = models.FloatField(_("refresh took (seconds)"))
    rows = models.PositiveIntegerField(_("rows"))
    appeals = models.PositiveIntegerField(_("appeals counted"))
    policy_version = models.PositiveIntegerField(_("policy version"), null=True, blank=True)
    weights = models.JSONField(_("weights"), default=dict, blank=True)

    class Meta:
        verbose_name = _("scorecard fill")
        verbose_name_plural = _("scorecard fills")
        ordering = ["-month"]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} ({self.rows} rows)"
