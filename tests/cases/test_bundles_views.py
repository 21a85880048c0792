"""Bundle pages: the one form with each field and document once, htmx uploads, submission,
the parent case page with its parts, the staff summary, and who may see them."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from onewindow.cases import services
from onewindow.cases.enums import CaseState
from onewindow.cases.models import Case
from onewindow.cases.selectors_bundles import bundle_form_spec
from tests.cases import test_bundles as fixtures
from tests.cases.test_bundles import (
    FORM,
    KEY,
    child_of,
    finish,
    pdf,
    refreshed,
    start_bundle,
    submit_bundle,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

bz, media, spring = fixtures.bz, fixtures.media, fixtures.spring

EXE = b"MZ\x90\x00" + b"\x00" * 60


def body(response) -> str:
    return response.content.decode()


@pytest.fixture
def applicant(client, bz):
    client.force_login(bz.applicant)
    return client


def test_catalog_bundle_page_offers_one_form_application(client, bz):
    page = body(client.get(reverse("catalog:bundle", args=[bz.bundle.code])))
    assert "一表申请" in page
    assert reverse("cases:bundle_apply", args=[bz.bundle.code]) in page


def test_bundle_apply_page_offers_the_enterprise_and_starts_a_draft(applicant, bz):
    url = reverse("cases:bundle_apply", args=[bz.bundle.code])
    page = body(applicant.get(url))
    assert "项目开工一件事" in page and bz.enterprise.name in page
    response = applicant.post(url, {"applicant_as": str(bz.enterprise.pk),
                                    "idempotency_key": KEY})
    parent = Case.objects.get(bundle=bz.bundle, item__isnull=True)
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:bundle_edit", args=[parent.pk])
    assert parent.state == CaseState.DRAFT and parent.enterprise == bz.enterprise
    applicant.post(url, {"applicant_as": str(bz.enterprise.pk), "idempotency_key": KEY})
    assert Case.objects.filter(bundle=bz.bundle).count() == 1


def test_bundle_edit_page_asks_each_field_and_document_once(applicant, bz):
    parent = start_bundle(bz)
    page = body(applicant.get(reverse("cases:bundle_edit", args=[parent.pk])))
    assert page.count(">联系电话</label>") == 1
    assert "3 个事项共用" in page
    spec = bundle_form_spec(bz.bundle, optional_item_ids=[])
    assert page.count('class="material-row"') == len(spec.asked) == 6
    assert page.count("<strong>建设工程规划许可证</strong>") == 1
    assert ("用于：建筑工程施工许可证核发（一件事）、特殊建设工程消防设计审查、城市建筑垃圾处置核准"
            in page)
    assert "建设工程规划许可证明文件" in page  # the other name it goes by
    assert "办理结果自动提供" not in page  # the optional item that needs it is not chosen


def test_bundle_edit_choosing_the_optional_item_shows_what_is_provided(applicant, bz):
    parent = start_bundle(bz)
    url = reverse("cases:bundle_edit", args=[parent.pk])
    response = applicant.post(url, {**FORM, "optional_items": [str(bz.night.pk)]})
    assert response.status_code == 302
    page = body(applicant.get(url))
    assert "夜间施工申请表" in page
    assert ("建筑工程施工许可证</strong>：由本一件事中的「建筑工程施工许可证核发（一件事）」"
            "办理结果自动提供") in page


def test_bundle_upload_htmx_returns_the_row_uploaded(applicant, bz):
    parent = start_bundle(bz)
    slot = next(s for s in bundle_form_spec(bz.bundle, optional_item_ids=[]).asked
                if s.name == "拆迁进度说明")
    url = reverse("cases:bundle_upload", args=[parent.pk, slot.key])
    response = applicant.post(url, {"file": pdf("拆迁")}, HTTP_HX_REQUEST="true")
    page = body(response)
    assert response.status_code == 200
    assert f'id="material-{slot.key}"' in page and "已上传" in page and "拆迁.pdf" in page
    refused = applicant.post(url, {"file": SimpleUploadedFile("x.pdf", EXE)},
                             HTTP_HX_REQUEST="true")
    assert refused.status_code == 422 and "文件类型不符" in body(refused)


def test_bundle_submit_page_flow_shows_one_number_and_every_part(applicant, bz):
    parent = start_bundle(bz)
    response = applicant.post(reverse("cases:bundle_submit", args=[parent.pk]),
                              {**FORM, "optional_items": []})
    parent.refresh_from_db()
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:bundle_detail", args=[parent.pk])
    assert parent.state == CaseState.SUBMITTED and parent.children.count() == 3
    page = body(applicant.get(response["Location"]))
    assert parent.number in page and parent.query_code in page
    for child in parent.children.all():
        assert child.item.name in page and child.department.name in page
    assert "预审时限" in page  # each part's own clock
    assert "承诺 2 个工作日办结，法定时限 45 个工作日（可依法延长 15 个工作日）" in page
    again = applicant.post(reverse("cases:bundle_submit", args=[parent.pk]), FORM)
    assert again.status_code == 302 and parent.children.count() == 3


def test_bundle_submit_page_missing_material_keeps_the_draft(applicant, bz):
    parent = Case.objects.get(pk=start_bundle(bz).pk)
    parent.materials.update(superseded_at=parent.created_at)  # as if nothing were uploaded
    response = applicant.post(reverse("cases:bundle_submit", args=[parent.pk]), FORM)
    assert response.status_code == 422
    assert "还缺少必要材料" in body(response)
    parent.refresh_from_db()
    assert parent.state == CaseState.DRAFT and parent.form_data["title"] == FORM["title"]


def test_bundle_detail_shows_a_denied_part_with_its_reason(applicant, bz):
    parent = submit_bundle(bz)
    finish(bz, child_of(parent, bz.fire_review), decision="denied",
           reason="消防设计不符合国家工程建设消防技术标准")
    page = body(applicant.get(reverse("cases:bundle_detail", args=[parent.pk])))
    assert "不予许可：消防设计不符合国家工程建设消防技术标准" in page
    assert "其余事项继续办理" in page
    assert "法定时限" in page and "承诺时限" in page  # the bundle's clocks have started


def test_bundle_pages_of_another_applicant_are_404(client, bz):
    parent = submit_bundle(bz, key="another-key-000000001")
    draft = start_bundle(bz)
    client.force_login(bz.zone.stranger)
    slot = bundle_form_spec(bz.bundle, optional_item_ids=[]).asked[0]
    assert client.get(reverse("cases:bundle_detail", args=[parent.pk])).status_code == 404
    assert client.get(reverse("cases:bundle_edit", args=[draft.pk])).status_code == 404
    upload = client.post(reverse("cases:bundle_upload", args=[draft.pk, slot.key]),
                         {"file": pdf("x")})
    assert upload.status_code == 404
    assert client.post(reverse("cases:bundle_submit", args=[draft.pk]), FORM).status_code == 404
    assert Case.objects.get(pk=draft.pk).state == CaseState.DRAFT


def test_bundle_detail_of_a_single_item_case_is_404(applicant, bz, submitted):
    assert applicant.get(reverse("cases:bundle_detail", args=[submitted.pk])).status_code == 404


def test_bundle_staff_summary_links_each_part_to_its_staff_page(client, bz):
    parent = submit_bundle(bz)
    services.case_accept(actor=bz.clerk, case_id=child_of(parent, bz.permit).pk)
    refreshed(parent)
    client.force_login(bz.clerk)
    page = body(client.get(reverse("cases:bundle_staff_detail", args=[parent.pk])))
    for child in parent.children.all():
        assert reverse("cases:staff_detail", args=[child.pk]) in page
        assert child.department.name in page
    assert "一表提交" in page and "一件事开始计时" in page
    assert "承诺" in page and "法定" in page


def test_bundle_staff_summary_for_the_lead_reviewer_does_not_link_other_departments(client, bz):
    parent = submit_bundle(bz)
    client.force_login(bz.staff[bz.lead.pk][0])
    page = body(client.get(reverse("cases:bundle_staff_detail", args=[parent.pk])))
    assert parent.number in page
    for child in parent.children.all():
        assert reverse("cases:staff_detail", args=[child.pk]) not in page


def test_bundle_staff_summary_refused_to_applicant_and_other_department(client, bz):
    parent = submit_bundle(bz)
    url = reverse("cases:bundle_staff_detail", args=[parent.pk])
    client.force_login(bz.applicant)
    assert client.get(url).status_code == 404
    client.force_login(UserFactory(role="reviewer", department=bz.fire))
    assert client.get(url).status_code == 404


def test_night_part_pages_show_the_permit_as_provided_then_its_certificate(client, bz):
    parent = submit_bundle(bz, optional=[bz.night])
    night, permit = child_of(parent, bz.night), child_of(parent, bz.permit)
    night_reviewer = bz.staff[bz.urban.pk][0]
    staff_url = reverse("cases:staff_detail", args=[night.pk])
    client.force_login(night_reviewer)
    page = body(client.get(staff_url))
    assert "由本一件事中的「建筑工程施工许可证核发（一件事）」办理结果提供" in page
    assert "尚未办出" in page

    finish(bz, permit)
    certificate = permit.documents.get(kind="certificate")
    for user, url in ((night_reviewer, staff_url),
                      (bz.applicant, reverse("cases:detail", args=[night.pk]))):
        client.force_login(user)
        page = body(client.get(url))
        assert certificate.number in page and "已提供" in page
        # Linked to its public verification page: the night department may not open the
        # permit's case, but anyone may verify the certificate.
        assert reverse("cases:verify", args=[certificate.verify_code]) in page
    client.force_login(bz.applicant)
    assert "其他事项办出的证照作为材料提供" in body(
        client.get(reverse("cases:detail", args=[night.pk])))


# --- a bundle's parent is acted on through its parts -----------------------------------------

def test_parent_through_the_single_case_api_is_shown_and_not_acted_on(client, bz):
    """The API lists the parent: its page answers (it has no materials of its own), and the
    single-case acts on it are refused with the reason and change nothing."""
    from onewindow.accounts.services import api_token_create

    def auth(user):
        return {"HTTP_AUTHORIZATION": "Bearer " + api_token_create(
            actor=None, owner=user, name="测试")[1]}

    parent = submit_bundle(bz)
    before = Case.objects.get(pk=parent.pk).state
    shown = client.get(f"/api/cases/{parent.pk}", **auth(bz.applicant))
    assert shown.status_code == 200 and shown.json()["requirements"] == []
    clerk = auth(bz.clerk)
    for action, payload in [("claim", {}), ("accept", {}),
                            ("return", {"items": [{"reason": "不清晰"}]})]:
        answer = client.post(f"/api/cases/{parent.pk}/actions/{action}", payload,
                             content_type="application/json", **clerk)
        assert answer.status_code == 422, action
        assert "主办件" in answer.json()["detail"]
    form = Case.objects.get(pk=parent.pk).form_data
    overwrite = client.post(f"/api/cases/{parent.pk}/submit", {"form_data": {"title": "别的"}},
                            content_type="application/json", **auth(bz.applicant))
    assert overwrite.status_code == 422 and "主办件" in overwrite.json()["detail"]
    assert Case.objects.get(pk=parent.pk).form_data == form
    withdrawn = client.post(f"/api/cases/{parent.pk}/withdraw", {"reason": "不办了"},
                            content_type="application/json", **auth(bz.applicant))
    assert withdrawn.status_code == 422
    assert Case.objects.get(pk=parent.pk).state == before
    assert all(c.state == CaseState.SUBMITTED for c in parent.children.all())


def test_parent_cannot_be_withdrawn_on_the_single_case_page(applicant, bz):
    parent = submit_bundle(bz)
    answer = applicant.post(reverse("cases:withdraw", args=[parent.pk]), {"reason": "不办了"})
    assert answer.status_code == 422 and "主办件" in body(answer)
    assert Case.objects.get(pk=parent.pk).state == CaseState.SUBMITTED
