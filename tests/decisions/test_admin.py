"""The admin: draft versions edited as JSON, published with every problem named by its row,
read-only once published."""

import json

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from onewindow.audit.selectors import events_for
from onewindow.decisions.models import DecisionTableVersion
from tests.decisions.factories import (
    INPUTS,
    ROWS,
    DecisionTableFactory,
    DecisionTableVersionFactory,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
CHANGE = "admin:decisions_decisiontableversion_change"


@pytest.fixture
def keeper(client):
    """A catalog administrator with the decisions app's model permissions, signed in."""
    user = UserFactory(role="catalog_admin", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="decisions"))
    client.force_login(user)
    return user


@pytest.fixture
def table():
    return DecisionTableFactory()


def form_data(table, rows=ROWS, policy="unique", **extra):
    return {"table": table.pk, "hit_policy": policy, "inputs": json.dumps(INPUTS),
            "rows": json.dumps(rows, ensure_ascii=False), "note": "", **extra}


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_admin_add_draft_numbers_it_and_audits(keeper, client, table):
    response = client.post(reverse("admin:decisions_decisiontableversion_add"),
                           form_data(table), follow=True)
    assert response.status_code == 200
    version = DecisionTableVersion.objects.get()
    assert version.number == 1 and version.rows == ROWS and version.published_at is None
    assert events_for(version).get().actor == keeper


def test_admin_change_page_shows_problems_and_publish_button(keeper, client, table):
    bad = [*ROWS, {"when": {"amount": ["<", "五十"]}, "outcome": "approve", "reason": "x"}]
    client.post(reverse("admin:decisions_decisiontableversion_add"), form_data(table, bad))
    version = DecisionTableVersion.objects.get()
    body = client.get(reverse(CHANGE, args=[version.pk])).content.decode()
    assert "第3行：字段“amount”是数字，不能与 &quot;五十&quot; 比较" in body
    assert 'name="_publish"' in body and "保存并发布" in body


def test_admin_publish_button_refuses_invalid_rows_one_message_each(keeper, client, table):
    overlapping = [*ROWS, {"when": {"amount": ["<", 10]}, "outcome": "refer", "reason": "很小"},
                   {"when": {"area": 1}, "outcome": "approve", "reason": "x"}]
    client.post(reverse("admin:decisions_decisiontableversion_add"), form_data(table, ROWS),
                follow=True)  # its message read
    version = DecisionTableVersion.objects.get()
    response = client.post(reverse(CHANGE, args=[version.pk]),
                           form_data(table, overlapping, _publish="1"), follow=True)
    shown = messages_of(response)
    assert shown[0].startswith("测试决策表") and "未发布：有 3 处问题，请逐行修改。" in shown[0]
    assert shown[1].startswith("第3行：与第1行可能同时满足")
    assert shown[2].startswith("第3行：与第2行可能同时满足")
    assert shown[3].startswith("第4行：字段“area”未在输入中声明")
    version.refresh_from_db()
    assert version.published_at is None and len(version.rows) == 4  # saved as a draft


def test_admin_publish_button_publishes_valid_draft(keeper, client, table):
    client.post(reverse("admin:decisions_decisiontableversion_add"),
                form_data(table, _publish="1"), follow=True)
    version = DecisionTableVersion.objects.get()
    assert version.published_by == keeper


def test_admin_publish_action_names_rows_of_each_version(keeper, client, table):
    good = DecisionTableVersionFactory(table=table, number=1)
    bad = DecisionTableVersionFactory(table=table, number=2, rows=[
        {"when": {"credit": "黑名单"}, "outcome": "refer", "reason": "x"}])
    response = client.post(reverse("admin:decisions_decisiontableversion_changelist"),
                           {"action": "publish", "_selected_action": [good.pk, bad.pk]},
                           follow=True)
    shown = messages_of(response)
    assert any("第 1 版 已发布" in m for m in shown)
    assert any(m.startswith("第1行：字段“credit”的值 \"黑名单\" 不是可选项") for m in shown)
    good.refresh_from_db()
    bad.refresh_from_db()
    assert good.published_at is not None and bad.published_at is None


def test_admin_published_version_read_only(keeper, client, table):
    client.post(reverse("admin:decisions_decisiontableversion_add"),
                form_data(table, _publish="1"))
    version = DecisionTableVersion.objects.get()
    page = client.get(reverse(CHANGE, args=[version.pk]))
    body = page.content.decode()
    assert page.status_code == 200 and 'name="_publish"' not in body
    assert '<textarea name="rows"' not in body and "小额秒批" in body
    refused = client.post(reverse(CHANGE, args=[version.pk]), form_data(table, rows=ROWS[:1]))
    assert refused.status_code == 403
    version.refresh_from_db()
    assert version.rows == ROWS


def test_admin_copy_action_starts_next_draft(keeper, client, table):
    client.post(reverse("admin:decisions_decisiontableversion_add"),
                form_data(table, _publish="1"))
    first = DecisionTableVersion.objects.get()
    client.post(reverse("admin:decisions_decisiontableversion_changelist"),
                {"action": "copy", "_selected_action": [first.pk]})
    second = table.versions.get(number=2)
    assert second.rows == ROWS and second.published_at is None


def test_admin_invalid_json_refused_by_form(keeper, client, table):
    response = client.post(reverse("admin:decisions_decisiontableversion_add"),
                           form_data(table) | {"rows": "[{\"when\": "})
    assert response.status_code == 200 and not DecisionTableVersion.objects.exists()
    assert "JSON" in response.content.decode()
