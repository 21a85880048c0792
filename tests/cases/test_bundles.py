"""Bundles (一件事): the one form, submission into parallel child cases, the parent's state.

The fixtures here are also used by `test_bundles_views.py`.
"""

import datetime as dt
import threading
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections, transaction
from django.urls import reverse

from onewindow.audit.selectors import audit_verify, events_for
from onewindow.cases import clocks, services
from onewindow.cases.enums import CaseState, DocumentKind
from onewindow.cases.errors import CaseBusy, CaseInputError
from onewindow.cases.models import Case, ProvidedMaterial
from onewindow.cases.selectors_bundles import (
    bundle_form_spec,
    case_display_title,
    provided_materials,
    provided_requirement_ids,
)
from onewindow.cases.services import bundles
from onewindow.cases.services.documents import document_revoke
from onewindow.workdays.selectors import add_working_days
from tests.cases.conftest import PDF, reload
from tests.factories import (
    BundleFactory,
    BundleItemFactory,
    DepartmentFactory,
    MaterialRequirementFactory,
    ServiceItemFactory,
    UserFactory,
    record_review,
)

pytestmark = pytest.mark.django_db

S = CaseState
FORM = {"title": "启明智能产业园一期", "contact_name": "李华", "contact_phone": "13812345678",
        "address": "高新区创新大道 100 号"}
KEY = "bundle-key-0000000001"
MONDAY = dt.date(2026, 3, 2)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture(autouse=True)
def spring(freeze_today):
    """A day whose 45 + 15 working days stay inside the years the test calendar covers."""
    freeze_today(MONDAY)


def _item(name, department, materials):
    item = ServiceItemFactory(name=name, department=department, legal_limit=20, promised_limit=2)
    for order, (material, required, produced_by) in enumerate(materials, start=1):
        MaterialRequirementFactory(item=item, name=material, order=order, required=required,
                                   produced_by=produced_by)
    return item


@pytest.fixture
def bz(zone):
    """The construction-start bundle in small: four items of three departments, a document
    two of them name differently but the same item produces, one document two of them share by
    name, and an optional item that needs what the first item produces."""
    lead = DepartmentFactory(code="sp", name="高新区行政审批局")
    housing = zone.dept
    fire = DepartmentFactory(code="xf", name="高新区消防救援大队")
    urban = DepartmentFactory(code="cg", name="高新区城市管理局")
    planning = ServiceItemFactory(name="建设工程规划许可证核发",
                                  department=DepartmentFactory(code="gh", name="高新区规划分局"))
    permit = _item("建筑工程施工许可证核发（一件事）", housing, [
        ("施工许可申请表", True, None), ("建设工程规划许可证", True, planning),
        ("用地批准手续", True, None), ("拆迁进度说明", False, None)])
    fire_review = _item("特殊建设工程消防设计审查", fire, [
        ("消防设计审查申请表", True, None), ("建设工程规划许可证明文件", True, planning),
        ("用地批准手续", True, None)])
    waste = _item("城市建筑垃圾处置核准", urban, [
        ("建筑垃圾处置方案", True, None), ("建设工程规划许可证", True, None)])
    night = _item("夜间施工许可", urban, [
        ("夜间施工申请表", True, None), ("建筑工程施工许可证", True, permit)])
    bundle = BundleFactory(code="construction-start", name="项目开工一件事", lead_department=lead,
                           promised_limit_days=2, legal_limit_days=45, legal_extension_days=15)
    for order, item in enumerate((permit, fire_review, waste, night), start=1):
        BundleItemFactory(bundle=bundle, item=item, order=order, is_optional=item == night)
    staff = {}
    for dept in (lead, housing, fire, urban):
        staff[dept.pk] = (UserFactory(role="reviewer", department=dept),
                          UserFactory(role="approver", department=dept))
    return type("BundleZone", (), {
        "zone": zone, "bundle": bundle, "lead": lead, "housing": housing, "fire": fire,
        "urban": urban, "planning": planning, "permit": permit, "fire_review": fire_review,
        "waste": waste, "night": night, "staff": staff, "applicant": zone.applicant,
        "enterprise": zone.enterprise, "clerk": zone.clerk})


def pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(f"{name}.pdf", PDF + name.encode())


def start_bundle(bz, *, optional=(), key=KEY):
    """A draft with the optional choice saved and every required document uploaded."""
    parent = bundles.bundle_create_draft(actor=bz.applicant, bundle=bz.bundle,
                                         enterprise=bz.enterprise, idempotency_key=key)
    bundles.bundle_update_draft(actor=bz.applicant, case_id=parent.pk,
                                form_data={**FORM, "optional_items": [i.pk for i in optional]})
    spec = bundle_form_spec(bz.bundle, optional_item_ids=[i.pk for i in optional])
    for slot in spec.asked:
        if slot.required:
            bundles.bundle_material_upload(actor=bz.applicant, case_id=parent.pk,
                                           requirement_id=slot.key, uploaded_file=pdf(slot.name))
    return parent


def submit_bundle(bz, *, optional=(), key=KEY):
    start_bundle(bz, optional=optional, key=key)
    return bundles.bundle_submit(
        actor=bz.applicant, bundle=bz.bundle, enterprise=bz.enterprise,
        form_data={**FORM, "optional_items": [i.pk for i in optional]}, idempotency_key=key)


