from django.contrib import admin

from onewindow.cases.models import NotificationDelivery
from onewindow.core.admin import ReadOnlyAdmin


@admin.register(NotificationDelivery)
class NotificationDeliveryAdmin(ReadOnlyAdmin):
    """Messages a backend failed to send: what the clock job still retries, and what it gave up
    (to be told another way). The job alone changes them; deleting a pending one cancels it."""

    list_display = ["notification", "backend", "state", "attempts", "next_attempt_at",
                    "last_error", "created_at"]
    list_filter = ["state", "backend"]
    list_select_related = ["notification"]
    search_fields = ["notification__title", "last_error"]
    deletable = True
