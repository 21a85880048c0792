"""The staff workbenches: who sees which queue, clock ordering, htmx filters, counts."""

import datetime as dt

import pytest
from django.urls import reverse

from onewindow.cases import services
from onewindow.cases.models import Case
from tests.cases.conftest import upload_all
from tests.factories import (
    MaterialRequirementFactory,
    ServiceItemFactory,
    UserFactory,
    record_review,
)

pytestmark = pytest.mark.django_db

WORKBENCH = reverse("cases:workbench")
HTMX = {"HTTP_HX_REQUEST": "true"}
TODAY = dt.date(2026, 3, 10)  # a Tuesday


def new_case(zone, item=None):
    case = services.case_create_draft(actor=zone.applicant, item=item or zone.item,
                                      enterprise=zone.enterprise)
    upload_all(case, zone.applicant)
    return services.case_submit(actor=zone.applicant, case_id=case.pk)


def body_for(client, user, url=WORKBENCH, **extra):
    client.force_login(user)
    response = client.get(url, **extra)
    assert response.status_code == 200
    return response.content.decode()


def row_of(body: str, number: str) -> str:
    """The queue's row of case `number`."""
    rest = body[body.index(number):]
    return rest[:rest.index("</tr>")]


def set_pre_review(case, received: dt.date, due: dt.date):
    Case.objects.filter(pk=case.pk).update(received_on=received, pre_review_due=due)


@pytest.fixture
def other_item(zone):
    item = ServiceItemFactory(name="食品经营许可证核发", department=zone.other,
                              legal_limit=20, promised_limit=5)
    MaterialRequirementFactory(item=item, name="食品经营许可申请书", order=1)
    return item


def test_workbench_anonymous_redirected_to_login(client):
    response = client.get(WORKBENCH)
    assert response.status_code == 302 and reverse("login") in response.url


def test_workbench_applicant_and_catalog_admin_get_404(client, zone):
    for user in (zone.applicant, UserFactory(role="catalog_admin")):
        client.force_login(user)
        assert client.get(WORKBENCH).status_code == 404


def test_workbench_clerk_queue_has_intake_cases_only(client, zone, submitted):
    draft = services.case_create_draft(actor=zone.applicant, item=zone.item)
    returned = new_case(zone)
    services.case_claim(actor=zone.clerk, case_id=returned.pk)
    services.case_return(actor=zone.clerk, case_id=returned.pk, items=[(None, "申请表未签字")])
    others_claim = new_case(zone)
    services.case_claim(actor=zone.clerk2, case_id=others_claim.pk)
    reviewing = new_case(zone)
    services.case_accept(actor=zone.clerk, case_id=reviewing.pk)
    services.case_start_review(actor=zone.reviewer, case_id=reviewing.pk)
    body = body_for(client, zone.clerk)
    assert "窗口受理工作台" in body
    assert submitted.number in body and returned.number in body
    assert others_claim.number not in body  # in another clerk's pre-review
    assert reviewing.number not in body  # with the department now
    assert reverse("cases:staff_detail", args=[draft.pk]) not in body
    assert reverse("cases:staff_action", args=[submitted.pk, "claim"]) in body
    assert "青岛启明智能科技有限公司" in body


def test_workbench_clerk_sees_own_claimed_case_with_claimer(client, zone, submitted):
    services.case_claim(actor=zone.clerk, case_id=submitted.pk)
    body = body_for(client, zone.clerk)
    assert submitted.number in body and str(zone.clerk) in body
    assert reverse("cases:staff_action", args=[submitted.pk, "claim"]) not in body


def test_workbench_reviewer_sees_only_own_department(client, zone, in_review, other_item):
    foreign = new_case(zone, other_item)
    services.case_accept(actor=zone.clerk, case_id=foreign.pk)
    waiting = new_case(zone)  # submitted: not yet the department's
    body = body_for(client, zone.reviewer)
    assert "部门审查工作台" in body and "已流转到高新区住房和城乡建设局的办件" in body
    assert in_review.number in body
    assert foreign.number not in body and waiting.number not in body
    other_body = body_for(client, zone.other_reviewer)
    assert foreign.number in other_body and in_review.number not in other_body


