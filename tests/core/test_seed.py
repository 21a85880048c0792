"""`onewindow seed`: the demo zone's catalog, organisations and logins, and seeding twice."""

import datetime as dt

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from stdnum.cn import ric, uscc

from onewindow.accounts.enums import HallLevel, Role
from onewindow.accounts.models import (
    Department,
    Enterprise,
    EnterpriseMembership,
    ServiceHall,
    User,
    Window,
)
from onewindow.audit.models import AuditEvent
from onewindow.catalog.enums import CaseType, LimitUnit, MaterialSource
from onewindow.catalog.models import (
    Bundle,
    BundleItem,
    LifeEvent,
    MaterialRequirement,
    ProcessStep,
    ServiceItem,
)
from onewindow.core.seeding import DEMO_PASSWORD, seed_demo

# The items the zone's news names (domain/catalog.md), as they are called in the catalog.
NAMED_ITEMS = [
    "建筑工程施工许可证核发",
    "消防设计审查",
    "建筑垃圾处置核准",
    "污水排入排水管网许可证核发",
    "企业投资项目备案",
    "企业设立登记",
    "食品经营许可",
    "特种设备使用登记",
    "公章刻制",
]
SEEDED_MODELS = [
    Department, ServiceHall, Window, Enterprise, User, EnterpriseMembership, LifeEvent,
    ServiceItem, MaterialRequirement, ProcessStep, Bundle, BundleItem, AuditEvent,
]


@pytest.fixture(scope="module")
def first_run(django_db_setup, django_db_blocker):
    """Seed once for the module; everything is rolled back at the end."""
    with django_db_blocker.unblock(), transaction.atomic():
        report = seed_demo(with_users=True)
        yield report
        transaction.set_rollback(True)


@pytest.fixture
def seeded(first_run, db):
    return first_run


def snapshot() -> dict:
    counts = {model._meta.label: model.objects.count() for model in SEEDED_MODELS}
    stamps = dict(ServiceItem.objects.values_list("implementation_code", "updated_at"))
    return {"counts": counts, "updated_at": stamps}


def test_seed_first_run_creates_and_audits_each_object(seeded):
    assert seeded.created["catalog.ServiceItem"] >= 60
    assert seeded.audit_events == AuditEvent.objects.filter(note="onewindow seed").count()
    item = ServiceItem.objects.get(name="建筑工程施工许可证核发")
    event = AuditEvent.objects.for_object(item).get()
    assert event.action == "seed_create"
    assert any("材料" in change for change in event.new_value["changes"])


def test_seed_second_run_writes_nothing(seeded):
    before = snapshot()
    with CaptureQueriesContext(connection) as queries:
        report = seed_demo(with_users=True)
    writes = [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(
        ("INSERT", "UPDATE", "DELETE"))]
    assert writes == []
    assert not report.changed
    assert report.audit_events == 0
    assert snapshot() == before


def test_seed_catalog_has_at_least_60_items_in_10_departments(seeded):
    assert ServiceItem.objects.filter(is_published=True).count() >= 60
    departments_with_items = Department.objects.filter(items__isnull=False).distinct()
    assert departments_with_items.count() >= 10
    assert set(Department.objects.values_list("short_name", flat=True)) >= {
        "行政审批局", "市场监管局", "住建局", "自然资源局", "生态环境分局", "城管局", "经发局",
        "公安分局", "应急局", "人社局", "税务局", "科创局", "消防救援大队", "供水", "供电",
    }


@pytest.mark.parametrize("name", NAMED_ITEMS)
def test_seed_named_item_present(seeded, name):
    item = ServiceItem.objects.filter(name__contains=name).first()
    assert item is not None, name
    assert item.materials.count() >= 3
    assert item.legal_basis


def test_seed_project_filing_is_instant(seeded):
    item = ServiceItem.objects.get(name="企业投资项目备案")
    assert item.instant_approval is True
    assert item.case_type == CaseType.ON_THE_SPOT
    assert item.department.short_name == "经发局"
    assert [s.limit_days for s in item.steps.all()] == [0, 0]


