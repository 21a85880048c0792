"""The catalog in the admin site: who gets in, and every change audited."""

import pytest
from django import forms
from django.db.models.fields.files import FieldFile
from django.urls import reverse

from onewindow.audit.models import AuditEvent
from onewindow.catalog.models import MaterialRequirement, ServiceItem
from onewindow.catalog.services import (
    CATALOG_ADMIN_GROUP,
    catalog_admin_grant,
    catalog_admin_group,
)
from tests.factories import (
    BundleFactory,
    DepartmentFactory,
    MaterialRequirementFactory,
    ServiceItemFactory,
)

pytestmark = pytest.mark.django_db
CHANGELIST = reverse("admin:catalog_serviceitem_changelist")
ADD = reverse("admin:catalog_serviceitem_add")


@pytest.fixture
def catalog_admin(make_user):
    return catalog_admin_grant(actor=None, user=make_user(role="catalog_admin"))


@pytest.fixture
def admin_client(client, catalog_admin):
    client.force_login(catalog_admin)
    return client


def _value(bound):
    value = bound.value()
    if isinstance(bound.field, forms.ModelMultipleChoiceField) and not value:
        return None
    if isinstance(value, bool):
        return "on" if value else None
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    if value is None or isinstance(value, FieldFile):
        return ""
    return str(value)


def post_data(response) -> dict:
    """What the browser would send back for the admin form as rendered (initial values)."""
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        forms += [inline.formset.management_form, *inline.formset.forms]
    data = {}
    for form in forms:
        for name in form.fields:
            value = _value(form[name])
            if value is not None:
                data[form.add_prefix(name)] = value
    return data


def test_catalog_admin_group_holds_catalog_workdays_and_decisions_permissions():
    group = catalog_admin_group()
    codenames = set(group.permissions.values_list("content_type__app_label", "codename"))
    assert {("catalog", "change_serviceitem"), ("catalog", "add_materialrequirement"),
            ("catalog", "delete_bundle"), ("accounts", "view_department")} <= codenames
    assert ("accounts", "change_user") not in codenames
    assert ("decisions", "change_decisiontable") in codenames
    assert {app for app, _c in codenames} <= {"catalog", "workdays", "decisions", "accounts"}
    assert catalog_admin_group() == group  # idempotent: the same group, no second audit event
    assert AuditEvent.objects.filter(action="group_permissions_set").count() == 1


def test_catalog_admin_grant_makes_staff_in_group(catalog_admin):
    assert catalog_admin.is_staff
    assert catalog_admin.groups.filter(name=CATALOG_ADMIN_GROUP).exists()
    assert catalog_admin.has_perm("catalog.change_serviceitem")
    assert not catalog_admin.has_perm("accounts.change_user")
    assert AuditEvent.objects.filter(action="catalog_admin_grant",
                                     object_id=str(catalog_admin.pk)).exists()


def test_catalog_admin_grant_refuses_other_roles(make_user):
    with pytest.raises(ValueError):
        catalog_admin_grant(actor=None, user=make_user(role="window_clerk"))


def test_staff_without_the_group_cannot_open_catalog_admin(client, make_user):
    client.force_login(make_user(role="window_clerk", is_staff=True))
    assert client.get(CHANGELIST).status_code == 403


def test_changelist_searches_aliases_and_offers_filters(admin_client):
    ServiceItemFactory(name="建筑工程施工许可证核发", aliases="开工许可\n施工证")
    ServiceItemFactory(name="食品经营许可")
    body = admin_client.get(CHANGELIST, {"q": "施工证"}).content.decode()
    assert "建筑工程施工许可证核发" in body and "食品经营许可" not in body
    for title in ("办理部门", "权力类型", "办件类型", "已发布", "秒批秒办", "来源"):
        assert f"以 {title}" in body  # the admin's filter heading


