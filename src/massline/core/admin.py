"""Admin pages write through Django's admin forms; this mixin puts each save and delete on the audit ledger
in the same transaction (the admin wraps every change view in ``transaction.atomic``)."""

from typing import Any

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest

from massline.audit.services import audit_record, snapshot


class AuditedAdminMixin(admin.ModelAdmin):
    def save_model(self, request: HttpRequest, obj: Model, form: Any, change: bool) -> None:
        before = None
        if change and obj.pk is not None:
            previous = type(obj)._default_manager.filter(pk=obj.pk).first()
            before = snapshot(previous) if previous is not None else None
        super().save_model(request, obj, form, change)
        audit_record(
            event=f"{obj._meta.label_lower}.{'changed' if change else 'created'}",
            actor=request.user,
            target=obj,
            before=before,
            after=snapshot(obj),
            reason="admin",
        )

    def delete_model(self, request: HttpRequest, obj: Model) -> None:
        before = snapshot(obj)
        target_type, target_id = obj._meta.label_lower, obj.pk
        super().delete_model(request, obj)
        audit_record(
            event=f"{target_type}.deleted",
            actor=request.user,
            target_type=target_type,
            target_id=str(target_id),
            before=before,
            reason="admin",
        )

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for obj in queryset:
            self.delete_model(request, obj)
