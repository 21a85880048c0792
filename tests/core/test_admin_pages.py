"""Every model in Django's admin lists for a superuser, and a record kept by the services
(`core.admin.ReadOnlyAdmin`) opens read-only."""

import pytest
from django.contrib.admin.sites import site
from django.urls import reverse

from onewindow.audit.services import audit_record
from tests.factories import DepartmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client(client, make_user):
    client.force_login(make_user(role="system_admin", is_superuser=True, is_staff=True))
    return client


def test_every_admin_changelist_answers(superuser_client):
    failed = []
    for model in site._registry:
        meta = model._meta
        url = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
        status = superuser_client.get(url).status_code
        if status != 200:
            failed.append((url, status))
    assert failed == []


def test_a_kept_record_opens_read_only(superuser_client):
    event = audit_record(actor=None, action="opened", obj=DepartmentFactory())
    page = superuser_client.get(reverse("admin:audit_auditevent_change", args=[event.pk]))
    body = page.content.decode()
    assert page.status_code == 200 and "opened" in body
    # No save button, and the fields shown as text (a change page never has the list's
    # "action" menu, so its absence would prove nothing).
    assert 'name="_save"' not in body and 'class="readonly"' in body


def test_admin_speaks_chinese_in_its_headings(admin_client):
    page = admin_client.get(reverse("admin:index")).content.decode()
    assert "管理后台" in page and "Django 管理" not in page
    for heading in ("办件", "事项目录", "审计日志", "账号与机构"):
        assert heading in page
