"""The policy catalogue: every number of the appeal rules (RULES.md, 12345 section) as versioned data. Each
appeal is stamped with the version in force when it arrived; a new version never changes older appeals."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from massline.core.models import BaseModel


def default_rules() -> dict[str, Any]:
    """Defaults from RULES.md: answer within 5 working days (Jinan, Weifang, Shandong), object within 2 working
    days (Shandong), extend by at most 10 working days, urgent matters in 2 hours (Beijing practice); the
    letters-and-visits limits of 信访工作条例; the scorecard weights."""
    return {
        "handle_working_days": {"default": 5},
        "handle_working_days_by_category": {},
        "urgent_hours": 2,
        "object_working_days": 2,
        "extension_max_working_days": 10,
        "rating_calendar_days": 7,
        "reopen_rounds": 1,
        "warn_fraction": 0.8,
        "bounce_limit": 3,
        "extension_max_requests": 2,
        "supervision_working_days": 3,
        "escalate_supervisor_after_working_days": 1,
        "dispatch_wait_hours": 2,
        # Letters and visits (信访工作条例): handle in 60 days, extend by at most 30 (Art. 34); written notice of
        # receipt within 15 days (Art. 23); review and re-review requested and answered in 30 days each (35–36).
        "petition_handle_days": 60,
        "petition_extension_max_days": 30,
        "petition_receipt_days": 15,
        "review_request_days": 30,
        "review_answer_days": 30,
        # Scorecards (Beijing Art. 32; the weights are reported practice, not official).
        "score_weights": {"response": 0.1, "resolution": 0.5, "satisfaction": 0.4},
        "basically_satisfied_weight": 0.9,
    }


class AppealPolicy(BaseModel):
    version = models.PositiveIntegerField(_("version"), unique=True)
    name = models.CharField(_("name"), max_length=200)
    rules = models.JSONField(_("rules"), default=default_rules)
    is_active = models.BooleanField(_("in force"), default=True)

    class Meta:
        verbose_name = _("appeal policy")
        verbose_name_plural = _("appeal policies")
        ordering = ["-version"]

    def __str__(self) -> str:
        return f"v{self.version} {self.name}"

    def rule(self, name: str) -> Any:
        """A rule of this version, falling back to the default for rules added after it was written."""
        return self.rules.get(name, default_rules()[name])

    def handle_working_days(self, *, kind: str, category_code: str | None) -> int:
        by_category = self.rule("handle_working_days_by_category")
        if category_code and category_code in by_category:
            return int(by_category[category_code])
        by_kind = self.rule("handle_working_days")
        return int(by_kind.get(kind, by_kind["default"]))
