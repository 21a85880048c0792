"""Decision tables in the admin site, for catalog administrators.

Tables are edited here; their content lives in versions. A draft version is edited as JSON
(inputs and rows) and published with "保存并发布" on its page or the "发布" action on the list:
a version with problems is refused, each problem named by its row. A published version is
read-only (the database refuses to change it too); "基于所选版本新建草稿" starts the next one.
Writes of versions go through `decisions.services`, which audit them.
"""

from __future__ import annotations

import json

from django import forms
from django.contrib import admin, messages
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from onewindow.catalog.admin import AuditedAdmin
from onewindow.decisions import selectors, services
from onewindow.decisions.engine.facts import PLATFORM_FACTS
from onewindow.decisions.errors import DecisionError, TableInvalid
from onewindow.decisions.models import DecisionRecord, DecisionTable, DecisionTableVersion

INPUTS_HELP = gettext_lazy(
    "JSON 列表，每项一个输入字段：name（在规则行中引用的名称，可用汉字）、source（数据来源）、"
    "type（string 文本 / number 数字 / boolean 是否 / date 日期 / enum 可选项）、label（显示名称，"
    "可省略）、choices（enum 的可选项）。数据来源为申请表字段时写 form:字段代码，例如 "
    "{\"name\": \"总投资\", \"label\": \"项目总投资（万元）\", \"type\": \"number\", "
    "\"source\": \"form:total_investment\"}；平台数据直接写代码，类型由平台给出：%(facts)s。")
ROWS_HELP = gettext_lazy(
    "JSON 列表，每行一条规则：when（条件：{\"字段\": [运算符, 值]}，未写的字段表示任意值）、"
    "outcome（approve 准予秒批 / refer 转人工办理）、reason（理由，申请人和工作人员可见）。"
    "运算符：== != < <= > >= in \"not in\" between any；例如 [\">=\", 100]、"
    "[\"in\", [\"鼓励类\", \"允许类\"]]、[\"between\", 0, 5000]（含两端）；只写一个值表示等于；"
    "多个条件同时成立写成列表 [[\">\", 0], [\"<\", 100000]]。数字不加引号，日期写 \"2025-01-31\"，"
    "是/否写 true / false。命中策略为“唯一命中”时，任意两行不能同时满足。")


class OneItemPerLineJSONField(forms.JSONField):
    """JSON shown one list element per line: a table stays readable in a textarea."""

    def prepare_value(self, value):
        if isinstance(value, list) and value:
            lines = ",\n  ".join(json.dumps(v, ensure_ascii=False) for v in value)
            return f"[\n  {lines}\n]"
        return super().prepare_value(value)


class VersionForm(forms.ModelForm):
    inputs = OneItemPerLineJSONField(
        label=gettext_lazy("输入字段"),
        help_text=INPUTS_HELP % {"facts": "、".join(PLATFORM_FACTS)},
        widget=forms.Textarea(attrs={"rows": 10, "cols": 120, "class": "vLargeTextField"}))
    rows = OneItemPerLineJSONField(
        label=gettext_lazy("规则行"), help_text=ROWS_HELP,
        widget=forms.Textarea(attrs={"rows": 20, "cols": 120, "class": "vLargeTextField"}))

    class Meta:
        model = DecisionTableVersion
        fields = ["table", "hit_policy", "inputs", "rows", "note"]


class VersionInline(admin.TabularInline):
    model = DecisionTableVersion
    fields = ["number", "status_label", "hit_policy", "published_at", "published_by"]
    readonly_fields = fields
    extra = 0
    max_num = 0
    can_delete = False
    show_change_link = True

    @admin.display(description=gettext_lazy("状态"))
    def status_label(self, obj):
        return obj.get_status_display()


@admin.register(DecisionTable)
class DecisionTableAdmin(AuditedAdmin):
    list_display = ["name", "item", "in_force", "version_count"]
    search_fields = ["name", "item__name"]
    autocomplete_fields = ["item"]
    inlines = [VersionInline]

    def get_queryset(self, request):
        return selectors.table_list()

    @admin.display(description=gettext_lazy("现行版本"))
    def in_force(self, obj):
        return _("第 %(n)s 版") % {"n": obj.published_number} if obj.published_number else "—"

    @admin.display(description=gettext_lazy("版本数"))
    def version_count(self, obj):
        return obj.version_count


