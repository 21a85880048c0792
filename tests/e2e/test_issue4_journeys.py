"""Issue 4 in Chromium: an applicant applies for a bundle (一件事) with one form and follows its
departments finishing in parallel; an investment project filing is approved instantly (秒批)
and its filing certificate downloads."""

import re
from types import SimpleNamespace

import pytest

from onewindow.cases.enums import CaseState, DocumentKind
from onewindow.cases.models import Case
from onewindow.cases.selectors_bundles import bundle_form_spec
from tests.cases import conftest as case_fixtures
from tests.cases import test_bundles as bundle_fixtures
from tests.cases.test_bundles import MONDAY, child_of, finish
from tests.decisions import conftest as decision_fixtures
from tests.e2e import test_case_journeys as journeys
from tests.e2e.test_case_journeys import download_document, small_pdf, upload

# The fixtures these journeys build on (the bundle zone, the filing zone, the browsers).
bz, zone, freeze_today = bundle_fixtures.bz, case_fixtures.zone, case_fixtures.freeze_today
filing, journey = decision_fixtures.filing, journeys.journey


def fill_contact(page, title: str):
    page.get_by_label("项目名称/申请事由", exact=True).fill(title)
    page.get_by_label("联系人", exact=True).fill("李华")
    page.get_by_label("联系电话", exact=True).fill("13812345678")
    page.get_by_label("地址", exact=True).fill("高新区创新大道 100 号")


def choose_enterprise(page, enterprise):
    page.get_by_label(enterprise.name).check()
    page.get_by_role("button", name="开始填写").click()


# --- 一件事一次办: one form, the parts in parallel ----------------------------------------------

@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_bundle_journey_one_form_parts_finish_in_parallel(journey, bz, freeze_today):
    freeze_today(MONDAY)  # the bundle's 45 + 15 working days stay inside the test calendar
    page = journey.open(bz.applicant)
    page.goto(f"{journey.url}/catalog/bundles/{bz.bundle.code}/")
    page.get_by_role("link", name="一表申请", exact=True).click()
    page.get_by_role("heading", level=1, name="一表申请").wait_for()
    assert "并联办理，承诺 2 个工作日办结" in page.locator("main").inner_text()
    choose_enterprise(page, bz.enterprise)
    page.get_by_role("heading", name="申请表（一表申请）").wait_for()

    parts = page.locator(".bundle-items").inner_text()
    for item in (bz.permit, bz.fire_review, bz.waste):
        assert item.name in parts
    assert page.get_by_label("联系电话", exact=True).count() == 1  # asked once for all
    assert "3 个事项共用" in page.locator("#application-form").inner_text()
    fill_contact(page, "启明智能产业园一期")

    spec = bundle_form_spec(bz.bundle, optional_item_ids=[])
    assert page.locator(".material-row").count() == len(spec.asked)  # each document once
    shared = page.locator(".material-row", has_text="建设工程规划许可证")
    assert shared.count() == 1
    assert ("用于：建筑工程施工许可证核发（一件事）、特殊建设工程消防设计审查、城市建筑垃圾处置核准"
            in shared.inner_text())
    for n, slot in enumerate(s for s in spec.asked if s.required):
        upload(page, SimpleNamespace(pk=slot.key),
               small_pdf(journey.files / f"{slot.name}.pdf", f"材料{n}"))
    page.get_by_role("button", name="提交申请").click()

    message = page.locator(".messages", has_text="申请已提交").inner_text()
    assert "各事项已同时分送各部门办理" in message
    number = re.search(r"办件编号 (\w+)", message).group(1)
    header = page.locator(".case-header").inner_text()
    assert number in header and "项目开工一件事" in header
    rows = page.locator("table.bundle-parts tbody tr")
    assert rows.count() == 3
    for n in range(3):
        assert "预审时限" in rows.nth(n).inner_text()  # each part's own clock
    clocks = page.locator("section[aria-labelledby=clocks-title]").inner_text()
    assert "承诺 2 个工作日办结，法定时限 45 个工作日（可依法延长 15 个工作日）" in clocks
    parent = Case.objects.get(number=number)
    assert parent.children.count() == 3  # one number for the applicant, one case per part
    assert {c.department.name for c in parent.children.all()} == {
        "高新区住房和城乡建设局", "高新区消防救援大队", "高新区城市管理局"}

    # Each department works its part at the same time (through the services: kept short).
    permit = child_of(parent, bz.permit)
    finish(bz, permit)
    page.reload()
    assert "已办结" in page.locator(f"#part-{permit.pk}").inner_text()
    assert "已办结" not in page.locator(".case-header .badge").inner_text()
    clocks = page.locator("section[aria-labelledby=clocks-title]").inner_text()
    assert "承诺时限" in clocks and "法定时限" in clocks  # the bundle's one clock is running
    for item in (bz.fire_review, bz.waste):
        finish(bz, child_of(parent, item))

    page.reload()
    for n in range(3):
        part = rows.nth(n).inner_text()
        assert "已办结" in part and "准予许可" in part
    assert page.locator(".case-header .badge").inner_text().strip() == "已办结"
    assert Case.objects.get(pk=parent.pk).state == CaseState.COMPLETED
    assert journey.csp_errors == []


# --- 秒批秒办: an instant filing and its certificate ------------------------------------------