def test_admin_add_item_with_material_is_audited(admin_client, catalog_admin):
    dept = DepartmentFactory(name="区住建局")
    data = post_data(admin_client.get(ADD))
    data.update({"implementation_code": "ADM-1", "name": "消防设计审查", "item_type": "1",
                 "department": str(dept.pk), "implementing_body": "区住建局",
                 "legal_limit": "15", "promised_limit": "5",
                 "materials-TOTAL_FORMS": "1", "materials-0-order": "1",
                 "materials-0-name": "消防设计文件", "materials-0-form": "electronic",
                 "materials-0-required": "on", "materials-0-original_count": "0",
                 "materials-0-copy_count": "0", "materials-0-source": "applicant",
                 "materials-0-allowed_file_types": "pdf"})
    response = admin_client.post(ADD, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    item = ServiceItem.objects.get(implementation_code="ADM-1")
    created = AuditEvent.objects.get(action="serviceitem_create")
    assert created.object_id == str(item.pk) and created.actor == catalog_admin
    assert created.new_value["name"] == "消防设计审查"
    material = AuditEvent.objects.get(action="materialrequirement_create")
    assert material.new_value["name"] == "消防设计文件" and material.new_value["item"] == item.pk


def test_admin_change_and_inline_delete_are_audited(admin_client):
    item = ServiceItemFactory(name="旧名称")
    material = MaterialRequirementFactory(item=item, name="作废材料")
    url = reverse("admin:catalog_serviceitem_change", args=[item.pk])
    data = post_data(admin_client.get(url))
    data.update({"name": "新名称", "materials-0-DELETE": "on"})
    assert admin_client.post(url, data).status_code == 302
    change = AuditEvent.objects.get(action="serviceitem_change")
    assert (change.old_value, change.new_value) == ({"name": "旧名称"}, {"name": "新名称"})
    deleted = AuditEvent.objects.get(action="materialrequirement_delete")
    assert deleted.object_id == str(material.pk) and deleted.old_value == {"name": "作废材料"}
    assert not MaterialRequirement.objects.filter(pk=material.pk).exists()


def test_admin_delete_item_is_audited(admin_client):
    item = ServiceItemFactory(name="待删除事项")
    url = reverse("admin:catalog_serviceitem_delete", args=[item.pk])
    assert admin_client.post(url, {"post": "yes"}).status_code == 302
    assert not ServiceItem.objects.filter(pk=item.pk).exists()
    assert AuditEvent.objects.get(action="serviceitem_delete").object_id == str(item.pk)


def test_admin_publish_action_audits_each_item(admin_client):
    drafts = [ServiceItemFactory(is_published=False) for _ in range(2)]
    response = admin_client.post(CHANGELIST, {
        "action": "publish", "_selected_action": [str(d.pk) for d in drafts]}, follow=True)
    assert "2 个事项已更新" in response.content.decode()
    assert ServiceItem.objects.filter(is_published=True).count() == 2
    assert AuditEvent.objects.filter(action="serviceitem_change").count() == 2


def test_bundle_admin_shows_items_inline(admin_client):
    bundle = BundleFactory(name="开工一件事")
    body = admin_client.get(reverse("admin:catalog_bundle_change", args=[bundle.pk]))
    assert "开工一件事" in body.content.decode()
    assert "bundle_items-TOTAL_FORMS" in body.content.decode()



def test_admin_inline_change_records_old_and_new_values(admin_client):
    item = ServiceItemFactory()
    material = MaterialRequirementFactory(item=item, name="申请书", copy_count=0)
    url = reverse("admin:catalog_serviceitem_change", args=[item.pk])
    data = post_data(admin_client.get(url))
    data["materials-0-copy_count"] = "2"
    assert admin_client.post(url, data).status_code == 302
    event = AuditEvent.objects.get(action="materialrequirement_change")
    assert event.object_id == str(material.pk)
    assert (event.old_value, event.new_value) == ({"copy_count": 0},
                                                  {"copy_count": 2, "item": item.pk})
    assert not AuditEvent.objects.filter(action="serviceitem_change").exists()  # item unchanged