@admin.register(DecisionTableVersion)
class DecisionTableVersionAdmin(admin.ModelAdmin):
    form = VersionForm
    change_form_template = "admin/decisions/version_change_form.html"
    list_display = ["__str__", "status_label", "hit_policy", "row_count", "published_at",
                    "published_by"]
    list_filter = ["table", "hit_policy", ("published_at", admin.EmptyFieldListFilter)]
    list_select_related = ["table", "published_by"]
    actions = ["publish", "copy"]
    readonly_fields = ["number", "problems", "dry_run", "created_at", "created_by",
                       "published_at", "published_by"]

    def get_fields(self, request, obj=None):
        head = ["table", "number"] if obj else ["table"]
        tail = ["problems", "dry_run", "created_at", "created_by", "published_at",
                "published_by"] if obj else []
        return [*head, "hit_policy", "inputs", "rows", "note", *tail]

    def get_readonly_fields(self, request, obj=None):
        # A draft stays with its table: its number was counted there.
        return [*self.readonly_fields, "table"] if obj else self.readonly_fields

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_published:
            return False  # published: shown read-only
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_published:
            return False
        return super().has_delete_permission(request, obj)

    @admin.display(description=gettext_lazy("状态"))
    def status_label(self, obj):
        return obj.get_status_display()

    @admin.display(description=gettext_lazy("规则行数"))
    def row_count(self, obj):
        return len(obj.rows) if isinstance(obj.rows, list) else "—"

    @admin.display(description=gettext_lazy("发布前检查"))
    def problems(self, obj):
        found = selectors.version_problems(obj)
        if not found:
            return _("检查通过：可以发布。")
        return format_html("<ul>{}</ul>", format_html_join("", "<li>{}</li>",
                                                         ((p.message,) for p in found)))

    @admin.display(description=gettext_lazy("试算"))
    def dry_run(self, obj):
        url = reverse("decisions:dry_run", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("用样例数据和最近 1000 件办件试算"))

    # --- writes go through the services ------------------------------------------------------
    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if change:
            services.version_update(actor=request.user, version_id=obj.pk,
                                    hit_policy=data["hit_policy"], inputs=data["inputs"],
                                    rows=data["rows"], note=data["note"])
            return
        version = services.version_create(actor=request.user, table=data["table"],
                                          hit_policy=data["hit_policy"],
                                          inputs=data["inputs"], rows=data["rows"],
                                          note=data["note"])
        obj.pk, obj.number, obj.created_at = version.pk, version.number, version.created_at

    def delete_model(self, request, obj):
        services.version_delete(actor=request.user, version_id=obj.pk)

    def delete_queryset(self, request, queryset):
        for version in queryset:
            self.delete_model(request, version)

    def response_add(self, request, obj, post_url_continue=None):
        if "_publish" in request.POST:
            return self._publish_and_return(request, obj)
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        if "_publish" in request.POST:
            return self._publish_and_return(request, obj)
        return super().response_change(request, obj)

    def _publish_and_return(self, request, obj):
        self._publish_one(request, obj)
        return HttpResponseRedirect(reverse("admin:decisions_decisiontableversion_change",
                                            args=[obj.pk]))

    def _publish_one(self, request, version) -> bool:
        try:
            services.version_publish(actor=request.user, version_id=version.pk)
        except TableInvalid as invalid:
            messages.error(request, _("%(version)s 未发布：有 %(n)s 处问题，请逐行修改。") % {
                "version": version, "n": len(invalid.problems)})
            for problem in invalid.problems:
                messages.error(request, problem.message)
            return False
        except DecisionError as err:
            messages.error(request, err.message)
            return False
        messages.success(request, _("%(version)s 已发布，即日起按此版本秒批。") % {
            "version": version})
        return True

    @admin.action(description=gettext_lazy("发布所选草稿版本"), permissions=["change"])
    def publish(self, request, queryset):
        for version in queryset.select_related("table"):
            self._publish_one(request, version)

    @admin.action(description=gettext_lazy("基于所选版本新建草稿"), permissions=["add"])
    def copy(self, request, queryset):
        for version in queryset.select_related("table"):
            draft = services.version_copy(actor=request.user, version_id=version.pk)
            messages.success(request, _("已新建草稿：%(draft)s。") % {"draft": draft})

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        extra_context = {**(extra_context or {}), "show_publish": True}
        return super().changeform_view(request, object_id, form_url, extra_context)


@admin.register(DecisionRecord)
class DecisionRecordAdmin(admin.ModelAdmin):
    list_display = ["case", "outcome", "version", "row_number", "at"]
    list_filter = ["outcome", "version__table"]
    search_fields = ["case__number"]
    list_select_related = ["case", "case__item", "version", "version__table"]
    readonly_fields = ["case", "version", "row_number", "outcome", "reason", "inputs", "at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
