"""What residents and the public bring: co-signatures of a proposal, comments with their answers, and the
short statements of the opinion map with the votes on them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from massline.core.models import BaseModel

from .matter import Matter
from .register import Resident


class Signature(BaseModel):
    """A co-signature of a proposal by a resident on the register (one per resident and matter)."""

    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="signatures")
    resident = models.ForeignKey(Resident, on_delete=models.PROTECT, related_name="signatures")

    class Meta:
        verbose_name = _("co-signature")
        verbose_name_plural = _("co-signatures")
        constraints = [models.UniqueConstraint(fields=["matter", "resident"], name="consultations_sign_once")]


class Stance(models.TextChoices):
    SUPPORT = "support", _("support")
    OPPOSE = "oppose", _("oppose")
    OTHER = "other", _("suggestion or question")


class AnswerKind(models.TextChoices):
    ADOPTED = "adopted", _("adopted")
    PARTLY = "partly", _("partly adopted")
    NOT_ADOPTED = "not_adopted", _("not adopted")


class Comment(BaseModel):
    """A public comment. Every one gets an answer — adopted, partly or not, always with the reason — before the
    comment period may close."""

    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="comments")
    author_name = models.CharField(_("name shown"), max_length=60, blank=True)
    stance = models.CharField(_("stance"), max_length=10, choices=Stance.choices)
    text = models.TextField(_("comment"), max_length=4000)
    answer_kind = models.CharField(_("answer"), max_length=20, choices=AnswerKind.choices, blank=True)
    answer_text = models.TextField(_("reason"), blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    idempotency_key = models.CharField(max_length=80, blank=True, editable=False)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["matter", "idempotency_key"],
                condition=~models.Q(idempotency_key=""),
                name="consultations_comment_idempotent",
            )
        ]


class Statement(BaseModel):
    """A short statement of the opinion map that participants agree with, disagree with or pass."""

    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="statements")
    text = models.CharField(_("statement"), max_length=280)
    is_hidden = models.BooleanField(_("hidden by the moderator"), default=False)

    class Meta:
        verbose_name = _("statement")
        verbose_name_plural = _("statements")
        ordering = ["id"]


class StatementVote(models.Model):
    """One participant's vote on one statement; a participant is an anonymous key kept in their browser."""

    AGREE, PASS, DISAGREE = 1, 0, -1
    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="votes")
    participant = models.CharField(max_length=64)
    value = models.SmallIntegerField(choices=[(1, _("agree")), (0, _("pass")), (-1, _("disagree"))])
    at = models.DateTimeField()

    class Meta:
        verbose_name = _("statement vote")
        verbose_name_plural = _("statement votes")
        constraints = [
            models.UniqueConstraint(fields=["statement", "participant"], name="consultations_statement_vote_once")
        ]

    def __str__(self) -> str:
        return f"{self.statement_id}: {self.value}"
