"""The two journeys of a case, in Chromium, each person in their own browser and logged in
through the login page: apply → returned with two fixes → fixed → accepted → reviewed →
approved → certificate downloaded and verified through its QR link; and a case not accepted
after the applicant was told why and offered help (先帮再办)."""

import datetime as dt
import io
import re
from types import SimpleNamespace

import pytest
from pypdf import PdfReader, PdfWriter

from onewindow.cases.enums import CaseState, DocumentKind
from onewindow.cases.models import Case
from onewindow.workdays.models import CalendarYear
from onewindow.workdays.services import DaySpec, calendar_year_enter
from tests.factories import (
    DepartmentFactory,
    EnterpriseFactory,
    MaterialRequirementFactory,
    ServiceItemFactory,
    UserFactory,
)

PASSWORD = "pass-Word-123"  # tests.factories.UserFactory's


# --- the zone and the people -----------------------------------------------------------------

def build_zone():
    """One item of the 住建局 with two required materials, and one person per role."""
    dept = DepartmentFactory(code="zjj", name="高新区住房和城乡建设局")
    item = ServiceItemFactory(name="建筑工程施工许可证核发", department=dept,
                              legal_limit=7, promised_limit=3)
    enterprise = EnterpriseFactory(name="青岛启明智能科技有限公司", address="高新区创新大道 8 号")
    applicant = UserFactory(username="qiming", role="applicant", last_name="李",
                            first_name="明")
    applicant.memberships.create(enterprise=enterprise)
    _cover_deadlines_into_next_year()
    return SimpleNamespace(
        dept=dept, item=item, enterprise=enterprise, applicant=applicant,
        form=MaterialRequirementFactory(item=item, name="建筑工程施工许可申请表", order=1),
        plan=MaterialRequirementFactory(item=item, name="建设工程规划许可证", order=2),
        clerk=UserFactory(username="clerk", role="window_clerk"),
        reviewer=UserFactory(username="reviewer", role="reviewer", department=dept),
        approver=UserFactory(username="approver", role="approver", department=dept),
    )


def _cover_deadlines_into_next_year():
    """Deadlines of a case applied for in late November run into next year: enter the years
    the calendar lacks as provisional, the way the demo seed does."""
    for year in range(2027, dt.date.today().year + 2):
        if not CalendarYear.objects.filter(year=year).exists():
            calendar_year_enter(actor=None, year=year, status="provisional", notice="test",
                                days=[DaySpec(dt.date(year, 1, 1), "holiday", "元旦")])


def small_pdf(path, title: str):
    """A real one-page PDF (each with its own title, so each file has its own digest)."""
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.add_metadata({"/Title": title})
    with open(path, "wb") as f:
        writer.write(f)
    return path


@pytest.fixture
def journey(browser, live_server, settings, tmp_path):
    """Opens a browser context per person; collects CSP violations from all of them."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SITE_URL = live_server.url  # so that the QR link in a PDF opens this server
    contexts, csp_errors = [], []

    def open_page(user=None):
        context = browser.new_context(locale="zh-CN", accept_downloads=True)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.on("console", lambda msg: csp_errors.append(msg.text)
                if "Content Security Policy" in msg.text else None)
        page.on("dialog", lambda dialog: dialog.accept())  # the data-confirm questions
        if user is not None:
            log_in(page, live_server.url, user)
        return page

    yield SimpleNamespace(open=open_page, url=live_server.url, csp_errors=csp_errors,
                          files=tmp_path)
    for context in contexts:
        context.close()


def log_in(page, url: str, user):
    page.goto(f"{url}/accounts/login/")
    page.get_by_label("用户名").fill(user.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.get_by_role("button", name="退出").wait_for()


# --- what the applicant does -----------------------------------------------------------------

def apply_and_submit(page, journey, zone) -> str:
    """From the item's guide to a submitted application; returns the case number shown."""
    page.goto(f"{journey.url}/catalog/items/{zone.item.pk}/")
    page.get_by_role("link", name="在线申请").click()
    page.get_by_role("heading", level=1, name="在线申请").wait_for()
    page.get_by_label(zone.enterprise.name).check()
    page.get_by_role("button", name="开始填写").click()
    page.get_by_role("heading", name="申请材料").wait_for()
    refused_upload(page, zone.form, journey.files / "伪装的申请表.pdf")
    upload(page, zone.form, small_pdf(journey.files / "施工许可申请表.pdf", "申请表"))
    upload(page, zone.plan, small_pdf(journey.files / "规划许可证.pdf", "规划许可证"))
    page.get_by_label("项目名称/申请事由", exact=True).fill("启明智能研发中心一期工程")
    page.get_by_label("联系人", exact=True).fill("李明")
    page.get_by_label("联系电话", exact=True).fill("13812345678")
    page.get_by_label("地址", exact=True).fill("高新区创新大道 8 号")
    page.get_by_role("button", name="提交申请").click()
    message = page.locator(".messages", has_text="申请已提交").inner_text()
    return re.search(r"办件编号 (\w+)", message).group(1)