def child_of(parent, item) -> Case:
    return parent.children.get(item=item)


def refreshed(parent) -> Case:
    """What the lead's hook in `core.transition` will do after every child move."""
    return bundles.bundle_refresh_parent(parent_id=parent.pk)


def ready_to_decide(bz, child):
    """Accept `child`, start its review and record its department's opinion; its approver."""
    reviewer, approver = bz.staff[child.department_id]
    services.case_accept(actor=bz.clerk, case_id=child.pk)
    refreshed(child.parent)
    services.case_start_review(actor=reviewer, case_id=child.pk)
    record_review(reviewer, child.pk)
    refreshed(child.parent)
    return approver


def finish(bz, child, *, decision="approved", reason=""):
    """Take a child from submitted to completed, refreshing the parent after each move."""
    approver = ready_to_decide(bz, child)
    services.case_decide(actor=approver, case_id=child.pk, decision=decision, reason=reason)
    refreshed(child.parent)
    services.case_complete(actor=bz.clerk, case_id=child.pk)
    return refreshed(child.parent)


# --- the one form ------------------------------------------------------------------------------

def test_bundle_form_spec_asks_a_shared_field_once(bz):
    spec = bundle_form_spec(bz.bundle)
    assert [f.name for f in spec.fields] == ["title", "contact_name", "contact_phone", "address"]
    every_item = (bz.permit, bz.fire_review, bz.waste, bz.night)
    assert all(f.items == every_item for f in spec.fields)


def test_bundle_form_spec_unions_item_specific_fields_by_name(bz):
    from django import forms

    extra = {bz.permit.pk: {"land_no": forms.CharField(label="土地证号")},
             bz.fire_review.pk: {"fire_area": forms.IntegerField(label="建筑面积"),
                                 "land_no": forms.CharField(label="土地证号（消防）")}}

    def fields_of(item):
        return {"title": forms.CharField(label="项目名称"), **extra.get(item.pk, {})}

    spec = bundle_form_spec(bz.bundle, optional_item_ids=[], fields_of=fields_of)
    assert [(f.name, [i.name for i in f.items]) for f in spec.fields] == [
        ("title", [bz.permit.name, bz.fire_review.name, bz.waste.name]),
        ("land_no", [bz.permit.name, bz.fire_review.name]),
        ("fire_area", [bz.fire_review.name]),
    ]
    assert spec.fields[1].field.label == "土地证号"  # the first item's definition is asked
    assert spec.field_names_for(bz.waste) == ["title"]


def test_bundle_form_spec_asks_a_shared_material_once(bz):
    spec = bundle_form_spec(bz.bundle)
    asked = [(s.name, [i.name for i in s.items], s.required) for s in spec.asked]
    assert asked == [
        ("施工许可申请表", [bz.permit.name], True),
        # the same name, or the same producing item: one document
        ("建设工程规划许可证", [bz.permit.name, bz.fire_review.name, bz.waste.name], True),
        ("用地批准手续", [bz.permit.name, bz.fire_review.name], True),
        ("拆迁进度说明", [bz.permit.name], False),
        ("消防设计审查申请表", [bz.fire_review.name], True),
        ("建筑垃圾处置方案", [bz.waste.name], True),
        ("夜间施工申请表", [bz.night.name], True),
    ]
    planning = spec.asked[1]
    assert planning.other_names == ["建设工程规划许可证明文件"]
    assert sorted(r.item_id for r in planning.needed) == sorted(
        [bz.permit.pk, bz.fire_review.pk, bz.waste.pk])


def test_bundle_form_spec_does_not_ask_what_an_item_of_the_bundle_produces(bz):
    spec = bundle_form_spec(bz.bundle)
    assert [(s.name, s.provided_by, [i.name for i in s.items]) for s in spec.provided] == [
        ("建筑工程施工许可证", bz.permit, [bz.night.name])]
    assert "建筑工程施工许可证" not in [s.name for s in spec.asked]
    # produced by an item outside the bundle: still asked
    assert "建设工程规划许可证" in [s.name for s in spec.asked]


def test_bundle_form_spec_without_optional_item_leaves_out_its_materials(bz):
    spec = bundle_form_spec(bz.bundle, optional_item_ids=[])
    assert [e.item for e in spec.chosen] == [bz.permit, bz.fire_review, bz.waste]
    assert "夜间施工申请表" not in [s.name for s in spec.asked]
    assert spec.provided == []


def test_bundle_form_spec_asks_a_document_whose_producer_is_not_chosen(bz):
    producer = _item("临时占用城市道路许可", bz.urban, [("占道申请表", True, None)])
    consumer = _item("挖掘城市道路许可", bz.urban, [("占道许可决定书", True, producer)])
    bundle = BundleFactory(code="roads", lead_department=bz.lead)
    BundleItemFactory(bundle=bundle, item=consumer, order=1)
    BundleItemFactory(bundle=bundle, item=producer, order=2, is_optional=True)
    without = bundle_form_spec(bundle, optional_item_ids=[])
    assert [s.name for s in without.asked] == ["占道许可决定书"]
    with_it = bundle_form_spec(bundle, optional_item_ids=[producer.pk])
    assert [s.name for s in with_it.asked] == ["占道申请表"]
    assert [(s.name, s.provided_by) for s in with_it.provided] == [("占道许可决定书", producer)]


