from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import AuditRecord


@admin.register(AuditRecord)
class AuditRecordAdmin(admin.ModelAdmin):
    """Read-only: the ledger is changed by no one."""

    list_display = ["seq", "occurred_at", "event", "actor_label", "target_type", "target_id"]
    list_filter = ["event", "target_type"]
    search_fields = ["event", "target_id", "actor_label"]
    ordering = ["-seq"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