def upload(page, requirement, path):
    """Upload one material in its row (htmx swaps the row) and wait to see the file listed."""
    row = page.locator(f"#material-{requirement.pk}")
    row.locator("input[type=file]").set_input_files(path)
    row.get_by_role("button", name="上传", exact=True).click()
    page.locator(f"#material-{requirement.pk} .material-current", has_text=path.name).wait_for()


def refused_upload(page, requirement, path):
    """A text file named .pdf: refused (422), and the row says why, in place."""
    path.write_text("not a PDF at all")
    page.evaluate("window.notReloaded = true")  # gone if the page reloads
    row = page.locator(f"#material-{requirement.pk}")
    row.locator("input[type=file]").set_input_files(path)
    row.get_by_role("button", name="上传", exact=True).click()
    alert = page.locator(f"#material-{requirement.pk} [role=alert]")
    alert.wait_for()
    assert requirement.name in alert.inner_text() and "文件类型不符" in alert.inner_text()
    assert page.evaluate("window.notReloaded") is True


def open_my_case(page, journey, number: str):
    page.goto(f"{journey.url}/cases/")
    page.locator(".case-card", has_text=number).get_by_role("link", name="查看详情").click()
    page.wait_for_url(re.compile(r"/cases/\d+/$"))


def download_document(page, label: str) -> bytes:
    documents = page.locator("section[aria-labelledby=documents-title]")
    with page.expect_download() as info:
        documents.get_by_role("link", name=label, exact=True).click()
    with open(info.value.path(), "rb") as f:
        return f.read()


# --- what staff do ---------------------------------------------------------------------------

def open_from_workbench(page, journey, number: str):
    page.goto(f"{journey.url}/work/")
    page.locator("#queue").get_by_role("link", name=number).click()
    page.get_by_role("heading", level=1, name=re.compile(number)).wait_for()


def claim_from_workbench(page, journey, number: str):
    page.goto(f"{journey.url}/work/")
    page.locator("#queue tr", has_text=number).get_by_role("button", name="承办").click()
    page.get_by_text("已承办，开始预审。").wait_for()


def open_action(page, label: str):
    """Unfold the action's form on the staff case page; returns the form's <details>."""
    action = page.locator("details.wb-action").filter(
        has=page.locator("summary", has_text=re.compile(f"^{re.escape(label)}$")))
    action.locator("summary").click()
    return action


def press_action(page, label: str):
    """An action without fields is a single button."""
    page.locator(".wb-actions").get_by_role("button", name=label, exact=True).click()


def done(page, message: str):
    page.locator(".messages").get_by_text(message).wait_for()


# --- the approval journey --------------------------------------------------------------------

