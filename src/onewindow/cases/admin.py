from django.contrib import admin

from onewindow.cases.models import NotificationDelivery


@admin.register(NotificationDelivery)
class NotificationDeliveryAdmin(admin.ModelAdmin):
    """Messages a backend failed to send: what the clock job still retries, and what it gave up
    (to be told another way). Read-only: the job alone changes them."""

    list_display = ["notification", "backend", "state", "attempts", "next_attempt_at",
                    "last_error", "created_at"]
    list_filter = ["state", "backend"]
    list_select_related = ["notification"]
    search_fields = ["notification__title", "last_error"]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
