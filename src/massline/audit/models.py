"""The append-only, hash-chained audit ledger.

Each record's ``hash`` is SHA-256 over its canonical form, which includes the previous record's hash, so
changing, removing or reordering any record breaks the chain from that record on. ``ChainHead`` holds the
last sequence number and hash; appends lock it, so records are chained in commit order."""

from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

GENESIS_HASH = "0" * 64


class LedgerIsAppendOnly(Exception):
    pass


class AuditQuerySet(models.QuerySet["AuditRecord"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise LedgerIsAppendOnly("audit records cannot be updated")

    def delete(self) -> NoReturn:  # type: ignore[override]
        raise LedgerIsAppendOnly("audit records cannot be deleted")


class AuditRecord(models.Model):
    seq = models.BigIntegerField(_("sequence"), unique=True)
    occurred_at = models.DateTimeField(_("time"), db_index=True)
    # Indexed and unique by Meta, not by ``db_index``/``unique``: on PostgreSQL those add a second index per
    # column (``varchar_pattern_ops``, for LIKE 'abc%'), which nothing queries and every audited action writes.
    event = models.CharField(_("event"), max_length=100)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    actor_label = models.CharField(_("actor"), max_length=200, blank=True)
    target_type = models.CharField(_("target type"), max_length=100, blank=True)
    target_id = models.CharField(_("target"), max_length=100, blank=True)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    prev_hash = models.CharField(_("previous hash"), max_length=64)
    hash = models.CharField(_("hash"), max_length=64)

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit record")
        verbose_name_plural = _("audit records")
        ordering = ["seq"]
        constraints = [models.UniqueConstraint(fields=["hash"], name="audit_hash_unique")]
        indexes = [
            models.Index(fields=["target_type", "target_id", "seq"], name="audit_target_seq"),
            models.Index(fields=["event"], name="audit_event"),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.event} {self.target_type}:{self.target_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise LedgerIsAppendOnly("audit records cannot be updated")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise LedgerIsAppendOnly("audit records cannot be deleted")


class ChainHead(models.Model):
    """The single row holding the end of the chain. Locked by every append."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64, default=GENESIS_HASH)

    class Meta:
        verbose_name = _("chain head")
        verbose_name_plural = _("chain head")

    def __str__(self) -> str:
        return f"head #{self.seq} {self.hash[:12]}"
