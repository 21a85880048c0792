"""Versions: numbered drafts, publishing refused with every problem, immutable once published."""

import pytest
from django.db import DatabaseError, transaction

from onewindow.audit.selectors import events_for
from onewindow.decisions import selectors, services
from onewindow.decisions.errors import (
    DecisionForbidden,
    TableInvalid,
    VersionImmutable,
    VersionSuperseded,
)
from onewindow.decisions.models import DecisionTableVersion
from onewindow.decisions.seeding import seed_demo_tables
from tests.decisions.factories import INPUTS, ROWS, DecisionTableFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_user():
    return UserFactory(role="catalog_admin")


@pytest.fixture
def table():
    return DecisionTableFactory()


def new_draft(actor, table, rows=ROWS, policy="unique"):
    return services.version_create(actor=actor, table=table, hit_policy=policy, inputs=INPUTS,
                                   rows=rows)


def test_version_create_numbers_versions_in_turn(admin_user, table):
    numbers = [new_draft(admin_user, table).number for _ in range(3)]
    assert numbers == [1, 2, 3]
    assert events_for(table.versions.get(number=1)).get().action == "decision_version_create"


def test_version_publish_valid_draft_records_who_and_when(admin_user, table):
    version = services.version_publish(actor=admin_user,
                                       version_id=new_draft(admin_user, table).pk)
    assert version.published_by == admin_user and version.published_at is not None
    assert selectors.version_in_force(table.item_id) == version
    assert events_for(version).filter(action="decision_version_publish").exists()


def test_version_publish_of_a_draft_older_than_the_version_in_force_refused(admin_user, table):
    older = new_draft(admin_user, table)
    newer = services.version_publish(actor=admin_user,
                                     version_id=new_draft(admin_user, table).pk)
    with pytest.raises(VersionSuperseded, match="已发布第 2 版并正在使用，第 1 版编号较旧"):
        services.version_publish(actor=admin_user, version_id=older.pk)
    older.refresh_from_db()
    assert older.published_at is None and selectors.version_in_force(table.item_id) == newer
    copy = services.version_copy(actor=admin_user, version_id=older.pk)
    assert services.version_publish(actor=admin_user, version_id=copy.pk).number == 3
    assert selectors.version_in_force(table.item_id).number == 3


def test_version_publish_invalid_draft_refused_with_each_row(admin_user, table):
    rows = [*ROWS, {"when": {"credit": "good", "amount": ["<", "100"]}, "outcome": "approve",
                    "reason": "重复"}, {"when": {"area": 1}, "outcome": "approve", "reason": "x"}]
    draft = new_draft(admin_user, table, rows=rows)
    with pytest.raises(TableInvalid) as raised:
        services.version_publish(actor=admin_user, version_id=draft.pk)
    assert [p.message[:4] for p in raised.value.problems] == ["第3行：", "第4行："]
    assert "不能与 \"100\" 比较" in raised.value.problems[0].message
    assert "字段“area”未在输入中声明" in raised.value.problems[1].message
    draft.refresh_from_db()
    assert draft.published_at is None and selectors.version_in_force(table.item_id) is None


def test_version_publish_overlap_under_unique_refused_first_allowed(admin_user, table):
    rows = [*ROWS, {"when": {"amount": ["<", 10]}, "outcome": "approve", "reason": "很小"}]
    unique = new_draft(admin_user, table, rows=rows)
    with pytest.raises(TableInvalid) as raised:
        services.version_publish(actor=admin_user, version_id=unique.pk)
    assert [p.message.split("（")[0] for p in raised.value.problems] == [
        "第3行：与第1行可能同时满足", "第3行：与第2行可能同时满足"]
    first = new_draft(admin_user, table, rows=rows, policy="first")
    assert services.version_publish(actor=admin_user, version_id=first.pk).is_published


def test_version_update_published_refused(admin_user, table):
    version = services.version_publish(actor=admin_user,
                                       version_id=new_draft(admin_user, table).pk)
    with pytest.raises(VersionImmutable, match="第 1 版已于 .* 发布，不能再修改"):
        services.version_update(actor=admin_user, version_id=version.pk, hit_policy="first",
                                inputs=INPUTS, rows=[])
    with pytest.raises(VersionImmutable):
        services.version_publish(actor=admin_user, version_id=version.pk)
    with pytest.raises(VersionImmutable):
        services.version_delete(actor=admin_user, version_id=version.pk)
    version.refresh_from_db()
    assert version.hit_policy == "unique" and version.rows == ROWS


def test_version_published_row_refused_by_database(admin_user, table):
    version = services.version_publish(actor=admin_user,
                                       version_id=new_draft(admin_user, table).pk)
    with pytest.raises(DatabaseError), transaction.atomic():
        DecisionTableVersion.objects.filter(pk=version.pk).update(rows=[])
    version.refresh_from_db()
    assert version.rows == ROWS


def test_version_draft_may_change_and_every_version_is_kept(admin_user, table):
    first = services.version_publish(actor=admin_user,
                                     version_id=new_draft(admin_user, table).pk)
    second = services.version_copy(actor=admin_user, version_id=first.pk)
    assert (second.number, second.rows, second.note) == (2, ROWS, "基于第 1 版")
    services.version_update(actor=admin_user, version_id=second.pk, hit_policy="first",
                            inputs=INPUTS, rows=ROWS[:1], note="只留一行")
    services.version_publish(actor=admin_user, version_id=second.pk)
    assert list(table.versions.values_list("number", "hit_policy")) == [
        (2, "first"), (1, "unique")]
    assert selectors.version_in_force(table.item_id).number == 2


def test_version_draft_delete_allowed(admin_user, table):
    draft = new_draft(admin_user, table)
    services.version_delete(actor=admin_user, version_id=draft.pk)
    assert not table.versions.exists()


@pytest.mark.parametrize("role", ["applicant", "window_clerk", "approver"])
def test_version_services_refuse_other_roles(table, role):
    with pytest.raises(DecisionForbidden, match="只有事项管理员或系统管理员"):
        new_draft(UserFactory(role=role), table)


def test_seed_demo_tables_second_run_writes_nothing(filing):
    assert seed_demo_tables() == 0
    assert filing.item.decision_table.versions.count() == 1
    assert filing.version.is_published and filing.version.published_by is None


def test_seed_demo_tables_without_item_does_nothing(db):
    assert seed_demo_tables() == 0
