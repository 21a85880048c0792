"""The demo zone's bundles (core/demo_data/bundles.json) make the one form they promise."""

import pytest
from django.db import transaction

from onewindow.cases.selectors_bundles import bundle_form_spec
from onewindow.catalog.models import Bundle
from onewindow.core.seeding import seed_demo


@pytest.fixture(scope="module")
def demo_catalog(django_db_setup, django_db_blocker):
    """Seed the catalog once for the module; everything is rolled back at the end."""
    with django_db_blocker.unblock(), transaction.atomic():
        seed_demo(with_users=False)
        yield
        transaction.set_rollback(True)


@pytest.fixture
def demo(demo_catalog, db):
    return {b.code: b for b in Bundle.objects.all()}


def _slot(spec, name):
    return next(s for s in spec.slots if s.name == name)


def _items(spec, *positions):
    """The bundle's items at these places of bundles.json's list."""
    return [spec.entries[p].item for p in positions]


def test_demo_construction_start_one_form_asks_the_planning_permit_once(demo):
    spec = bundle_form_spec(demo["construction-start"])
    assert len(spec.entries) == 8 and len(spec.optional) == 2
    planning = _slot(spec, "建设工程规划许可证")
    # construction-permit, fire-design-review, construction-waste, civil-air-defence-review
    assert planning.asked and planning.items == _items(spec, 0, 1, 2, 5)
    assert planning.other_names == ["建设工程规划许可证明文件"]
    assert [s.name for s in spec.asked].count("建设工程规划许可证") == 1


def test_demo_construction_start_permit_is_provided_to_the_optional_items(demo):
    spec = bundle_form_spec(demo["construction-start"])
    # construction-permit produces what road-occupation and night-construction need
    assert [(s.name, s.provided_by, s.items) for s in spec.provided] == [
        ("建筑工程施工许可证或有关批准文件", *_items(spec, 0), _items(spec, 6, 7))]
    assert _slot(spec, "建筑工程施工许可证或有关批准文件").other_names == ["建筑工程施工许可证"]
    assert bundle_form_spec(demo["construction-start"], optional_item_ids=[]).provided == []


def test_demo_municipal_utilities_road_consent_is_provided_by_the_excavation_permit(demo):
    spec = bundle_form_spec(demo["municipal-utilities"])
    assert len(spec.entries) == 12
    # road-excavation produces what road-traffic-review needs; drainage-connection's permit
    # comes from drainage-permit, which is not in this bundle: still asked
    assert [(s.name, s.provided_by, s.items) for s in spec.provided] == [
        ("道路主管部门同意意见", *_items(spec, 7), _items(spec, 9))]
    assert _slot(spec, "城镇污水排入排水管网许可证").asked


def test_demo_municipal_bundle_asks_the_applicants_licence_once(demo):
    spec = bundle_form_spec(demo["municipal-utilities"])
    licence = [s for s in spec.asked if "主体资格证明" in s.name]
    assert [s.name for s in licence] == ["申请人主体资格证明（营业执照或身份证件）"]
    assert len(licence[0].items) >= 5