def test_seed_construction_permit_realistic(seeded):
    item = ServiceItem.objects.get(name="建筑工程施工许可证核发")
    assert (item.legal_limit, item.promised_limit) == (7, 2)
    assert "《中华人民共和国建筑法》第八条" in item.legal_limit_note
    assert item.department.short_name == "住建局"
    planning = item.materials.get(name="建设工程规划许可证")
    assert planning.source == MaterialSource.PRODUCED
    assert planning.produced_by.name == "建设工程规划许可证核发"
    assert item.materials.filter(tolerance_allowed=True).exists()
    assert "政务服务中心" in item.where_to_apply


def test_seed_fire_design_review_belongs_to_housing(seeded):
    item = ServiceItem.objects.get(name="建设工程消防设计审查")
    assert item.department.short_name == "住建局"
    assert item.legal_limit == 15


@pytest.mark.parametrize(
    ("code", "count", "promised"),
    [("construction-start", 8, 2), ("municipal-utilities", 12, 5)],
)
def test_seed_bundle_items_and_limits(seeded, code, count, promised):
    bundle = Bundle.objects.get(code=code)
    assert bundle.items.count() == count
    assert bundle.promised_limit_days == promised
    assert (bundle.legal_limit_days, bundle.legal_extension_days) == (45, 15)
    assert bundle.items.values("department").distinct().count() >= 3
    for item in bundle.items.filter(promised_limit_unit=LimitUnit.WORKING_DAY):
        assert item.promised_limit <= promised, item.name


def test_seed_utilities_bundle_covers_every_connection(seeded):
    names = " ".join(Bundle.objects.get(code="municipal-utilities")
                     .items.values_list("name", flat=True))
    for word in ("用水", "用电", "用气", "供热", "通信", "挖掘城市道路", "城市绿地"):
        assert word in names


def test_seed_items_are_consistent(seeded):
    for item in ServiceItem.objects.prefetch_related("materials", "steps"):
        materials = list(item.materials.all())
        assert 3 <= len(materials) <= 8, item.name
        assert len(item.basic_code) == 12, item.name
        assert uscc.is_valid(item.implementation_code.split("-")[3]), item.name
        if item.case_type == CaseType.PROMISED:
            assert item.promised_limit is not None, item.name
        if item.legal_limit is not None and item.legal_limit_unit == item.promised_limit_unit:
            assert item.promised_limit <= item.legal_limit, item.name
        if item.promised_limit_unit == LimitUnit.WORKING_DAY:
            assert sum(s.limit_days for s in item.steps.all()) <= item.promised_limit, item.name
        for material in materials:
            if material.source == MaterialSource.PRODUCED:
                assert material.produced_by is not None, (item.name, material.name)


def test_seed_life_events_group_items(seeded):
    for name in ("开办企业", "项目建设", "经营许可", "变更注销", "人才就业", "市政公用"):
        assert LifeEvent.objects.get(name=name).items.count() >= 3, name


def test_seed_halls_follow_1_x_n(seeded):
    levels = [h.level for h in ServiceHall.objects.all()]
    assert levels.count(HallLevel.CENTER) == 1
    assert levels.count(HallLevel.HALL) >= 2
    assert levels.count(HallLevel.HELP_POINT) >= 2
    assert ServiceHall.objects.get(level=HallLevel.CENTER).offers_after_hours
    kinds = set(Window.objects.values_list("kind", flat=True))
    assert kinds == {"general", "specialist", "help", "self_service"}


def test_seed_enterprises_have_valid_usccs(seeded):
    enterprises = list(Enterprise.objects.all())
    assert 3 <= len(enterprises) <= 5
    assert all(uscc.is_valid(e.uscc) for e in enterprises)
    assert sum(e.is_blacklisted for e in enterprises) == 1


