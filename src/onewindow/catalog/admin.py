"""The catalog in the admin site, for catalog administrators (group 事项管理员).

The admin is a view, so it writes through the ModelAdmin hooks; each hook records an audit
event with the fields that changed, inside the admin's own transaction.
"""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.utils.translation import gettext_lazy as _

from onewindow.audit.services import audit_record
from onewindow.catalog.models import (
    Bundle,
    BundleItem,
    CatalogImport,
    LifeEvent,
    MaterialRequirement,
    ProcessStep,
    ServiceItem,
)


def _plain(value):
    """A form value as something JSON can hold: instances by pk, querysets as pk lists."""
    if isinstance(value, Model):
        return value.pk
    if isinstance(value, QuerySet | list | tuple):
        return [_plain(v) for v in value]
    return value


def form_changes(form) -> tuple[dict, dict]:
    old = {name: _plain(form.initial.get(name)) for name in form.changed_data}
    new = {name: _plain(form.cleaned_data.get(name)) for name in form.changed_data}
    return old, new


class AuditedAdmin(admin.ModelAdmin):
    """Records an audit event for every add, change and delete, inlines included."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and not form.changed_data:
            return  # saved only for its inline rows; those are audited one by one
        old, new = form_changes(form)
        self._audit(request, obj, "change" if change else "create", old if change else None, new)

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            self._audit(request, obj, "delete", {"name": str(obj)}, None)
            obj.delete()
        forms = {id(f.instance): f for f in formset.forms}
        for obj in instances:
            created = obj.pk is None
            obj.save()
            old, new = form_changes(forms[id(obj)])
            parent = {formset.fk.name: getattr(obj, formset.fk.attname)}
            self._audit(request, obj, "create" if created else "change",
                        None if created else old, new | parent)
        formset.save_m2m()

    def delete_model(self, request, obj):
        self._audit(request, obj, "delete", {"name": str(obj)}, None)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)

    @staticmethod
    def _audit(request, obj, verb: str, old, new) -> None:
        audit_record(actor=request.user, action=f"{obj._meta.model_name}_{verb}", obj=obj,
                     old=old, new=new, note="admin")


class MaterialInline(admin.StackedInline):
    model = MaterialRequirement
    fk_name = "item"
    extra = 0
    autocomplete_fields = ["produced_by"]
    fields = [("order", "name"), ("required", "form", "source"),
              ("original_count", "copy_count"), "description", "produced_by",
              ("tolerance_allowed", "commitment_replaces"), "allowed_file_types",
              ("template", "sample")]


class ProcessStepInline(admin.TabularInline):
    model = ProcessStep
    extra = 0
    fields = ["order", "name", "description", "limit_days"]


@admin.register(ServiceItem)
class ServiceItemAdmin(AuditedAdmin):
    list_display = ["name", "implementation_code", "department", "item_type", "case_type",
                    "promised_limit", "is_published", "instant_approval", "source"]
    list_filter = ["department", "item_type", "case_type", "is_published", "instant_approval",
                   "source", "life_events"]
    search_fields = ["name", "implementation_code", "basic_code", "business_code", "aliases"]
    list_select_related = ["department"]
    list_per_page = 50
    filter_horizontal = ["life_events"]
    inlines = [MaterialInline, ProcessStepInline]
    actions = ["publish", "unpublish"]
    fieldsets = [
        (_("编码"), {"fields": [("implementation_code", "basic_code", "business_code")]}),
        (_("事项"), {"fields": ["name", "aliases", "summary", ("item_type", "audience"),
                                ("department", "implementing_body"), "life_events"]}),
        (_("时限"), {"fields": [("legal_limit", "legal_limit_unit", "legal_limit_note"),
                                ("promised_limit", "promised_limit_unit", "promised_limit_note"),
                                "case_type"]}),
        (_("办理方式"), {"fields": [("visits_required", "online_depth", "handling_scope"),
                                    ("appointment_supported", "express_supported"),
                                    ("instant_approval", "commitment_allowed"),
                                    "tolerance_lapse"]}),
        (_("办事指南"), {"fields": ["conditions", "legal_basis", ("fee_required", "fees"),
                                    "result_name", "where_to_apply", "office_hours",
                                    ("consult_phone", "complaint_phone")]}),
        (_("状态"), {"fields": [("source", "is_published")]}),
    ]

    @admin.action(description=_("发布所选事项"))
    def publish(self, request, queryset):
        self._set_published(request, queryset, True)

    @admin.action(description=_("取消发布所选事项"))
    def unpublish(self, request, queryset):
        self._set_published(request, queryset, False)

    def _set_published(self, request, queryset, value: bool) -> None:
        changed, refused = 0, []
        for item in queryset.exclude(is_published=value):
            item.is_published = value
            try:
                item.full_clean()
            except ValidationError:
                refused.append(item.name)
                continue
            item.save(update_fields=["is_published", "updated_at"])
            audit_record(actor=request.user, action="serviceitem_change", obj=item,
                         old={"is_published": not value}, new={"is_published": value},
                         note="admin")
            changed += 1
        self.message_user(request, _("%(n)d 个事项已更新") % {"n": changed}, messages.SUCCESS)
        if refused:
            self.message_user(request, _("以下事项信息不完整，未能更新，请先补全：%(names)s")
                              % {"names": "、".join(refused)}, messages.WARNING)


@admin.register(LifeEvent)
class LifeEventAdmin(AuditedAdmin):
    list_display = ["name", "slug", "audience", "order"]
    list_filter = ["audience"]
    search_fields = ["name", "slug"]


class BundleItemInline(admin.TabularInline):
    model = BundleItem
    extra = 0
    autocomplete_fields = ["item"]
    fields = ["order", "item", "is_optional"]


@admin.register(Bundle)
class BundleAdmin(AuditedAdmin):
    list_display = ["name", "code", "lead_department", "promised_limit_days", "is_published"]
    list_filter = ["is_published", "lead_department", "life_event"]
    search_fields = ["name", "code"]
    list_select_related = ["lead_department"]
    inlines = [BundleItemInline]


@admin.register(CatalogImport)
class CatalogImportAdmin(admin.ModelAdmin):
    list_display = ["created_at", "kind", "filename", "actor", "counts"]
    list_filter = ["kind"]
    date_hierarchy = "created_at"

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request):
        return False  # batches are made by the import, never by hand

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