def test_bundle_material_upload_for_a_produced_document_refused(bz):
    parent = start_bundle(bz, optional=[bz.night])
    produced = bundle_form_spec(bz.bundle).provided[0]
    with pytest.raises(CaseInputError, match="不属于本次申请"):
        bundles.bundle_material_upload(actor=bz.applicant, case_id=parent.pk,
                                       requirement_id=produced.key,
                                       uploaded_file=pdf("施工许可证"))


# --- submission --------------------------------------------------------------------------------

def test_bundle_submit_creates_parent_and_children_routed_to_their_departments(bz):
    parent = submit_bundle(bz)
    assert parent.item_id is None and parent.bundle == bz.bundle
    assert parent.department == bz.lead and parent.state == S.SUBMITTED
    assert parent.number.startswith("GX") and len(parent.query_code) == 6
    assert (parent.promised_limit_days, parent.legal_limit_days) == (2, 45)
    assert parent.pre_review_due is None  # each part has its own pre-review clock
    children = list(parent.children.order_by("pk"))
    assert [c.item for c in children] == [bz.permit, bz.fire_review, bz.waste]
    assert [c.department for c in children] == [bz.housing, bz.fire, bz.urban]
    assert all(c.state == S.SUBMITTED and c.bundle == bz.bundle for c in children)
    assert all(c.pre_review_due is not None and c.enterprise == bz.enterprise for c in children)
    assert all(c.form_data == FORM for c in children)
    assert len({parent.number, *(c.number for c in children)}) == 4


def test_bundle_submit_attaches_a_shared_material_to_every_child_that_needs_it(bz):
    parent = submit_bundle(bz)
    parent_files = {m.requirement.name: m for m in parent.materials.all()}
    assert sorted(parent_files) == sorted(["施工许可申请表", "建设工程规划许可证", "用地批准手续",
                                           "消防设计审查申请表", "建筑垃圾处置方案"])
    planning = parent_files["建设工程规划许可证"]
    attached = {c.item_id: {m.requirement.name: m for m in c.materials.all()}
                for c in parent.children.all()}
    assert sorted(attached[bz.permit.pk]) == ["建设工程规划许可证", "施工许可申请表",
                                              "用地批准手续"]
    assert sorted(attached[bz.fire_review.pk]) == ["建设工程规划许可证明文件", "消防设计审查申请表",
                                                   "用地批准手续"]
    same = [attached[bz.permit.pk]["建设工程规划许可证"],
            attached[bz.fire_review.pk]["建设工程规划许可证明文件"],
            attached[bz.waste.pk]["建设工程规划许可证"]]
    assert {(m.file.name, m.sha256) for m in same} == {(planning.file.name, planning.sha256)}
    assert planning.file.name.startswith(f"cases/{parent.pk}/")


def test_bundle_submit_child_is_not_asked_what_its_sibling_produces(bz):
    parent = submit_bundle(bz, optional=[bz.night])
    night = child_of(parent, bz.night)
    assert night.state == S.SUBMITTED
    assert [m.requirement.name for m in night.materials.all()] == ["夜间施工申请表"]
    produced = night.item.materials.get(name="建筑工程施工许可证")
    assert provided_requirement_ids(night) == {produced.pk}
    assert provided_requirement_ids(child_of(parent, bz.permit)) == set()


def test_bundle_permit_certificate_is_attached_to_the_night_part_when_issued(bz):
    parent = submit_bundle(bz, optional=[bz.night])
    night, permit = child_of(parent, bz.night), child_of(parent, bz.permit)
    produced = night.item.materials.get(name="建筑工程施工许可证")
    waiting = provided_materials(night)[produced.pk]
    assert (waiting.producer_item, waiting.producer, waiting.document) == (bz.permit, permit, None)

    finish(bz, permit)
    certificate = permit.documents.get(kind=DocumentKind.CERTIFICATE)
    attached = night.provided_materials.get()
    assert (attached.requirement, attached.document) == (produced, certificate)
    assert provided_materials(night)[produced.pk].document == certificate
    event = events_for(night).get(action="case_material_provided")
    assert event.actor == bz.staff[bz.housing.pk][1]  # the approver whose decision issued it
    assert event.new_value == {"material": "建筑工程施工许可证", "document": certificate.number,
                               "from_case": permit.number}
    assert audit_verify()[1] is None
    # Nothing else receives it: the other parts do not need the permit.
    assert ProvidedMaterial.objects.count() == 1


def test_bundle_provided_certificate_revoked_shows_revoked_on_the_next_part(bz):
    parent = submit_bundle(bz, optional=[bz.night])
    night, permit = child_of(parent, bz.night), child_of(parent, bz.permit)
    finish(bz, permit)
    certificate = permit.documents.get(kind=DocumentKind.CERTIFICATE)
    document_revoke(actor=bz.staff[bz.housing.pk][1], document_id=certificate.pk,
                             reason="以欺骗手段取得")
    (provided,) = provided_materials(night).values()
    assert provided.revoked