def test_seed_every_role_has_a_user(seeded):
    for role in Role.values:
        assert User.objects.filter(role=role).exists(), role
    applicant = User.objects.get(username="applicant")
    assert applicant.memberships.get().capacity == EnterpriseMembership.Capacity.HANDLER
    person = User.objects.get(username="person")
    assert ric.is_valid(person.ric)
    assert applicant.check_password(DEMO_PASSWORD)


def test_seed_admin_accounts_have_their_permissions(seeded):
    catalog_admin = User.objects.get(username="catalogadmin")
    assert catalog_admin.is_staff and not catalog_admin.is_superuser
    assert catalog_admin.has_perm("catalog.change_serviceitem")
    assert catalog_admin.has_perm("catalog.add_bundle")
    assert not catalog_admin.has_perm("accounts.change_user")
    admin = User.objects.get(username="admin")
    assert admin.is_staff and admin.is_superuser
    clerk = User.objects.get(username="clerk")
    assert not clerk.is_staff
    assert clerk.window.hall.level == HallLevel.CENTER


def test_seed_restores_changed_item_and_records_update(seeded):
    item = ServiceItem.objects.get(name="食品经营许可")
    other = ServiceItem.objects.get(name="企业设立登记")
    other_stamp = other.updated_at
    ServiceItem.objects.filter(pk=item.pk).update(promised_limit=9, summary="改过的简介")
    item.materials.filter(name="食品经营许可申请书").delete()

    report = seed_demo(with_users=True)

    item.refresh_from_db()
    assert item.promised_limit == 3
    assert item.materials.filter(name="食品经营许可申请书").exists()
    assert report.updated == {"catalog.ServiceItem": 1}
    assert report.created == {"catalog.MaterialRequirement": 1}
    event = AuditEvent.objects.for_object(item).last()
    assert event.action == "seed_update"
    assert event.old_value["promised_limit"] == 9
    assert event.new_value["promised_limit"] == 3
    other.refresh_from_db()
    assert other.updated_at == other_stamp


def test_seed_never_resets_a_changed_password(seeded):
    user = User.objects.get(username="approver")
    user.set_password("Another#Secret-2026")
    user.save()

    report = seed_demo(with_users=True)

    user.refresh_from_db()
    assert user.check_password("Another#Secret-2026")
    assert not user.check_password(DEMO_PASSWORD)
    assert not report.changed


def test_seed_keeps_links_added_by_hand(seeded):
    item = ServiceItem.objects.get(name="诊所备案")
    theme = LifeEvent.objects.get(slug="talent-employment")
    item.life_events.add(theme)

    seed_demo(with_users=True)

    assert item.life_events.filter(pk=theme.pk).exists()


def test_seed_enters_next_year_as_provisional_once(db):
    from onewindow.core.seeding.runner import seed_demo
    from onewindow.workdays.models import CalendarYear
    from onewindow.workdays.selectors import add_working_days

    seed_demo(with_users=False)
    year = CalendarYear.objects.order_by("-year").first()
    assert year.year == dt.date.today().year + 1
    assert year.status == "provisional"
    deadline = add_working_days(dt.date(year.year - 1, 12, 28), 5)
    assert deadline.provisional and deadline.date.year == year.year
    assert seed_demo(with_users=False).provisional_year is None
    assert CalendarYear.objects.filter(year__gt=year.year).count() == 0


def test_seed_makes_demo_cases_once_through_the_services(seeded):
    from onewindow.audit.selectors import audit_verify
    from onewindow.cases.models import Case
    from onewindow.core.seeding.runner import seed_demo

    assert seeded.demo_cases == 4
    states = set(Case.objects.values_list("state", flat=True))
    assert states == {"submitted", "returned", "in_review", "delivered"}
    assert audit_verify()[1] is None
    assert seed_demo().demo_cases == 0
    assert Case.objects.count() == 4
