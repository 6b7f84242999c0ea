from django.contrib import admin

from massline.core.admin import AuditedAdminMixin

from .models import NotificationPreference, OutboxMessage


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    """Read-only: the outbox is written by the services and the delivery task alone."""

    list_display = ("created_at", "kind", "audience", "channel", "state", "attempts", "next_attempt_at")
    list_filter = ("state", "channel", "audience", "kind")
    search_fields = ("key", "appeal__tracking_code")
    # The body may be read by those who may read the appeal; the address is the citizen's and stays hidden.
    exclude = ("address",)

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(AuditedAdminMixin):
    list_display = ("user", "routine", "urgent")

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False
