"""Kinds of matter and their procedures (RULES.md, "Consultation and decisions"), as data an administrator
edits. A matter copies its kind's steps and rules when it is created (``Matter.procedure``), so a later edit
never changes a matter already under way."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from massline.core.models import BaseModel, BilingualNameMixin


class Step(models.TextChoices):
    """The steps a procedure is made of, in the order a kind lists them."""

    PROPOSAL = "proposal", _("proposal")
    COMMENT = "comment", _("public comment")
    HEARING = "hearing", _("hearing")
    RISK = "risk", _("risk assessment")
    LEGAL_REVIEW = "legal_review", _("legality review")
    MEETING = "meeting", _("decision meeting")
    PUBLICITY = "publicity", _("publicity")
    IMPLEMENTATION = "implementation", _("implementation")
    EVALUATION = "evaluation", _("residents' satisfaction vote")


class Body(models.TextChoices):
    """Who decides at the meeting, which sets the quorum (村民委员会组织法 Arts. 21–22, 25–26)."""

    ASSEMBLY = "assembly", _("villagers' assembly")
    REPRESENTATIVES = "representatives", _("villagers' representatives' assembly")
    COLLECTIVE = "collective", _("collective meeting of the government")


def default_rules() -> dict[str, Any]:
    """Defaults from RULES.md: 30 days of public comment for a major decision (重大行政决策程序暂行条例
    Art. 15), hearing materials 7 days before (Art. 16), 7 working days for the legality review (Arts. 25–26);
    the village assembly's quorum of more than half of the adult villagers or two thirds of the households, and
    10 days' notice (村民委员会组织法 Arts. 21–22); two thirds for the representatives' assembly (Arts. 25–26);
    proposers: the committee, a tenth of the villagers or a fifth of the representatives (provincial rules)."""
    return {
        "comment_min_days": 7,
        "hearing_materials_days": 7,
        "legal_review_working_days": 7,
        "meeting_body": Body.ASSEMBLY,
        "meeting_notice_days": 10,
        "assembly_quorum_persons": 0.5,  # more than this share of adult villagers present …
        "assembly_quorum_households": 2 / 3,  # … or at least this share of households represented
        "representatives_quorum": 2 / 3,
        "collective_quorum": 0.5,  # more than half of the members
        "vote_basis": "person",  # or "household": one vote per household
        "pass_share": 0.5,  # passed by more than this share of those present who may vote
        "villager_proposal_share": 0.1,
        "representative_proposal_share": 0.2,
        "committee_may_propose": True,
        "residents_may_propose": True,
        "publicity_working_days": 5,
        "satisfaction_days": 14,
    }


class MatterKind(BilingualNameMixin, BaseModel):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    description = models.TextField(_("description"), blank=True)
    steps = models.JSONField(_("steps"), default=list, help_text=_("The steps in order, from the list of steps."))
    rules = models.JSONField(_("rules"), default=default_rules)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("kind of matter")
        verbose_name_plural = _("kinds of matter")
        ordering = ["code"]

    def procedure(self) -> dict[str, Any]:
        """The copy a new matter keeps: the steps and every rule, defaults filled in."""
        return {"kind": self.code, "steps": list(self.steps), "rules": {**default_rules(), **self.rules}}