def test_workbench_overdue_first_then_nearest_due(client, zone, freeze_today):
    freeze_today(TODAY)
    green, yellow, red = new_case(zone), new_case(zone), new_case(zone)
    set_pre_review(green, TODAY, dt.date(2026, 3, 17))
    set_pre_review(yellow, dt.date(2026, 3, 4), dt.date(2026, 3, 11))  # 4 of 5 days used
    set_pre_review(red, dt.date(2026, 3, 2), dt.date(2026, 3, 9))
    body = body_for(client, zone.clerk)
    assert body.index(red.number) < body.index(yellow.number) < body.index(green.number)
    assert body.count('class="wb-row wb-overdue"') == 1
    assert "wb-clock-red" in body and "超期 1 个工作日" in body
    assert "wb-clock-yellow" in body and "剩余 1 个工作日" in body


def test_workbench_colour_filter_with_htmx_returns_table_partial(client, zone, freeze_today):
    freeze_today(TODAY)
    late, fresh = new_case(zone), new_case(zone)
    set_pre_review(late, dt.date(2026, 3, 2), dt.date(2026, 3, 9))
    body = body_for(client, zone.clerk, WORKBENCH + "?colour=red", **HTMX)
    assert late.number in body and fresh.number not in body
    assert body.lstrip().startswith('<section id="queue"')
    assert "<html" not in body and 'name="colour"' not in body
    assert "共 1 件" in body


def test_workbench_boosted_request_gets_the_whole_page(client, zone, freeze_today):
    """A boosted form (the staff's actions) swaps the whole body in: no partial for it."""
    freeze_today(TODAY)
    new_case(zone)
    body = body_for(client, zone.clerk, WORKBENCH, **HTMX, HTTP_HX_BOOSTED="true")
    assert "<html" in body and 'name="colour"' in body


def test_workbench_state_filter_without_js_renders_full_page(client, zone, submitted):
    claimed = new_case(zone)
    services.case_claim(actor=zone.clerk, case_id=claimed.pk)
    body = body_for(client, zone.clerk, WORKBENCH + "?state=pre_review")
    assert "<html" in body and 'hx-get="' + WORKBENCH + '"' in body
    assert claimed.number in body and submitted.number not in body
    assert '<option value="pre_review" selected>' in body


def test_workbench_invalid_filter_is_reported_and_not_applied(client, zone, submitted):
    body = body_for(client, zone.clerk, WORKBENCH + "?state=draft&colour=purple")
    assert submitted.number in body
    assert body.count('class="form-error"') == 2


def test_workbench_item_filter_offers_queue_items_and_filters(client, zone, submitted,
                                                              other_item):
    unused = ServiceItemFactory(name="从未申请的事项", department=zone.dept)
    foreign = new_case(zone, other_item)
    body = body_for(client, zone.supervisor, WORKBENCH + f"?item={other_item.pk}")
    assert foreign.number in body and submitted.number not in body
    assert f'<option value="{other_item.pk}" selected>' in body
    assert unused.name not in body


def test_workbench_supervisor_counts_departments_and_marks_escalated(client, zone, in_review,
                                                                    other_item, freeze_today):
    freeze_today(TODAY)
    foreign = new_case(zone, other_item)
    set_pre_review(foreign, dt.date(2026, 3, 2), dt.date(2026, 3, 9))
    Case.objects.filter(pk=foreign.pk).update(escalated_at="2026-03-10T09:00:00+08:00")
    body = body_for(client, zone.supervisor)
    assert "督查工作台" in body and "各部门在办件时限状态" in body
    assert in_review.number in body and foreign.number in body
    assert body.index(foreign.number) < body.index(in_review.number)
    assert "已督办" in body
    assert f"?department={zone.other.pk}&amp;colour=red" in body
    filtered = body_for(client, zone.supervisor,
                        WORKBENCH + f"?department={zone.other.pk}&colour=red", **HTMX)
    assert foreign.number in filtered and in_review.number not in filtered


def test_workbench_supervisor_sees_who_holds_each_case_now(client, zone, in_review):
    Case.objects.filter(pk=in_review.pk).update(claimed_by=zone.clerk)  # claimed, then accepted
    pending = new_case(zone)
    services.case_claim(actor=zone.clerk, case_id=pending.pk)
    zone.clerk.first_name, zone.reviewer.first_name = "窗口", "审查"
    for person in (zone.clerk, zone.reviewer):
        person.save(update_fields=["first_name"])
    body = body_for(client, zone.supervisor)

    def handler_cell(case):
        return [cell for cell in row_of(body, case.number).split("<td>") if cell][-1]

    assert str(zone.reviewer) in handler_cell(in_review)  # in the department: its reviewer
    assert str(zone.clerk) not in handler_cell(in_review)
    assert str(zone.clerk) in handler_cell(pending)  # at the window: the clerk


