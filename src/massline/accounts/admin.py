"""Accounts in the admin: platform administrators only (see ``backends.RolePermissionBackend``)."""

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from massline.audit.services import audit_record
from massline.core.admin import AuditedAdminMixin

from .models import RoleAssignment, User
from .services import staff_flag_sync

# Roles are the one place access is granted: the admin never offers Django's own permission flags.
_HIDDEN_FIELDS = {"is_superuser", "groups", "user_permissions", "is_staff"}


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0
    autocomplete_fields = ["unit", "area"]


@admin.register(User)
class UserAdmin(AuditedAdminMixin, BaseUserAdmin):
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (
            _("Personal info"),
            {"fields": ("display_name", "first_name", "last_name", "email", "phone", "preferred_language")},
        ),
        (_("Access"), {"fields": ("is_active",)}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    readonly_fields = ["last_login", "date_joined"]
    list_display = ["username", "display_name", "email", "is_active", "is_staff"]
    list_filter = ["is_active", "role_assignments__role"]
    search_fields = ["username", "display_name", "email", "phone"]
    inlines = [RoleAssignmentInline]

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser and obj is not None:
            return (*fieldsets, (_("Superuser"), {"fields": tuple(sorted(_HIDDEN_FIELDS))}))
        return fieldsets

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        super().save_formset(request, form, formset, change)
        if formset.model is RoleAssignment:
            staff_flag_sync(user=form.instance)

    def user_change_password(self, request: HttpRequest, id: str, form_url: str = "") -> HttpResponse:
        """Setting someone's password is an official action: record who did it (never the password)."""
        with transaction.atomic():
            response = super().user_change_password(request, id, form_url)
            if request.method == "POST" and response.status_code == 302:
                audit_record(
                    event="accounts.user.password_set",
                    actor=request.user,
                    target_type="accounts.user",
                    target_id=id,
                    reason="admin",
                )
        return response
