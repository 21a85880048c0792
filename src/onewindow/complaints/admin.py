from django.contrib import admin

from onewindow.complaints.models import (
    Category,
    ServiceRequest,
    WebhookDelivery,
    WebhookSubscription,
)


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "group", "response_limit", "response_unit", "closing_limit",
                    "closing_unit", "default_department", "is_active", "order"]
    list_editable = ["response_limit", "response_unit", "closing_limit", "closing_unit",
                     "is_active", "order"]


@admin.register(ServiceRequest)
class ServiceRequestAdmin(admin.ModelAdmin):
    """Read-only: requests change only through the services (audited)."""

    list_display = ["number", "title", "kind", "category", "state", "lead_department",
                    "filed_at", "closing_due"]
    list_filter = ["state", "kind", "category", "channel"]
    search_fields = ["number", "title"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(WebhookSubscription)
class WebhookSubscriptionAdmin(admin.ModelAdmin):
    list_display = ["name", "url", "is_active", "created_at"]


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    """The delivery log."""

    list_display = ["pk", "subscription", "request", "event", "state", "attempts",
                    "response_status", "next_attempt_at", "sent_at", "last_error"]
    list_filter = ["state", "subscription", "event"]
    readonly_fields = [f.name for f in WebhookDelivery._meta.fields]

    def has_add_permission(self, request):
        return False
