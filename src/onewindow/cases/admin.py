from django.contrib import admin

from onewindow.cases.models import NotificationDelivery
from onewindow.core.admin import ReadOnlyAdmin


@admin.register(NotificationDelivery)
class NotificationDeliveryAdmin(ReadOnlyAdmin):
    """Email and SMS on their way out: queued for the delivery worker, kept after a backend
    failed to send them (what is still to be tried, and what was given up, to be told another
    way), and sent. The worker and the clock job alone change them; deleting a pending one
    cancels it."""

    list_display = ["notification", "backend", "state", "attempts", "next_attempt_at",
                    "last_error", "created_at"]
    list_filter = ["state", "backend"]
    list_select_related = ["notification"]
    search_fields = ["notification__title", "last_error"]
    deletable = True
