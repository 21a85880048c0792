"""Read-only views of ratings and rectifications: every change goes through the services
(audited); the admin only looks."""

from django.contrib import admin

from onewindow.core.admin import ReadOnlyAdmin
from onewindow.feedback.models import (
    FollowUpCall,
    Rating,
    RatingInvitation,
    Rectification,
    SurveyImport,
    SurveyResult,
)


@admin.register(Rating)
class RatingAdmin(ReadOnlyAdmin):
    list_display = ("id", "kind", "title", "level", "rater", "department", "window", "clerk",
                    "created_at", "change_count")
    list_filter = ("level", "kind", "channel", "department")
    search_fields = ("title", "comment", "rater__username")


@admin.register(Rectification)
class RectificationAdmin(ReadOnlyAdmin):
    list_display = ("id", "department", "state", "opened_on", "due_on", "escalated_at",
                    "return_count")
    list_filter = ("state", "department")


admin.site.register([RatingInvitation, FollowUpCall, SurveyImport, SurveyResult], ReadOnlyAdmin)