@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_case_journey_returned_fixed_approved_and_certificate_verified(journey):
    zone = build_zone()
    applicant = journey.open(zone.applicant)
    number = apply_and_submit(applicant, journey, zone)
    header_on_one_row(applicant)  # the applicant's header has the most entries
    fixes = {zone.form: "申请表未加盖建设单位公章",
             zone.plan: "规划许可证复印件不清晰，请上传原件扫描件"}

    clerk = journey.open(zone.clerk)
    claim_from_workbench(clerk, journey, number)
    fits_desktop_and_phone(clerk, journey)
    open_from_workbench(clerk, journey, number)
    return_with_fixes(clerk, fixes)
    fix_and_resubmit(applicant, journey, number, fixes)
    assert Case.objects.count() == 1  # the same case, not a new one

    open_from_workbench(clerk, journey, number)
    open_action(clerk, "受理").get_by_role("button", name="受理", exact=True).click()
    done(clerk, "已受理，受理通知书已生成。")
    reviewer = review(journey.open(zone.reviewer), journey, number)
    approver = journey.open(zone.approver)
    open_from_workbench(approver, journey, number)
    decide = open_action(approver, "作出决定")
    decide.get_by_label("准予许可").check()
    decide.get_by_role("button", name="作出决定").click()  # confirmed in the dialog
    done(approver, "决定已作出，决定书已生成。")
    complete_and_deliver(reviewer)

    open_my_case(applicant, journey, number)
    assert "已送达" in applicant.locator(".case-header .badge").inner_text()
    assert "可下载证照" in applicant.locator(".next-step").inner_text()
    issued = Case.objects.get(number=number).documents.get(kind=DocumentKind.CERTIFICATE)
    certificate = download_document(applicant, issued.title)  # the certificate's own name
    assert certificate.startswith(b"%PDF")

    visitor = journey.open()  # no login: anyone holding the paper can scan the QR code
    visitor.goto(verify_link_in(certificate, journey.url))
    assert visitor.locator(".badges").inner_text().strip() == "有效"
    facts = visitor.locator("dl.facts").inner_text()
    assert issued.number in facts and "建筑工程施工许可证核发" in facts
    assert issued.verify_code in facts
    assert journey.csp_errors == []