def test_bundle_denied_part_attaches_nothing(bz):
    parent = submit_bundle(bz, optional=[bz.night])
    night, permit = child_of(parent, bz.night), child_of(parent, bz.permit)
    finish(bz, permit, decision="denied", reason="用地批准手续不全")
    assert reload(night).state == S.SUBMITTED  # the bundle's rule: the others continue
    assert not ProvidedMaterial.objects.exists()
    assert not events_for(night).filter(action="case_material_provided").exists()


def test_bundle_part_is_approved_only_on_its_siblings_result(bz):
    """The night part needs the construction permit, which the permit part produces: it may be
    reviewed meanwhile, denied, but not approved until the certificate is attached, nor on a
    revoked one."""
    parent = submit_bundle(bz, optional=[bz.night])
    night, permit = child_of(parent, bz.night), child_of(parent, bz.permit)
    approver = ready_to_decide(bz, night)
    with pytest.raises(CaseInputError, match="须待“建筑工程施工许可证核发（一件事）”办出有效证照"):
        services.case_decide(actor=approver, case_id=night.pk, decision="approved")
    assert reload(night).state == S.IN_REVIEW and not night.documents.filter(
        kind=DocumentKind.CERTIFICATE).exists()
    finish(bz, permit)
    certificate = permit.documents.get(kind=DocumentKind.CERTIFICATE)
    document_revoke(actor=bz.staff[bz.housing.pk][1], document_id=certificate.pk,
                    reason="以欺骗手段取得")
    with pytest.raises(CaseInputError, match="办出有效证照"):
        services.case_decide(actor=approver, case_id=night.pk, decision="approved")
    denied = services.case_decide(actor=approver, case_id=night.pk, decision="denied",
                                  reason="施工许可证已被撤销")
    assert denied.state == S.DECIDED


def test_bundle_part_approved_once_its_siblings_certificate_is_attached(bz):
    parent = submit_bundle(bz, optional=[bz.night])
    night, permit = child_of(parent, bz.night), child_of(parent, bz.permit)
    finish(bz, permit)
    approver = ready_to_decide(bz, night)
    approved = services.case_decide(actor=approver, case_id=night.pk, decision="approved")
    assert approved.decision == "approved"


def test_bundle_part_whose_producer_was_denied_is_told_none_will_come(bz):
    parent = submit_bundle(bz, optional=[bz.night])
    night, permit = child_of(parent, bz.night), child_of(parent, bz.permit)
    finish(bz, permit, decision="denied", reason="用地批准手续不全")
    approver = ready_to_decide(bz, night)
    with pytest.raises(CaseInputError, match="已结束办理，未办出本事项所需的证照"):
        services.case_decide(actor=approver, case_id=night.pk, decision="approved")


def test_bundle_withdrawn_part_receives_nothing(bz):
    parent = submit_bundle(bz, optional=[bz.night])
    night, permit = child_of(parent, bz.night), child_of(parent, bz.permit)
    services.case_withdraw(actor=bz.applicant, case_id=night.pk, reason="不再夜间施工")
    finish(bz, permit)
    assert permit.documents.filter(kind=DocumentKind.CERTIFICATE).exists()
    assert not ProvidedMaterial.objects.exists()


def test_bundle_submit_same_key_twice_gives_one_parent(bz):
    first = submit_bundle(bz)
    count = Case.objects.count()
    again = bundles.bundle_submit(actor=bz.applicant, bundle=bz.bundle, enterprise=bz.enterprise,
                                  form_data={**FORM, "optional_items": []}, idempotency_key=KEY)
    assert again.pk == first.pk
    assert Case.objects.count() == count == 4


def test_bundle_submit_in_one_call_with_files_is_idempotent(bz):
    spec = bundle_form_spec(bz.bundle, optional_item_ids=[])
    files = {s.key: pdf(s.name) for s in spec.asked if s.required}
    kwargs = {"actor": bz.applicant, "bundle": bz.bundle, "enterprise": bz.enterprise,
              "form_data": {**FORM, "optional_items": []}, "idempotency_key": "one-call-key-000001"}
    first = bundles.bundle_submit(uploads=files, **kwargs)
    again = bundles.bundle_submit(uploads={}, **kwargs)
    assert first.pk == again.pk and first.children.count() == 3
    assert Case.objects.filter(bundle=bz.bundle, item__isnull=True).count() == 1


def test_bundle_submit_with_missing_material_names_it_and_writes_nothing(bz):
    parent = bundles.bundle_create_draft(actor=bz.applicant, bundle=bz.bundle,
                                         enterprise=bz.enterprise, idempotency_key=KEY)
    spec = bundle_form_spec(bz.bundle, optional_item_ids=[])
    for slot in spec.asked:
        if slot.required and slot.name != "用地批准手续":
            bundles.bundle_material_upload(actor=bz.applicant, case_id=parent.pk,
                                           requirement_id=slot.key, uploaded_file=pdf(slot.name))
    with pytest.raises(CaseInputError, match="还缺少必要材料：用地批准手续"):
        bundles.bundle_submit(actor=bz.applicant, bundle=bz.bundle, enterprise=bz.enterprise,
                              form_data={**FORM}, idempotency_key=KEY)
    assert reload(parent).state == S.DRAFT and reload(parent).number is None
    assert not parent.children.exists()


