"""Checking the whole chain."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from .chain import record_hash
from .models import GENESIS_HASH, AuditRecord, ChainHead


@dataclass(frozen=True)
class ChainReport:
    checked: int
    broken_seq: int | None = None
    broken_id: int | None = None
    problem: str = ""

    @property
    def ok(self) -> bool:
        return self.broken_seq is None and not self.problem


def chain_verify(*, batch_size: int = 5000, progress: Callable[[int], None] | None = None) -> ChainReport:
    """Recompute every record's hash in sequence order; report the first record that does not match, a gap
    in the sequence, or a head that does not point at the last record (records removed from the end)."""
    expected_prev = GENESIS_HASH
    expected_seq = 1
    checked = 0
    columns = (
        "id",
        "seq",
        "occurred_at",
        "event",
        "actor_id",
        "actor_label",
        "target_type",
        "target_id",
        "before",
        "after",
        "reason",
        "prev_hash",
        "hash",
    )
    # The head is read first: records committed while the check runs lie beyond it and are left for next time.
    head = ChainHead.objects.filter(pk=1).first()
    head_seq, head_hash = (head.seq, head.hash) if head else (0, GENESIS_HASH)
    last_seq = 0
    while True:
        window = AuditRecord.objects.filter(seq__gt=last_seq, seq__lte=head_seq).order_by("seq")
        rows = list(window.values_list(*columns)[:batch_size])
        if not rows:
            break
        for row in rows:
            record = dict(zip(columns, row, strict=True))
            if record["seq"] != expected_seq:
                return ChainReport(
                    checked,
                    record["seq"],
                    record["id"],
                    _("sequence jumps from %(last)d to %(seq)d: records are missing")
                    % {"last": expected_seq - 1, "seq": record["seq"]},
                )
            if record["prev_hash"] != expected_prev:
                return ChainReport(checked, record["seq"], record["id"], _("previous-hash link does not match"))
            recomputed = record_hash(
                seq=record["seq"],
                occurred_at=record["occurred_at"],
                event=record["event"],
                actor_id=record["actor_id"],
                actor_label=record["actor_label"],
                target_type=record["target_type"],
                target_id=record["target_id"],
                before=record["before"],
                after=record["after"],
                reason=record["reason"],
                prev_hash=record["prev_hash"],
            )
            if recomputed != record["hash"]:
                return ChainReport(checked, record["seq"], record["id"], _("content does not match its hash"))
            expected_prev = record["hash"]
            expected_seq += 1
            checked += 1
            last_seq = record["seq"]
        if progress:
            progress(checked)
    if head is None and AuditRecord.objects.exists():
        return ChainReport(checked, None, None, _("the chain head is missing: the ledger was tampered with"))
    current_head = ChainHead.objects.filter(pk=1).values_list("seq", flat=True).first() or 0
    beyond = AuditRecord.objects.filter(seq__gt=current_head).order_by("seq").values_list("seq", "id").first()
    if beyond is not None:
        return ChainReport(
            checked, beyond[0], beyond[1], _("a record lies beyond the chain head: added outside the ledger")
        )
    if head_seq != checked or head_hash != expected_prev:
        return ChainReport(
            checked,
            None,
            None,
            _(
                "the chain head says %(head)d records but %(found)d were found: records were removed or added "
                "outside the ledger"
            )
            % {"head": head_seq, "found": checked},
        )
    return ChainReport(checked)
