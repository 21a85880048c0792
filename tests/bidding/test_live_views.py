"""The session pages: the list, the room (served whole from the database) and signing."""

from decimal import Decimal

import pytest

from onewindow.bidding.enums import SignatureKind, TenderState
from onewindow.bidding.models import Report, ReportSignature, Score
from onewindow.bidding.services.report import report_create
from onewindow.bidding.services.session import compliance_record, score_enter, scoring_close
from tests.bidding.test_live_consumers import build_session
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def session():
    return build_session(per_venue=3, bids=2, criteria=2)


def scored_and_closed(session):
    for bid in session.bids:
        compliance_record(actor=session.members[0].user, bid=bid, passed=True)
    for i, member in enumerate(session.members):
        for bid in session.bids:
            for criterion in session.criteria:
                score_enter(actor=member.user, bid=bid, criterion=criterion,
                            points=Decimal(20 + i))
    scoring_close(actor=session.members[0].user, tender=session.tender)


def test_session_list_shows_my_tenders(client, session):
    client.force_login(session.members[4].user)
    response = client.get("/bidding/session/")
    assert response.status_code == 200
    assert session.tender.title in response.text
    assert f"/bidding/session/{session.tender.pk}/" in response.text


def test_session_list_empty_for_stranger(client, session):
    client.force_login(UserFactory(role="expert"))
    response = client.get("/bidding/session/")
    assert "暂无需要您参加评标的项目。" in response.text
    assert session.tender.title not in response.text


def test_session_list_shows_operated_venues(client, session):
    client.force_login(session.operators["yt-sub"])
    response = client.get("/bidding/session/")
    assert "我负责场地的项目" in response.text
    assert session.tender.title in response.text


def test_room_shows_grid_own_points_not_others(client, session):
    mine, other = session.members[1], session.members[2]
    score_enter(actor=mine.user, bid=session.bids[0], criterion=session.criteria[0],
                points=Decimal("31.5"))
    score_enter(actor=other.user, bid=session.bids[0], criterion=session.criteria[0],
                points=Decimal("17.25"))
    client.force_login(mine.user)
    response = client.get(f"/bidding/session/{session.tender.pk}/")
    text = response.text
    assert response.status_code == 200
    assert session.tender.title in text and "青岛投标1号公司" in text and "技术方案1" in text
    assert 'value="31.50"' in text
    assert "17.25" not in text
    assert f'data-ws-path="/ws/bidding/session/{session.tender.pk}/"' in text
    assert "烟台副场" in text and "崂山副场" in text
    assert "结束评分" not in text  # only the chair's page has the button


def test_room_chair_sees_close_button(client, session):
    client.force_login(session.members[0].user)
    response = client.get(f"/bidding/session/{session.tender.pk}/")
    assert "结束评分" in response.text
    assert "您是评标委员会成员（主任）" in response.text


def test_room_before_chair_offers_vote(client):
    session = build_session(chair=False)
    client.force_login(session.members[2].user)
    response = client.get(f"/bidding/session/{session.tender.pk}/")
    assert response.text.count("推选为主任") == 9
    assert 'data-score' not in response.text


def test_room_operator_sees_counts_not_inputs(client, session):
    score_enter(actor=session.members[3].user, bid=session.bids[1],
                criterion=session.criteria[1], points=Decimal("9"))
    client.force_login(session.operators["ls-sub"])
    response = client.get(f"/bidding/session/{session.tender.pk}/")
    assert "场地管理员" in response.text
    assert "data-score" not in response.text
    assert f'data-filled="{session.bids[1].pk}-{session.criteria[1].pk}">1<' in response.text
    assert "9.00" not in response.text


def test_room_stranger_gets_404(client, session):
    client.force_login(UserFactory(role="expert"))
    assert client.get(f"/bidding/session/{session.tender.pk}/").status_code == 404
    assert client.get(f"/bidding/session/{session.tender.pk + 99}/").status_code == 404


def test_room_anonymous_redirected_to_login(client, session):
    response = client.get(f"/bidding/session/{session.tender.pk}/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_room_after_close_shows_all_points(client, session):
    scored_and_closed(session)
    client.force_login(session.members[8].user)
    response = client.get(f"/bidding/session/{session.tender.pk}/")
    assert "评分结果" in response.text
    assert "20.00" in response.text and "28.00" in response.text
    assert "签署评标报告" in response.text


def test_sign_page_before_close_says_wait(client, session):
    client.force_login(session.members[3].user)
    response = client.get(f"/bidding/session/{session.tender.pk}/sign/")
    assert "评标委员会主任结束评分后，才能生成和签署评标报告。" in response.text


def test_sign_before_report_refused_with_message(client, session):
    scored_and_closed(session)
    client.force_login(session.members[3].user)
    response = client.post(f"/bidding/session/{session.tender.pk}/sign/",
                           {"action": "sign"}, follow=True)
    assert "评标报告尚未生成，请等待评标委员会主任或主场生成。" in response.text
    assert not Report.objects.exists()


def test_chair_creates_report_members_sign_and_dissent(client, session):
    scored_and_closed(session)
    url = f"/bidding/session/{session.tender.pk}/sign/"
    client.force_login(session.members[0].user)
    response = client.post(url, {"action": "create"}, follow=True)
    assert "评标报告已生成，请各位成员签署。" in response.text
    assert "推荐中标候选人" in response.text
    report = Report.objects.get()
    assert f'href="/bidding/verify/{report.code}/"' in response.text
    response = client.post(url, {"action": "sign"}, follow=True)
    assert "您已签署评标报告。" in response.text
    client.force_login(session.members[5].user)
    response = client.post(url, {"action": "dissent", "reasons": ""}, follow=True)
    assert "持不同意见时必须写明理由。" in response.text
    response = client.post(url, {"action": "dissent", "reasons": "第二包技术评分偏高"},
                           follow=True)
    assert "不同意见已记录" in response.text and "第二包技术评分偏高" in response.text
    kinds = dict(ReportSignature.objects.values_list("member", "kind"))
    assert kinds == {session.members[0].pk: SignatureKind.SIGNED,
                     session.members[5].pk: SignatureKind.DISSENT}


def test_sub_venue_operator_cannot_countersign(client, session):
    scored_and_closed(session)
    report = report_create(actor=session.members[0].user, tender=session.tender)
    client.force_login(session.operators["yt-sub"])
    page = client.get(f"/bidding/session/{session.tender.pk}/sign/")
    assert "主场确认评标报告" not in page.text
    response = client.post(f"/bidding/session/{session.tender.pk}/sign/",
                           {"action": "countersign"}, follow=True)
    assert "只有主场管理员可以确认评标报告。" in response.text
    report.refresh_from_db()
    assert report.countersigned_at is None


def test_main_operator_countersigns(client, session):
    scored_and_closed(session)
    report_create(actor=session.members[0].user, tender=session.tender)
    client.force_login(session.operators["qd-main"])
    url = f"/bidding/session/{session.tender.pk}/sign/"
    assert "主场确认评标报告" in client.get(url).text
    response = client.post(url, {"action": "countersign"}, follow=True)
    assert "主场已确认评标报告。" in response.text
    session.tender.refresh_from_db()
    assert session.tender.state == TenderState.REPORTED
    assert Score.objects.count() == 9 * 4


def test_menu_leads_experts_and_operators_to_the_session_list(client, session):
    for user in (session.members[0].user, session.operators["qd-main"]):
        client.force_login(user)
        response = client.get("/")
        assert 'href="/bidding/session/"' in response.text
        assert "评标室" in response.text