def test_bundle_submit_without_a_material_the_window_obtains_itself(bz):
    from onewindow.catalog.enums import MaterialSource
    from onewindow.catalog.models import MaterialRequirement

    MaterialRequirement.objects.filter(name="用地批准手续").update(
        source=MaterialSource.SHARED)  # 部门共享获取: the guide says not to submit it
    spec = bundle_form_spec(bz.bundle, optional_item_ids=[])
    fetched = [slot for slot in spec.asked if slot.name == "用地批准手续"]
    assert fetched and all(s.fetched and not s.required for s in fetched)
    parent = submit_bundle(bz)  # uploads the required slots only: not that one
    assert reload(parent).state != S.DRAFT and parent.children.exists()


def test_bundle_submit_with_bad_field_names_it(bz):
    start_bundle(bz)
    with pytest.raises(CaseInputError, match="联系电话"):
        bundles.bundle_submit(actor=bz.applicant, bundle=bz.bundle, enterprise=bz.enterprise,
                              form_data={**FORM, "contact_phone": "12345"}, idempotency_key=KEY)


def test_bundle_submit_with_an_item_outside_the_bundle_as_optional_refused(bz):
    start_bundle(bz)
    with pytest.raises(CaseInputError, match="不属于本一件事"):
        bundles.bundle_submit(actor=bz.applicant, bundle=bz.bundle, enterprise=bz.enterprise,
                              form_data={**FORM, "optional_items": [bz.planning.pk]},
                              idempotency_key=KEY)


def test_bundle_submit_is_audited_and_the_chain_verifies(bz):
    parent = submit_bundle(bz)
    actions = [e.action for e in events_for(parent)]
    assert actions[0] == "case_create" and "case_bundle_submit" in actions
    child = child_of(parent, bz.fire_review)
    child_actions = [e.action for e in events_for(child)]
    assert child_actions[:2] == ["case_create", "case_bundle_link"]
    assert child_actions[-1] == "case_submit"
    assert audit_verify()[1] is None


def test_case_display_title_names_the_bundle_for_a_parent(bz):
    parent = submit_bundle(bz)
    assert case_display_title(parent) == f"{parent.number} 项目开工一件事"
    child = child_of(parent, bz.waste)
    assert case_display_title(child) == f"{child.number} 城市建筑垃圾处置核准"


# --- the parent follows its children -----------------------------------------------------------

def test_bundle_parent_clock_is_the_bundles_from_the_first_acceptance(bz, freeze_today):
    parent = submit_bundle(bz)
    assert clocks.clocks(parent) == []
    freeze_today(MONDAY + dt.timedelta(days=1))
    services.case_accept(actor=bz.clerk, case_id=child_of(parent, bz.fire_review).pk)
    parent = refreshed(parent)
    assert parent.state == S.IN_REVIEW
    accepted = MONDAY + dt.timedelta(days=1)
    assert parent.accepted_on == accepted
    assert parent.promised_due == add_working_days(accepted, 2).date
    assert parent.legal_due == add_working_days(accepted, 45).date
    assert [(c.name, c.limit) for c in clocks.clocks(parent)] == [("legal", 45), ("promised", 2)]


def test_bundle_extend_lengthens_the_legal_clock_once_up_to_the_bundles_extension(bz):
    parent = submit_bundle(bz)
    services.case_accept(actor=bz.clerk, case_id=child_of(parent, bz.permit).pk)
    refreshed(parent)
    approver = bz.staff[bz.lead.pk][1]
    with pytest.raises(CaseInputError, match="1至15"):
        bundles.bundle_extend(actor=approver, case_id=parent.pk, days=16, reason="需联合踏勘")
    parent = bundles.bundle_extend(actor=approver, case_id=parent.pk, days=15,
                                   reason="需联合踏勘")
    assert parent.legal_due == add_working_days(parent.accepted_on, 60).date
    assert [c.limit for c in clocks.clocks(parent) if c.name == "legal"] == [60]
    with pytest.raises(CaseInputError, match="已延长过一次"):
        bundles.bundle_extend(actor=approver, case_id=parent.pk, days=1, reason="再延")


def test_bundle_children_progress_independently(bz):
    parent = submit_bundle(bz)
    permit, fire_review, waste = (child_of(parent, i) for i in (bz.permit, bz.fire_review,
                                                                  bz.waste))
    services.case_accept(actor=bz.clerk, case_id=permit.pk)
    services.case_start_review(actor=bz.staff[bz.housing.pk][0], case_id=permit.pk)
    record_review(bz.staff[bz.housing.pk][0], permit.pk)
    services.case_claim(actor=bz.clerk, case_id=waste.pk)
    services.case_return(actor=bz.clerk, case_id=waste.pk, items=[(None, "处置方案未盖章")])
    parent = refreshed(parent)
    assert [reload(c).state for c in (permit, fire_review, waste)] == [
        S.IN_REVIEW, S.SUBMITTED, S.RETURNED]
    assert parent.state == S.IN_REVIEW


