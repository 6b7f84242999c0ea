from typing import Any

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from .models import WebhookDelivery, WebhookSubscription
from .webhooks import webhook_replay


@admin.register(WebhookSubscription)
class WebhookSubscriptionAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["name", "url", "is_active", "created_at"]
    exclude = ["secret"]  # shown once, when made (massline webhook add)
    readonly_fields = ["name", "url", "actions", "is_active", "created_by"]

    def has_add_permission(self, request: Any) -> bool:
        return False


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = [
        "id",
        "event_type",
        "subscription",
        "state",
        "attempts",
        "last_status",
        "created_at",
        "delivered_at",
    ]
    list_filter = ["state", "event_type"]
    readonly_fields = [field.name for field in WebhookDelivery._meta.fields]
    actions = ["replay"]

    def has_add_permission(self, request: Any) -> bool:
        return False

    @admin.action(description=_("Send again"))
    def replay(self, request: Any, queryset: Any) -> None:
        for delivery in queryset:
            webhook_replay(actor=request.user, delivery=delivery)
        messages.success(request, _("The deliveries will be sent again."))
