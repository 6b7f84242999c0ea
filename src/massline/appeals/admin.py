from django.contrib import admin

from massline.core.admin import AuditedAdminMixin

from .models import AppealPolicy


@admin.register(AppealPolicy)
class AppealPolicyAdmin(AuditedAdminMixin):
    """The policy catalogue. Appeals keep the version they were stamped with; write a new version (with a
    higher number) rather than editing one that appeals already use."""

    list_display = ["version", "name", "is_active", "created_at"]
    list_filter = ["is_active"]
