from django.contrib import admin

from onewindow.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["id", "at", "actor_name", "actor_role", "object_type", "object_id", "action"]
    list_filter = ["object_type", "action", "actor_role"]
    search_fields = ["object_id", "object_repr", "actor_name", "note"]
    date_hierarchy = "at"

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
