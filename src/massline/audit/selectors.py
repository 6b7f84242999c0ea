"""Reading the ledger: discipline inspectors and platform administrators only (see ``can_read_audit``)."""

from typing import Any

from django.db.models import QuerySet

from massline.accounts.permissions import can_read_audit

from .models import AuditRecord


def audit_record_list(*, user: Any, target_type: str = "", target_id: str = "") -> QuerySet[AuditRecord]:
    if not can_read_audit(user):
        return AuditRecord.objects.none()
    records = AuditRecord.objects.select_related("actor").order_by("-seq")
    if target_type:
        records = records.filter(target_type=target_type)
    if target_id:
        records = records.filter(target_id=target_id)
    return records
