"""core.db: the hot-path helpers give what the ORM gives, with the statement written once."""

import pytest
from django.db import DatabaseError, connection, transaction
from django.db.models import F
from django.db.transaction import TransactionManagementError
from django.test.utils import CaptureQueriesContext

from onewindow.catalog.models import MaterialRequirement, ServiceItem
from onewindow.core.db import (
    Prepared,
    insert_all,
    known_empty,
    raw_first,
    raw_first_of,
    save_fields,
)
from tests.factories import DepartmentFactory, MaterialRequirementFactory, ServiceItemFactory

pytestmark = pytest.mark.django_db

BY_DEPARTMENT_CODE = Prepared(lambda code, order: MaterialRequirement.objects
                              .select_related("item", "item__department")
                              .filter(item__department__code=code, order__gte=order)
                              .annotate(twice=F("order") * 2).order_by("order"))


@pytest.fixture
def zone_case(make_user):
    from onewindow.cases.models import Case

    item = ServiceItemFactory()
    applicant = make_user(role="applicant")
    return Case.objects.create(item=item, department=item.department, applicant=applicant,
                               filed_by=applicant)


@pytest.fixture
def items():
    dept = DepartmentFactory(code="zjj", name="住建局")
    first = ServiceItemFactory(name="施工许可", department=dept)
    for order in (3, 1, 2):
        MaterialRequirementFactory(item=first, name=f"材料{order}", order=order)
    MaterialRequirementFactory(item=ServiceItemFactory(), name="别处的", order=5)
    return first


def test_prepared_gives_the_orm_instances_with_related_objects_and_annotations(items):
    expected = list(MaterialRequirement.objects.select_related("item", "item__department")
                    .filter(item__department__code="zjj", order__gte=2).order_by("order"))
    got = BY_DEPARTMENT_CODE.all("zjj", 2)
    assert got == expected and [m.name for m in got] == ["材料2", "材料3"]
    with CaptureQueriesContext(connection) as captured:  # related objects came with the row
        assert [(m.item.name, m.item.department.name, m.twice) for m in got] == [
            ("施工许可", "住建局", 4), ("施工许可", "住建局", 6)]
    assert captured.captured_queries == []
    assert BY_DEPARTMENT_CODE.first("zjj", 3).name == "材料3"


def test_prepared_runs_later_calls_with_their_own_parameters(items):
    assert [m.order for m in BY_DEPARTMENT_CODE.all("zjj", 1)] == [1, 2, 3]
    assert BY_DEPARTMENT_CODE.all("zjj", 4) == []
    assert BY_DEPARTMENT_CODE.first("nobody", 1) is None
    assert [m.name for m in BY_DEPARTMENT_CODE.all(items.department.code, 3)] == ["材料3"]


def test_prepared_refuses_a_parameter_that_does_not_reach_the_sql_as_given(items):
    contains = Prepared(lambda name: ServiceItem.objects.filter(name__contains=name))
    with pytest.raises(ValueError, match="Prepared"):
        contains.all("施工")
    with pytest.raises(TypeError):
        Prepared(lambda flag: ServiceItem.objects.filter(instant_approval=flag)).all(True)


@pytest.mark.django_db(transaction=True)
def test_prepared_lock_outside_a_transaction_is_refused_as_the_orm_does():
    locking = Prepared(lambda pk: ServiceItem.objects.select_for_update().filter(pk=pk))
    item = ServiceItemFactory()
    with transaction.atomic():
        assert locking.first(item.pk) == item  # compiled here
    with pytest.raises(TransactionManagementError):
        locking.first(item.pk)


def test_save_fields_writes_only_the_named_fields_and_fills_auto_now(items):
    stale = ServiceItem.objects.get(pk=items.pk)
    stale.name, stale.promised_limit = "改名", 9
    ServiceItem.objects.filter(pk=items.pk).update(legal_limit=20)
    before = stale.updated_at
    save_fields(stale, ["name", "updated_at"])
    fresh = ServiceItem.objects.get(pk=items.pk)
    assert (fresh.name, fresh.promised_limit, fresh.legal_limit) == (
        "改名", items.promised_limit, 20)
    assert fresh.updated_at == stale.updated_at > before


