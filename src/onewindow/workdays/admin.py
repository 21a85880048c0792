"""The calendar in the admin: a year with its holidays and make-up days as inline rows.

The admin validates the forms as usual but writes through `calendar_year_enter`, so that an
edit made here is audited and reaches every process like any other.
"""

from django.contrib import admin
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from onewindow.workdays.enums import DayKind, YearSource
from onewindow.workdays.models import CalendarDay, CalendarYear
from onewindow.workdays.services import DaySpec, calendar_year_delete, calendar_year_enter

WEEKDAYS = [_("星期一"), _("星期二"), _("星期三"), _("星期四"), _("星期五"), _("星期六"),
            _("星期日")]


class CalendarDayInline(admin.TabularInline):
    model = CalendarDay
    extra = 3
    fields = ["date", "weekday", "kind", "name"]
    readonly_fields = ["weekday"]
    ordering = ["date"]

    @admin.display(description=_("星期"))
    def weekday(self, obj):
        return WEEKDAYS[obj.date.weekday()] if obj.date else ""


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    list_display = ["year", "status", "source", "cross_checked", "holidays", "workdays",
                    "updated_at"]
    list_filter = ["status", "source", "cross_checked"]
    fields = ["year", "status", "notice", "source", "cross_checked", "updated_at"]
    inlines = [CalendarDayInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(
            n_holidays=Count("days", filter=Q(days__kind=DayKind.HOLIDAY)),
            n_workdays=Count("days", filter=Q(days__kind=DayKind.WORKDAY)),
        )

    @admin.display(description=_("放假（工作日）天数"), ordering="n_holidays")
    def holidays(self, obj):
        return obj.n_holidays

    @admin.display(description=_("调休上班天数"), ordering="n_workdays")
    def workdays(self, obj):
        return obj.n_workdays

    def get_readonly_fields(self, request, obj=None):
        fixed = ["source", "cross_checked", "updated_at"]
        return ["year", *fixed] if obj is not None else fixed

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # deletion goes one year at a time, via the service
        return actions

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or obj.is_provisional)

    def save_model(self, request, obj, form, change):
        """Nothing yet: the year and its days are written together in `save_related`."""

    def save_related(self, request, form, formsets, change):
        days = [
            DaySpec(f.cleaned_data["date"], f.cleaned_data["kind"], f.cleaned_data.get("name", ""))
            for formset in formsets for f in formset.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]
        saved = calendar_year_enter(
            actor=request.user, year=form.instance.year, status=form.cleaned_data["status"],
            notice=form.cleaned_data.get("notice", ""), days=days, source=YearSource.NOTICE,
        )
        form.instance.pk = saved.pk
        form.instance._state.adding = False
        for formset in formsets:  # read by the admin's change message
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []

    def delete_model(self, request, obj):
        calendar_year_delete(actor=request.user, calendar_year=obj)
