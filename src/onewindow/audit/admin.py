from django.contrib import admin

from onewindow.audit.models import AuditEvent
from onewindow.core.admin import ReadOnlyAdmin


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["id", "at", "actor_name", "actor_role", "object_type", "object_id", "action"]
    list_filter = ["object_type", "action", "actor_role"]
    search_fields = ["object_id", "object_repr", "actor_name", "note"]
    date_hierarchy = "at"