def test_bundle_clock_stands_still_while_every_open_part_waits_on_the_applicant(bz,
                                                                                freeze_today):
    """Two parts done on Monday, the third returned for correction: the bundle's 2-day clock
    stops until the applicant resubmits on Friday, and its due dates move by those 4 days."""
    from onewindow.cases import jobs
    from onewindow.cases.enums import ClockColour

    parent = submit_bundle(bz)
    permit, fire_review, waste = (child_of(parent, i) for i in (bz.permit, bz.fire_review,
                                                                  bz.waste))
    services.case_claim(actor=bz.clerk, case_id=fire_review.pk)
    services.case_return(actor=bz.clerk, case_id=fire_review.pk, items=[(None, "申请表未盖章")])
    finish(bz, permit)
    parent = finish(bz, waste)
    assert (parent.state, parent.accepted_on, parent.promised_due) == (
        S.IN_REVIEW, MONDAY, dt.date(2026, 3, 4))
    pause = parent.pauses.get()
    assert (pause.started_on, pause.ended_on) == (MONDAY, None)
    assert "特殊建设工程消防设计审查" in pause.reason

    freeze_today(dt.date(2026, 3, 5))  # Thursday: the promised due date has passed
    assert {c.colour for c in clocks.clocks(parent)} == {ClockColour.PAUSED}
    from onewindow.cases.views.bundles import _parent_context
    page = _parent_context(parent)
    assert page["next_step"].startswith("未办结的事项均在等待您补正")
    assert "未办结事项均在等待补正或特别程序，时限暂停计算" in [str(row["label"])
                                                 for row in page["timeline"]]
    jobs.tick()
    assert not parent.escalations.exists()

    freeze_today(dt.date(2026, 3, 6))  # Friday: fixed and resubmitted, with an office again
    services.case_submit(actor=bz.applicant, case_id=fire_review.pk)
    parent = reload(parent)
    assert parent.pauses.get().ended_on == dt.date(2026, 3, 6)
    assert parent.promised_due == dt.date(2026, 3, 10)  # Monday + 2, Tuesday to Friday out
    assert parent.legal_due == add_working_days(MONDAY, 45 + 4).date
    assert {c.colour for c in clocks.clocks(parent)} == {ClockColour.GREEN}
    actions = [e.action for e in events_for(parent)]
    assert actions.count("case_bundle_clock_paused") == 1
    assert actions.count("case_bundle_clock_resumed") == 1
    assert audit_verify()[1] is None


def test_bundle_clock_pauses_for_a_special_procedure_and_ends_when_the_waiting_part_goes(bz):
    """A part suspended (Art. 45) and another returned: paused as a special procedure. The
    returned part withdrawn, the suspended one resumed: the clock runs again."""
    parent = submit_bundle(bz)
    permit, fire_review, waste = (child_of(parent, i) for i in (bz.permit, bz.fire_review,
                                                                  bz.waste))
    reviewer = bz.staff[bz.housing.pk][0]
    services.case_accept(actor=bz.clerk, case_id=permit.pk)
    services.case_start_review(actor=reviewer, case_id=permit.pk)
    services.case_suspend(actor=reviewer, case_id=permit.pk, procedure="inspection",
                          reason="现场勘验")
    services.case_claim(actor=bz.clerk, case_id=fire_review.pk)
    services.case_return(actor=bz.clerk, case_id=fire_review.pk, items=[(None, "申请表未盖章")])
    parent = finish(bz, waste)
    assert parent.pauses.get().kind == "special_procedure"
    services.case_withdraw(actor=bz.applicant, case_id=fire_review.pk, reason="不再办理")
    assert reload(parent).pauses.get().ended_on is None  # the permit is still suspended
    services.case_resume(actor=reviewer, case_id=permit.pk)
    parent = reload(parent)
    assert parent.pauses.get().ended_on == MONDAY
    assert [e.action for e in events_for(parent) if "clock" in e.action] == [
        "case_bundle_clock_paused", "case_bundle_clock_resumed"]


def test_bundle_clock_runs_while_one_part_is_with_an_office(bz):
    parent = submit_bundle(bz)
    permit, fire_review, waste = (child_of(parent, i) for i in (bz.permit, bz.fire_review,
                                                                  bz.waste))
    services.case_claim(actor=bz.clerk, case_id=fire_review.pk)
    services.case_return(actor=bz.clerk, case_id=fire_review.pk, items=[(None, "申请表未盖章")])
    parent = finish(bz, permit)  # waste is still with the window: no pause
    assert parent.state == S.IN_REVIEW and not parent.pauses.exists()


def test_bundle_parent_completes_only_when_every_child_has(bz):
    parent = submit_bundle(bz)
    children = list(parent.children.order_by("pk"))
    for child in children[:-1]:
        parent = finish(bz, child)
        assert parent.state == S.IN_REVIEW
    parent = finish(bz, children[-1])
    assert parent.state == S.COMPLETED and parent.completed_at is not None
    for child in children[:-1]:
        services.case_deliver(actor=bz.clerk, case_id=child.pk, method="download")
        assert refreshed(parent).state == S.COMPLETED
    services.case_deliver(actor=bz.clerk, case_id=children[-1].pk, method="download")
    assert refreshed(parent).state == S.DELIVERED
    assert [e.action for e in events_for(parent)][-4:] == [
        "case_bundle_start_review", "case_bundle_decide", "case_bundle_complete",
        "case_bundle_deliver"]


