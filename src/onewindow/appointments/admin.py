from django.contrib import admin

from onewindow.appointments.models import (
    Booking,
    QueueTicket,
    ScheduleRule,
    Slot,
    WindowItemOverride,
)


@admin.register(ScheduleRule)
class ScheduleRuleAdmin(admin.ModelAdmin):
    list_display = ("hall", "day_type", "start", "end", "slot_minutes", "capacity", "after_hours")
    list_filter = ("hall", "day_type", "after_hours")


@admin.register(WindowItemOverride)
class WindowItemOverrideAdmin(admin.ModelAdmin):
    list_display = ("window", "item", "serves")
    list_filter = ("serves", "window__hall")
    autocomplete_fields = ("item",)


@admin.register(Slot)
class SlotAdmin(admin.ModelAdmin):
    list_display = ("start", "end", "hall", "window", "capacity", "booked", "after_hours")
    list_filter = ("hall", "after_hours", "day")
    date_hierarchy = "day"
    readonly_fields = ("booked",)


@admin.register(Booking)
class BookingAdmin(admin.ModelAdmin):
    """Read-only: bookings change through the services (locks, counts, audit)."""

    list_display = ("applicant", "item", "slot", "state", "created_at")
    list_filter = ("state", "slot__hall")
    search_fields = ("applicant__username", "item__name")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(QueueTicket)
class QueueTicketAdmin(admin.ModelAdmin):
    list_display = ("number", "hall", "day", "window", "served_by", "served_at")
    list_filter = ("hall", "day")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