def test_save_fields_of_a_row_gone_fails():
    item = ServiceItemFactory()
    ServiceItem.objects.filter(pk=item.pk).delete()
    item.name = "已删"
    with pytest.raises(DatabaseError):
        save_fields(item, ["name"])


def test_insert_all_inserts_in_one_statement_and_fills_keys_in_order(items):
    rows = [MaterialRequirement(item=items, name=f"新材料{i}", order=10 + i) for i in range(3)]
    with CaptureQueriesContext(connection) as captured:
        insert_all(rows)
    assert len(captured.captured_queries) == 1
    assert [MaterialRequirement.objects.get(pk=r.pk).name for r in rows] == [
        "新材料0", "新材料1", "新材料2"]
    assert not any(r._state.adding for r in rows)


def test_insert_all_fills_auto_now_and_keeps_json_as_given(zone_case):
    from onewindow.cases.models import CaseDocument

    payload = {"title": "引号\"与\\反斜杠", "facts": [["项目", "值"]]}
    document = CaseDocument(case=zone_case, kind="receipt", number="N-1", title="收件凭证",
                            verify_code="ABCDEFGH23", payload=payload)
    insert_all([document])
    stored = CaseDocument.objects.get(pk=document.pk)
    assert stored.payload == payload and stored.issued_at == document.issued_at is not None


def test_raw_first_of_splits_one_row_into_its_models(items):
    department = items.department
    sql = ("SELECT i.*, 7 AS seven, d.id AS d__id, d.code AS d__code, 'x' AS d__extra "
           "FROM catalog_serviceitem i LEFT JOIN accounts_department d "
           "ON d.id = i.department_id AND d.code = %s WHERE i.id = %s")
    from onewindow.accounts.models import Department

    parts = ((ServiceItem, ""), (Department, "d__"))
    item, dept = raw_first_of(parts, sql, [department.code, items.pk])
    assert (item.pk, item.name, item.seven) == (items.pk, "施工许可", 7)
    assert (dept.pk, dept.code, dept.extra) == (department.pk, "zjj", "x")
    assert not hasattr(item, "d__code") and not hasattr(item, "extra")
    with CaptureQueriesContext(connection) as captured:
        assert dept.name == "住建局"  # left out of the statement: deferred, loaded on touch
    assert len(captured.captured_queries) == 1
    item, dept = raw_first_of(parts, sql, ["nowhere", items.pk])  # the outer join found none
    assert item.pk == items.pk and dept is None
    assert raw_first_of(parts, sql, [department.code, 987654]) is None  # no row at all


def test_known_empty_reads_nothing_but_filters_and_writes_still_go_to_the_database(
        items, django_assert_num_queries):
    fresh = ServiceItem.objects.get(pk=items.pk)
    known_empty(fresh, "materials")
    with django_assert_num_queries(0):
        assert list(fresh.materials.all()) == [] and fresh.materials.count() == 0
    # What prefetch_related's cache does too: anything more than reading it asks the database.
    assert fresh.materials.filter(order__gte=2).count() == 2
    assert fresh.materials.filter(order=1).update(name="改名") == 1
    assert ServiceItem.objects.get(pk=items.pk).materials.count() == 3  # only this instance


def test_raw_first_builds_the_instance_the_orm_builds(zone_case):
    from onewindow.cases.models import Case

    sql = "SELECT id, number, state, item_id, form_data, created_at FROM cases_case WHERE id = %s"
    Case.objects.filter(pk=zone_case.pk).update(number="GX2026000042", form_data={"a": [1]})
    mine, orm = raw_first(Case, sql, [zone_case.pk]), Case.objects.get(pk=zone_case.pk)
    assert not mine._state.adding and mine._state.db == orm._state.db
    for name in ("pk", "number", "state", "item_id", "form_data", "created_at"):
        assert getattr(mine, name) == getattr(orm, name), name
    assert mine.get_deferred_fields() == {f.attname for f in Case._meta.concrete_fields} - {
        "id", "number", "state", "item_id", "form_data", "created_at"}
    assert mine.item == orm.item  # the foreign key resolves
    with CaptureQueriesContext(connection) as captured:
        assert mine.applicant_id == orm.applicant_id  # deferred: loaded on touch
    assert len(captured.captured_queries) == 1
    mine.number = "GX2026000043"
    mine.save(update_fields=["number"])
    assert Case.objects.get(pk=zone_case.pk).number == "GX2026000043"