def test_workbench_resubmitted_case_is_continued_by_its_clerk(client, zone):
    case = new_case(zone)
    services.case_claim(actor=zone.clerk, case_id=case.pk)
    planning = zone.item.materials.first()
    services.case_return(actor=zone.clerk, case_id=case.pk, items=[(planning, "不清晰")])
    services.case_submit(actor=zone.applicant, case_id=case.pk)  # fixed and sent again
    fresh = new_case(zone)

    mine = body_for(client, zone.clerk)
    assert "继续预审" in row_of(mine, case.number) and "接手承办" not in row_of(mine, case.number)
    assert ">承办</button>" in row_of(mine, fresh.number)
    other = UserFactory(role="window_clerk")
    theirs = body_for(client, other)
    assert "接手承办" in row_of(theirs, case.number)
    assert "data-confirm=" in row_of(theirs, case.number)  # taking over is asked first


def test_workbench_department_sees_which_cases_await_a_decision(client, zone, in_review):
    waiting = new_case(zone)  # accepted and in review, no opinion yet
    services.case_accept(actor=zone.clerk, case_id=waiting.pk)
    services.case_start_review(actor=zone.reviewer, case_id=waiting.pk)
    body = body_for(client, zone.approver)
    assert "已有审查意见，待决定" in row_of(body, in_review.number)
    assert "待决定" not in row_of(body, waiting.number)
    record_review(zone.reviewer, waiting.pk, "disagree")
    body = body_for(client, zone.approver)
    assert "审查意见：不同意" in row_of(body, waiting.number)


def test_workbench_filters_the_cases_with_the_applicant(client, zone, in_review):
    back = new_case(zone)
    services.case_claim(actor=zone.clerk, case_id=back.pk)
    services.case_return(actor=zone.clerk, case_id=back.pk,
                         items=[(zone.item.materials.first(), "不清晰")])
    body = body_for(client, zone.supervisor)
    link = f"?department={zone.dept.pk}&amp;colour=none"
    assert link in body  # the 在申请人处 count is a link like the others
    filtered = body_for(client, zone.supervisor, WORKBENCH + "?colour=none", **HTMX)
    assert back.number in filtered and in_review.number not in filtered
    clerk = body_for(client, zone.clerk, WORKBENCH + "?colour=none", **HTMX)
    assert back.number in clerk


def test_workbench_pages_keep_filters(client, zone, monkeypatch):
    monkeypatch.setattr("onewindow.cases.views.staff.queue.PAGE_SIZE", 2)
    cases = [new_case(zone) for _ in range(3)]
    first = body_for(client, zone.clerk, WORKBENCH + "?state=submitted")
    assert "第 1 页，共 2 页" in first and "?state=submitted&amp;page=2" in first
    second = body_for(client, zone.clerk, WORKBENCH + "?state=submitted&page=2", **HTMX)
    shown = [c.number for c in cases if c.number in second]
    assert len(shown) == 1 and "第 2 页，共 2 页" in second


def test_workbench_help_agent_sees_own_cases_only(client, zone, submitted):
    agent = UserFactory(role="help_agent")
    body = body_for(client, agent)
    assert "帮办代办工作台" in body and "没有符合条件的办件" in body
    assert submitted.number not in body


def test_home_page_links_staff_to_their_workbench(client, zone):
    for user, label in [(zone.clerk, "受理工作台"), (zone.reviewer, "审查工作台"),
                        (zone.approver, "审批工作台"), (zone.supervisor, "督查工作台"),
                        (UserFactory(role="help_agent"), "代办工作台")]:
        body = body_for(client, user, "/")
        href = "/agent/" if user.role == "help_agent" else WORKBENCH
        assert label in body and f'href="{href}"' in body
    assert f'href="{WORKBENCH}"' not in body_for(client, zone.applicant, "/")


def test_timeline_names_the_bundle_clock_events():
    from onewindow.cases.errors import action_label

    for action in ("bundle_clock_paused", "bundle_clock_resumed", "bundle_clock_pause_ended",
                   "tolerance_lapsed_deny", "deny_on_lapse"):
        assert action_label(action) != action and "_" not in action_label(action)