def test_bundle_refresh_parent_twice_changes_nothing_more(bz):
    parent = submit_bundle(bz)
    services.case_accept(actor=bz.clerk, case_id=child_of(parent, bz.permit).pk)
    refreshed(parent)
    count = events_for(parent).count()
    assert refreshed(parent).state == S.IN_REVIEW
    assert events_for(parent).count() == count


def test_bundle_denied_child_others_continue_when_the_rule_says_so(bz):
    parent = submit_bundle(bz)
    permit, fire_review, waste = (child_of(parent, i) for i in (bz.permit, bz.fire_review,
                                                                  bz.waste))
    finish(bz, fire_review, decision="denied", reason="消防设计不符合国家工程建设消防技术标准")
    assert [reload(c).state for c in (permit, waste)] == [S.SUBMITTED, S.SUBMITTED]
    assert reload(fire_review).decision == "denied"
    parent = finish(bz, permit)
    assert parent.state == S.IN_REVIEW
    parent = finish(bz, waste)
    assert parent.state == S.COMPLETED


def test_bundle_denied_child_stops_the_others_when_the_rule_says_so(bz):
    bz.bundle.continue_on_denial = False
    bz.bundle.save()
    parent = submit_bundle(bz)
    permit, fire_review, waste = (child_of(parent, i) for i in (bz.permit, bz.fire_review,
                                                                  bz.waste))
    services.case_accept(actor=bz.clerk, case_id=permit.pk)
    services.case_start_review(actor=bz.staff[bz.housing.pk][0], case_id=permit.pk)
    record_review(bz.staff[bz.housing.pk][0], permit.pk)
    services.case_accept(actor=bz.clerk, case_id=fire_review.pk)
    services.case_start_review(actor=bz.staff[bz.fire.pk][0], case_id=fire_review.pk)
    record_review(bz.staff[bz.fire.pk][0], fire_review.pk)
    refreshed(parent)
    services.case_decide(actor=bz.staff[bz.fire.pk][1], case_id=fire_review.pk,
                         decision="denied", reason="消防设计不符合规范")
    parent = refreshed(parent)
    assert parent.state == S.TERMINATED
    assert reload(fire_review).state == S.DECIDED
    for child in (permit, waste):
        child = reload(child)
        assert child.state == S.TERMINATED
        assert "特殊建设工程消防设计审查" in child.ended_reason
        assert "不予许可：消防设计不符合规范" in child.ended_reason
        assert [e.action for e in events_for(child)][-1] == "case_terminate"
    assert parent.ended_reason == reload(permit).ended_reason
    assert [e.action for e in events_for(parent)][-1] == "case_bundle_terminate"
    assert audit_verify()[1] is None


def test_bundle_parent_terminated_when_no_part_could_be_done(bz):
    parent = submit_bundle(bz)
    for child in parent.children.all():
        services.case_claim(actor=bz.clerk, case_id=child.pk)
        services.case_offer_help(actor=bz.clerk, case_id=child.pk, reason_told="不属于本区管辖",
                                 help_offered="告知有权机关")
        services.case_not_accept(actor=bz.clerk, case_id=child.pk, reason="不属于本区管辖")
    parent = refreshed(parent)
    assert parent.state == S.TERMINATED
    assert parent.ended_reason == "本一件事的各事项均未能办结。"


def test_bundle_create_draft_for_foreign_enterprise_refused(bz):
    from onewindow.cases.errors import CaseForbidden

    with pytest.raises(CaseForbidden):
        bundles.bundle_create_draft(actor=bz.zone.stranger, bundle=bz.bundle,
                                    enterprise=bz.enterprise)


# --- bundles wired into the core: the parent follows, siblings provide, the applicant hears once --

def test_bundle_parent_follows_a_child_move_without_an_explicit_refresh(bz):
    parent = submit_bundle(bz)
    services.case_accept(actor=bz.clerk, case_id=child_of(parent, bz.waste).pk)
    assert reload(parent).state == S.IN_REVIEW


def test_bundle_child_returned_then_resubmitted_without_what_a_sibling_produces(bz):
    parent = submit_bundle(bz, optional=[bz.night])
    night = child_of(parent, bz.night)
    services.case_claim(actor=bz.clerk, case_id=night.pk)
    services.case_return(actor=bz.clerk, case_id=night.pk, items=[(None, "施工时段填写不清")])
    assert services.case_submit(actor=bz.applicant, case_id=night.pk).state == S.SUBMITTED


def test_bundle_part_notifications_name_the_bundles_number_to_the_applicant(bz):
    """The applicant was given one number; the department works on the part's own."""
    from onewindow.cases.models import Notification

    parent = submit_bundle(bz)
    permit = child_of(parent, bz.permit)
    services.case_accept(actor=bz.clerk, case_id=permit.pk)
    told = Notification.objects.get(case=permit, verb="accept", user=bz.applicant)
    assert told.title == f"{parent.number} 项目开工一件事·建筑工程施工许可证核发（一件事）"
    reviewer = bz.staff[bz.housing.pk][0]
    staff = Notification.objects.get(case=permit, verb="accept", user=reviewer)
    assert staff.title == f"{permit.number} 建筑工程施工许可证核发（一件事）"