def fits_desktop_and_phone(page, journey):
    """The workbench's header on one row at 1280 px; at 390 px the workbench does not scroll
    sideways (its table scrolls inside its box)."""
    page.goto(f"{journey.url}/work/")
    header_on_one_row(page)
    page.set_viewport_size({"width": 390, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.set_viewport_size({"width": 1280, "height": 800})


def header_on_one_row(page):
    """At 1280 px the header's entries sit on one row, none broken across lines."""
    page.set_viewport_size({"width": 1280, "height": 800})
    header = page.locator(".site-header").bounding_box()
    entry = page.locator(".site-nav a").first.bounding_box()
    assert header["height"] < 2 * entry["height"] + 16  # one row
    assert page.evaluate("Array.from(document.querySelectorAll('.site-nav a, .nav-user a'))"
                         ".every(a => a.getClientRects().length === 1 && a.offsetHeight < 48)")


def return_with_fixes(clerk, fixes: dict):
    """Every fix at once: tick each material and write its reason."""
    form = open_action(clerk, "退回补正（一次性告知）")
    for requirement, reason in fixes.items():
        form.get_by_label(requirement.name, exact=True).check()
        form.get_by_label(f"{requirement.name} 需补正的内容").fill(reason)
    form.get_by_role("button", name="退回补正（一次性告知）").click()
    done(clerk, "已退回补正，一次性告知书已生成。")


def fix_and_resubmit(applicant, journey, number: str, fixes: dict):
    open_my_case(applicant, journey, number)
    assert "退回补正" in applicant.locator(".case-header .badge").inner_text()
    told = applicant.locator("section[aria-labelledby=corrections-title]").inner_text()
    for requirement, reason in fixes.items():
        assert f"{requirement.name}：{reason}" in told
    applicant.get_by_role("link", name="去补正").click()
    for n, requirement in enumerate(fixes, start=1):
        upload(applicant, requirement,
               small_pdf(journey.files / f"{requirement.name}（补正）.pdf", f"补正{n}"))
        assert "已重新上传" in applicant.locator(f"#material-{requirement.pk}").inner_text()
    applicant.get_by_role("button", name="重新提交").click()
    resubmitted = applicant.locator(".messages", has_text="申请已提交").inner_text()
    assert f"办件编号 {number}" in resubmitted


def review(reviewer, journey, number: str):
    open_from_workbench(reviewer, journey, number)
    press_action(reviewer, "承办审查")
    done(reviewer, "已承办，开始审查。")
    opinion = open_action(reviewer, "填写审查意见")
    opinion.get_by_label("审查意见").fill("材料齐全，符合法定条件，建议准予许可。")
    opinion.get_by_role("button", name="填写审查意见").click()
    done(reviewer, "审查意见已记录。")
    handling = reviewer.locator("section[aria-labelledby=handling-title]").inner_text()
    assert "建议准予许可" in handling
    return reviewer


def complete_and_deliver(staff):
    staff.reload()  # the decision was made in another browser
    open_action(staff, "办结").get_by_role("button", name="办结").click()
    done(staff, "已办结。")
    deliver = open_action(staff, "送达")
    deliver.get_by_label("送达方式").select_option(label="网上下载")
    deliver.get_by_role("button", name="送达").click()
    done(staff, "已送达。")


def verify_link_in(pdf: bytes, site: str) -> str:
    """The verification address printed under the QR code (lines may wrap inside it)."""
    text = "".join("".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())
    found = re.search(re.escape(site) + r"/verify/[0-9A-Z]+/", text)
    assert found, "the certificate prints its verification address"
    return found.group(0)


# --- the not-accepted journey ----------------------------------------------------------------

@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_case_journey_not_accepted_only_after_help_offer(journey):
    zone = build_zone()
    applicant = journey.open(zone.applicant)
    number = apply_and_submit(applicant, journey, zone)
    reason = "申请的项目位于自贸片区，不属于本局管辖范围"
    agency = "青岛自贸片区管委会建设管理部"

    clerk = journey.open(zone.clerk)
    claim_from_workbench(clerk, journey, number)
    not_accept(clerk, reason, agency)
    clerk.locator(".message-error").get_by_text("须先告知申请人原因并提供帮助（先帮再办）").wait_for()
    assert Case.objects.get(number=number).state == CaseState.PRE_REVIEW

    help_offer = open_action(clerk, "先帮再办：记录告知与帮助")
    help_offer.get_by_label("告知申请人的原因").fill(reason)
    help_offer.get_by_label("提供的帮助").fill(f"已告知应向{agency}申请，并提供其地址和电话")
    help_offer.get_by_label("告知方式").select_option(label="电话")
    help_offer.get_by_role("button", name="先帮再办：记录告知与帮助").click()
    done(clerk, "已记录先帮再办情况。")
    not_accept(clerk, reason, agency)
    done(clerk, "已作出不予受理决定，通知书已生成。")

    open_my_case(applicant, journey, number)
    assert "不予受理" in applicant.locator(".case-header .badge").inner_text()
    facts = applicant.locator("section[aria-labelledby=facts-title]").inner_text()
    assert reason in facts and agency in facts
    assert "先帮再办" in applicant.locator("section[aria-labelledby=messages-title]").inner_text()
    assert download_document(applicant, "不予受理通知书").startswith(b"%PDF")
    assert journey.csp_errors == []


def not_accept(page, reason: str, agency: str):
    form = open_action(page, "不予受理")
    form.get_by_label("不予受理的理由").fill(reason)
    form.get_by_label("有权机关").fill(agency)
    form.get_by_role("button", name="不予受理").click()  # confirmed in the dialog
