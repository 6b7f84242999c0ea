from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import RouterVersion
from .services import router_activate


@admin.register(RouterVersion)
class RouterVersionAdmin(admin.ModelAdmin):
    """Versions are made by training, never edited; the one action is choosing which is active (rolling back)."""

    list_display = ["version", "is_active", "trained_on", "examples", "threshold", "created_at"]
    readonly_fields = [
        "version", "is_active", "trained_on", "examples", "labels", "label_map", "metrics", "threshold", "directory",
    ]  # fmt: skip
    actions = ["activate"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description=gettext_lazy("Make the selected version the active router"))
    def activate(self, request: HttpRequest, queryset: QuerySet[RouterVersion]) -> None:
        if queryset.count() != 1:
            self.message_user(request, _("Choose exactly one version."), level=messages.ERROR)
            return
        version = router_activate(actor=request.user, version=queryset.get(), reason=_("chosen in the admin"))
        self.message_user(request, _("Router v%(version)d is now active.") % {"version": version.version})
