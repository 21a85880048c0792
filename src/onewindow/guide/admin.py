"""Synonyms, scenarios and the question log in the admin site, for catalog administrators.

Synonym and scenario changes are audited through the catalog's AuditedAdmin. The question log
is read-only: its filters find the questions to learn from (no click, rated bad)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from onewindow.catalog.admin import AuditedAdmin
from onewindow.core.admin import ReadOnlyAdmin
from onewindow.guide.models import QueryLog, Scenario, ScenarioStep, Synonym


@admin.register(Synonym)
class SynonymAdmin(AuditedAdmin):
    list_display = ["phrase", "expansion", "note", "updated_at"]
    search_fields = ["phrase", "expansion", "items__name"]
    autocomplete_fields = ["items"]
    fields = ["phrase", "expansion", "items", "note"]


class ScenarioStepInline(admin.TabularInline):
    model = ScenarioStep
    extra = 0
    autocomplete_fields = ["item", "bundle"]
    fields = ["order", "item", "bundle", "note", "is_optional"]


@admin.register(Scenario)
class ScenarioAdmin(AuditedAdmin):
    list_display = ["name", "life_event", "is_published", "updated_at"]
    list_filter = ["is_published", "life_event"]
    search_fields = ["name", "phrases"]
    inlines = [ScenarioStepInline]


class NoClickFilter(admin.SimpleListFilter):
    title = _("是否点击")
    parameter_name = "clicked"

    def lookups(self, request, model_admin):
        return [("no", _("未点击任何事项")), ("yes", _("已点击"))]

    def queryset(self, request, queryset):
        if self.value() == "no":
            return queryset.filter(clicked_item__isnull=True)
        if self.value() == "yes":
            return queryset.filter(clicked_item__isnull=False)
        return queryset


@admin.register(QueryLog)
class QueryLogAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "query", "channel", "top_score", "clicked_item", "rating"]
    list_filter = [NoClickFilter, "rating", "channel"]
    search_fields = ["query"]
    date_hierarchy = "created_at"
    list_select_related = ["clicked_item"]
    deletable = True
