from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from onewindow.accounts.models import (
    ApiToken,
    Department,
    Enterprise,
    EnterpriseMembership,
    ServiceHall,
    User,
    Window,
)
from onewindow.accounts.validators import mask_ric


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "short_name", "phone", "order", "is_active"]
    search_fields = ["name", "code"]
    list_filter = ["is_active"]


class WindowInline(admin.TabularInline):
    model = Window
    extra = 0


@admin.register(ServiceHall)
class ServiceHallAdmin(admin.ModelAdmin):
    list_display = ["name", "level", "address", "offers_after_hours"]
    inlines = [WindowInline]


@admin.register(Window)
class WindowAdmin(admin.ModelAdmin):
    list_display = ["__str__", "kind", "is_active"]
    list_filter = ["hall", "kind"]
    filter_horizontal = ["departments"]


class MembershipInline(admin.TabularInline):
    model = EnterpriseMembership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Enterprise)
class EnterpriseAdmin(admin.ModelAdmin):
    list_display = ["name", "uscc", "legal_representative", "credit_status"]
    list_filter = ["credit_status"]
    search_fields = ["name", "uscc"]
    inlines = [MembershipInline]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "full_name", "role", "department", "ric_display", "is_active"]
    list_filter = ["role", "department", "is_active"]
    search_fields = ["username", "first_name", "last_name", "phone"]
    fieldsets = [
        *BaseUserAdmin.fieldsets,
        (_("政务服务"), {"fields": ["role", "phone", "ric", "credit_status", "department",
                                   "window"]}),
    ]

    @admin.display(description=_("姓名"))
    def full_name(self, obj):
        return obj.get_full_name()

    @admin.display(description=_("身份证号"))
    def ric_display(self, obj):
        return mask_ric(obj.ric)

    def get_fieldsets(self, request, obj=None):
        # Those who may not see an ID number in full do not get its field at all.
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.can_see_full_ric():
            return fieldsets
        return [
            (name, {**opts, "fields": [f for f in opts["fields"] if f != "ric"]})
            for name, opts in fieldsets
        ]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "owner", "prefix", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["name", "owner", "prefix", "created_at", "last_used_at"]

    def has_add_permission(self, request):
        return False  # keys are made by `onewindow apitoken create`, which shows the key once
