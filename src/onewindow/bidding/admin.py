"""Read-mostly admin for system administrators. Writes go through the services (pages, API):
the admin edits only the reference data (venues, specialities, the expert pool)."""

from django.contrib import admin

from onewindow.audit.services import audit_record
from onewindow.bidding.models import (
    CommitteeDraw,
    CommitteeMember,
    Expert,
    ExpertRelation,
    Recording,
    Report,
    Speciality,
    Tender,
    Venue,
)
from onewindow.core.admin import ReadOnlyAdmin


class AuditedAdmin(admin.ModelAdmin):
    """Reference data edited here is audited like any service write."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        audit_record(actor=request.user, action="bidding.admin_saved", obj=obj,
                     new={"changed": sorted(form.changed_data), "created": not change})

    def delete_model(self, request, obj):
        audit_record(actor=request.user, action="bidding.admin_deleted", obj=obj)
        super().delete_model(request, obj)


@admin.register(Venue)
class VenueAdmin(AuditedAdmin):
    list_display = ["name", "city", "seats"]
    filter_horizontal = ["operators"]


@admin.register(Speciality)
class SpecialityAdmin(AuditedAdmin):
    list_display = ["code", "name"]


class RelationInline(admin.TabularInline):
    model = ExpertRelation
    extra = 0


@admin.register(Expert)
class ExpertAdmin(AuditedAdmin):
    list_display = ["user", "organisation", "city", "punished", "is_active"]
    list_filter = ["city", "specialities", "punished", "is_active"]
    search_fields = ["user__last_name", "user__first_name", "organisation"]
    inlines = [RelationInline]


@admin.register(Tender)
class TenderAdmin(ReadOnlyAdmin):
    list_display = ["number", "title", "method", "state", "evaluation_date", "main_venue"]
    list_filter = ["state", "method", "kind"]
    search_fields = ["number", "title", "buyer"]


@admin.register(CommitteeDraw)
class CommitteeDrawAdmin(ReadOnlyAdmin):
    list_display = ["tender", "number", "is_replacement", "seed", "actor", "at"]


@admin.register(CommitteeMember)
class CommitteeMemberAdmin(ReadOnlyAdmin):
    list_display = ["tender", "user", "kind", "venue", "status"]
    list_filter = ["status", "kind"]


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin):
    list_display = ["tender", "code", "digest", "countersigned_at"]


@admin.register(Recording)
class RecordingAdmin(ReadOnlyAdmin):
    list_display = ["tender", "venue", "name", "due_on", "handed_over_on"]