def test_bundle_submit_tells_the_applicant_once_with_the_bundles_name(bz):
    from onewindow.cases.models import Notification

    parent = submit_bundle(bz)
    notes = Notification.objects.filter(case=parent, verb="bundle_submit")
    assert [(n.user, n.title) for n in notes] == [
        (bz.applicant, f"{parent.number} 项目开工一件事")]


# --- a parent has no item: every single-case page and endpoint copes with it ------------

def test_parent_applicant_pages_redirect_to_the_bundle_pages(client, bz):
    parent = submit_bundle(bz)
    client.force_login(bz.applicant)
    assert client.get(f"/cases/{parent.pk}/").url == f"/cases/bundles/{parent.pk}/"
    assert client.get(f"/cases/{parent.pk}/edit/").url == f"/cases/bundles/{parent.pk}/edit/"
    body = client.get("/cases/").content.decode()
    assert "项目开工一件事" in body


def test_parent_staff_page_redirects_and_queues_show_only_parts(client, bz):
    parent = submit_bundle(bz)
    client.force_login(bz.clerk)
    assert client.get(f"/work/cases/{parent.pk}/").url == f"/work/bundles/{parent.pk}/"
    queue = client.get("/work/").content.decode()
    assert parent.number not in queue.replace(f"{parent.number}-", "")  # parts may show it


def test_parent_in_api_list_named_after_the_bundle(client, bz):
    parent = submit_bundle(bz)
    client.force_login(bz.applicant)
    rows = client.get("/api/cases/").json()["items"]
    row = next(r for r in rows if r["id"] == parent.pk)
    assert row["item_id"] is None and row["item_name"] == "项目开工一件事"


def test_parent_cannot_take_a_single_case_upload(bz):
    parent = submit_bundle(bz)
    upload = SimpleUploadedFile("a.pdf", b"%PDF-1.4 x", content_type="application/pdf")
    with pytest.raises(CaseInputError, match="一件事"):
        services.case_material_upload(actor=bz.applicant, case_id=parent.pk,
                                      requirement_id=1, uploaded_file=upload)


@pytest.mark.django_db(transaction=True)
def test_stop_rule_refuses_at_once_while_a_part_it_ends_is_held(bz):
    """A part's mover holds the part and waits for the parent; the stop rule, holding the
    parent, must not wait for that part (a deadlock): it refuses at once, changes nothing, and
    succeeds when tried again."""
    if connection.vendor != "postgresql":
        pytest.skip("two real connections holding row locks: run on PostgreSQL")
    bz.bundle.continue_on_denial = False
    bz.bundle.save()
    parent = submit_bundle(bz)
    permit, fire_review = child_of(parent, bz.permit), child_of(parent, bz.fire_review)
    services.case_accept(actor=bz.clerk, case_id=fire_review.pk)
    services.case_start_review(actor=bz.staff[bz.fire.pk][0], case_id=fire_review.pk)
    record_review(bz.staff[bz.fire.pk][0], fire_review.pk)
    approver = bz.staff[bz.fire.pk][1]
    held, release = threading.Event(), threading.Event()

    def hold_the_permit_part():
        try:
            with transaction.atomic():
                Case.objects.select_for_update().get(pk=permit.pk)
                held.set()
                release.wait(15)
        finally:
            connections.close_all()

    holder = threading.Thread(target=hold_the_permit_part)
    holder.start()
    assert held.wait(10)
    try:
        started = time.monotonic()
        with pytest.raises(CaseBusy, match="其他事项正在办理中"):
            services.case_decide(actor=approver, case_id=fire_review.pk, decision="denied",
                                 reason="消防设计不符合规范")
        assert time.monotonic() - started < 5
    finally:
        release.set()
        holder.join(10)
    assert reload(fire_review).state == S.IN_REVIEW and reload(permit).state == S.SUBMITTED
    services.case_decide(actor=approver, case_id=fire_review.pk, decision="denied",
                         reason="消防设计不符合规范")
    assert reload(permit).state == S.TERMINATED
    assert audit_verify()[1] is None


def test_bundle_followed_by_its_query_code_names_the_bundle(client, bz):
    parent = submit_bundle(bz)
    response = client.post(reverse("cases:track"),
                           {"number": parent.number, "query_code": parent.query_code})
    page = response.content.decode()
    assert response.status_code == 200
    assert f"<dt>事项</dt><dd>{bz.bundle.name}</dd>" in page  # not an empty item name


def test_bundle_next_step_in_my_cases_speaks_of_the_bundle(client, bz):
    parent = submit_bundle(bz)
    client.force_login(bz.applicant)
    page = client.get(reverse("cases:mine")).content.decode()
    row = page[page.index(parent.number):]
    assert "各部门正在预审" in row[:row.index("</li>")]  # the bundle's step, not one item's


def test_staff_page_of_a_part_links_to_its_bundle(client, bz):
    parent = submit_bundle(bz)
    child = parent.children.first()
    client.force_login(bz.clerk)
    page = client.get(reverse("cases:staff_detail", args=[child.pk])).content.decode()
    assert f"本事项属于一件事（一件事编号 {parent.number}）" in page
    assert reverse("cases:bundle_staff_detail", args=[parent.pk]) in page