@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_instant_filing_approved_and_certificate_downloads(journey, filing):
    journeys._cover_deadlines_into_next_year()
    page = journey.open(filing.applicant)
    page.goto(f"{journey.url}/catalog/items/{filing.item.pk}/")
    page.get_by_role("link", name="在线申请").click()
    page.get_by_role("heading", level=1, name="在线申请").wait_for()
    choose_enterprise(page, filing.enterprise)
    page.get_by_role("heading", name="申请材料").wait_for()

    material = filing.item.materials.get()
    upload(page, material, small_pdf(journey.files / "项目基本情况.pdf", "项目基本情况"))
    fill_contact(page, "智能装备产业园二期项目")
    page.locator("#id_in_approval_catalogue").get_by_label("否", exact=True).check()
    page.get_by_label("《产业结构调整指导目录》类别").select_option(label="鼓励类")
    page.get_by_label("项目总投资（万元）").fill("3200")
    page.get_by_role("button", name="提交申请").click()

    message = page.locator(".messages", has_text="申请已秒批办结").inner_text()
    number = re.search(r"办件编号 (\w+)", message).group(1)
    assert page.locator(".case-header .badge").first.inner_text().strip() == "已办结"
    header = page.locator(".case-header").inner_text()
    assert number in header and "企业投资项目备案" in header
    case = Case.objects.get(number=number)
    issued = case.documents.get(kind=DocumentKind.CERTIFICATE)
    certificate = download_document(page, issued.title)  # the certificate's own name
    assert certificate.startswith(b"%PDF")
    assert case.state == CaseState.COMPLETED and case.decision == "approved"
    assert journey.csp_errors == []


# --- the demo zone's construction-start bundle: eight parts, every department at once -------

@pytest.fixture
def demo_bundle(db):
    """The demo catalog as `onewindow demo` seeds it, an applicant of a demo-like enterprise,
    and a reviewer and an approver in each department the bundle's parts go to."""
    from onewindow.catalog.models import Bundle
    from onewindow.core.seeding import seed_demo
    from tests.factories import EnterpriseFactory, UserFactory

    seed_demo(with_users=False)
    bundle = Bundle.objects.get(code="construction-start")
    enterprise = EnterpriseFactory(name="青岛启明智能科技有限公司")
    applicant = UserFactory(username="applicant", role="applicant")
    applicant.memberships.create(enterprise=enterprise)
    departments = {entry.item.department for entry in bundle_form_spec(bundle).entries}
    staff = {d.pk: (UserFactory(username=f"r-{d.code}", role="reviewer", department=d),
                    UserFactory(username=f"a-{d.code}", role="approver", department=d))
             for d in departments}
    return SimpleNamespace(bundle=bundle, enterprise=enterprise, applicant=applicant,
                           clerk=UserFactory(username="clerk", role="window_clerk"), staff=staff)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_demo_construction_start_eight_parts_one_form_finish_in_parallel(
        journey, demo_bundle, freeze_today):
    freeze_today(MONDAY)
    bz = demo_bundle
    spec_all = bundle_form_spec(bz.bundle)
    assert len(spec_all.entries) == 8  # 施工许可 + 7 related items
    page = journey.open(bz.applicant)
    page.goto(f"{journey.url}/catalog/bundles/{bz.bundle.code}/")
    page.get_by_role("link", name="一表申请", exact=True).click()
    choose_enterprise(page, bz.enterprise)
    page.get_by_role("heading", name="申请表（一表申请）").wait_for()
    fill_contact(page, "启明智能产业园二期")
    for entry in spec_all.optional:  # road occupation and night construction: wanted too
        page.get_by_label(entry.item.name).check()
    page.get_by_role("button", name="保存草稿").click()
    page.get_by_role("heading", name="申请表（一表申请）").wait_for()

    spec = bundle_form_spec(bz.bundle, optional_item_ids=[e.item.pk for e in spec_all.optional])
    assert page.locator(".material-row").count() == len(spec.asked)  # each document once
    asked_names = [s.name for s in spec.asked]
    assert len(asked_names) == len(set(asked_names))
    for n, slot in enumerate(s for s in spec.asked if s.required):
        upload(page, SimpleNamespace(pk=slot.key),
               small_pdf(journey.files / f"demo-{n}.pdf", f"材料{n}"))
    page.get_by_role("button", name="提交申请").click()
    message = page.locator(".messages", has_text="申请已提交").inner_text()
    number = re.search(r"办件编号 (\w+)", message).group(1)

    parent = Case.objects.get(number=number)
    children = list(parent.children.select_related("item", "department"))
    assert len(children) == 8
    rows = page.locator("table.bundle-parts tbody tr")
    assert rows.count() == 8
    # Every part is with its department at the same time: all eight submitted at once.
    assert {c.state for c in children} == {CaseState.SUBMITTED}
    # Each routed to its own item's department: housing, urban management, civil air defence.
    assert [c.department_id for c in children] == [c.item.department_id for c in children]
    assert {c.department_id for c in children} == set(bz.staff) and len(bz.staff) == 3

    # The departments finish in an order of their own; the applicant watches one page.
    for done, child in enumerate(reversed(children), start=1):
        finish(bz, child)
        page.reload()
        assert "已办结" in page.locator(f"#part-{child.pk}").inner_text()
        badge = page.locator(".case-header .badge").inner_text().strip()
        assert (badge == "已办结") == (done == 8)
    for n in range(8):
        assert "准予许可" in rows.nth(n).inner_text()
    assert Case.objects.get(pk=parent.pk).state == CaseState.COMPLETED
    # What the construction permit produced was never asked: each part that needs it shows the
    # permit's certificate, issued by its sibling, among its materials.
    by_item = {c.item_id: c for c in children}
    assert spec.provided
    for slot in spec.provided:
        certificate = by_item[slot.provided_by.pk].documents.get(kind="certificate")
        for requirement in slot.needed:
            page.goto(f"{journey.url}/cases/{by_item[requirement.item_id].pk}/")
            materials = page.get_by_role("region", name="申请材料").inner_text()
            assert certificate.number in materials and "已提供" in materials
    assert journey.csp_errors == []
