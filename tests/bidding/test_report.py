"""The evaluation report: results from the saved scores, signatures, dissent, countersign,
verification (a changed score breaks it)."""

import json
from decimal import Decimal

import pytest

from onewindow.bidding import selectors, services, signing
from onewindow.bidding.errors import BiddingForbidden, BiddingInputError, BiddingStateError
from onewindow.bidding.models import Score
from tests.bidding.conftest import close_with_example1
from tests.factories import make_uscc

D = Decimal


@pytest.fixture
def closed(seated):
    close_with_example1(seated)
    seated.tender.refresh_from_db()
    return seated


@pytest.fixture
def report(closed):
    return services.report_create(actor=closed.seated_members[0].user, tender=closed.tender)


def sign_all(ev, report):
    for member in ev.seated_members:
        services.report_sign(actor=member.user, report=report)


def test_report_results_match_worked_example_1(closed, report):
    payload = json.loads(report.payload)
    results = payload["lots"][0]["results"]
    assert [(r["bidder"], r["price_score"], r["technical_score"], r["total"], r["rank"])
            for r in results] == [
        ("青岛乙科技有限公司", "28.50", "66.00", "94.50", 1),
        ("青岛丙科技有限公司", "25.91", "68.00", "93.91", 2),
        ("青岛甲科技有限公司", "30.00", "60.00", "90.00", 3)]
    assert report.recommended == {"1": [closed.bids[1].pk, closed.bids[2].pk, closed.bids[0].pk]}
    assert report.digest == signing.sha256_hex(report.payload.encode())


def test_report_recommends_at_most_tender_count(closed):
    closed.tender.recommend_count = 1
    closed.tender.save()
    report = services.report_create(actor=closed.main_op, tender=closed.tender)
    assert report.recommended == {"1": [closed.bids[1].pk]}


def test_report_before_close_refused(seated):
    with pytest.raises(BiddingStateError, match="评分结束后"):
        services.report_create(actor=seated.seated_members[0].user, tender=seated.tender)


def test_report_by_ordinary_member_refused(closed):
    with pytest.raises(BiddingForbidden):
        services.report_create(actor=closed.seated_members[1].user, tender=closed.tender)


def test_sign_dissent_countersign_verify(closed, report):
    members = closed.seated_members
    for member in members[:3]:
        services.report_sign(actor=member.user, report=report)
    services.report_dissent(actor=members[3].user, report=report,
                            reasons="丙公司售后服务承诺评分偏高")
    report = services.report_countersign(actor=closed.main_op, report=report)
    closed.tender.refresh_from_db()
    assert closed.tender.state == "reported"
    result = selectors.report_verify(report=report)
    assert result["valid"] and result["payload_ok"] and result["countersign_ok"]
    assert [s["kind"] for s in result["signatures"]] == ["signed"] * 3 + ["dissent"]
    assert result["signatures"][3]["reasons"] == "丙公司售后服务承诺评分偏高"


def test_changed_score_breaks_verification(closed, report):
    sign_all(closed, report)
    services.report_countersign(actor=closed.main_op, report=report)
    assert selectors.report_verify(report=report)["valid"]
    Score.objects.filter(pk=Score.objects.first().pk).update(points=D("1"))
    result = selectors.report_verify(report=report)
    assert not result["valid"] and not result["payload_ok"]
    assert not any(s["valid"] for s in result["signatures"])
    assert result["countersign_ok"] is False


def test_tampered_signature_breaks_verification(closed, report):
    sign_all(closed, report)
    signature = report.signatures.first()
    other = report.signatures.last()
    signature.signature = other.signature
    signature.save()
    result = selectors.report_verify(report=report)
    assert result["payload_ok"] and not result["valid"]
    assert [s["valid"] for s in result["signatures"]].count(False) == 1


def test_tampered_dissent_reasons_break_signature(closed, report):
    member = closed.seated_members[1]
    services.report_dissent(actor=member.user, report=report, reasons="原理由")
    report.signatures.update(reasons="篡改后的理由")
    assert selectors.report_verify(report=report)["signatures"][0]["valid"] is False


def test_sign_twice_refused(closed, report):
    services.report_sign(actor=closed.seated_members[1].user, report=report)
    with pytest.raises(BiddingStateError, match="已经签署"):
        services.report_sign(actor=closed.seated_members[1].user, report=report)
    assert report.signatures.count() == 1


def test_dissent_without_reasons_refused(closed, report):
    with pytest.raises(BiddingInputError, match="必须写明理由"):
        services.report_dissent(actor=closed.seated_members[1].user, report=report, reasons=" ")
    assert not report.signatures.exists()


def test_sign_refused_when_scores_changed_since_report(closed, report):
    Score.objects.filter(pk=Score.objects.first().pk).update(points=D("2"))
    with pytest.raises(BiddingStateError, match="不一致"):
        services.report_sign(actor=closed.seated_members[1].user, report=report)


def test_countersign_only_main_venue(closed, report):
    with pytest.raises(BiddingForbidden, match="主场管理员"):
        services.report_countersign(actor=closed.operators["yantai"], report=report)
    with pytest.raises(BiddingForbidden):
        services.report_countersign(actor=closed.seated_members[0].user, report=report)


def test_unsigned_members_deemed_agreeing_and_late_signature_refused(closed, report):
    services.report_sign(actor=closed.seated_members[0].user, report=report)
    services.report_countersign(actor=closed.main_op, report=report)
    with pytest.raises(BiddingStateError, match="不能再签署"):
        services.report_sign(actor=closed.seated_members[1].user, report=report)
    assert selectors.report_verify(report=report)["valid"]


class FakeSM2Signer:
    """A `Signer` that is not Ed25519: the interface accepts any backend."""

    algorithm = "test-hmac"

    def public_key(self):
        return "k"

    def sign(self, data):
        return signing.sha256_hex(b"k" + data)


def test_signer_interface_pluggable(closed, report, monkeypatch):
    monkeypatch.setitem(signing.VERIFIERS, "test-hmac",
                        lambda key, data, sig: sig == signing.sha256_hex(key.encode() + data))
    services.report_sign(actor=closed.seated_members[1].user, report=report,
                         signer=FakeSM2Signer())
    row = selectors.report_verify(report=report)["signatures"][0]
    assert row["valid"] and report.signatures.get().algorithm == "test-hmac"


def test_canonical_json_stable():
    assert signing.canonical_json({"b": D("1.50"), "a": ["中", 1]}) == \
        '{"a":["中",1],"b":"1.50"}'.encode()


def test_sm3_test_vector():
    # the test vector of domain/bid-evaluation.md (GB/T 32905 appendix A)
    assert signing.sm3_hex(b"abc") == \
        "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"


def test_ed25519_roundtrip_and_wrong_key():
    signer, other = signing.Ed25519Signer.generate(), signing.Ed25519Signer.generate()
    sig = signer.sign(b"data")
    assert signing.verify(algorithm="ed25519", public_key=signer.public_key(), data=b"data",
                          signature=sig)
    assert not signing.verify(algorithm="ed25519", public_key=other.public_key(),
                              data=b"data", signature=sig)
    assert not signing.verify(algorithm="ed25519", public_key=signer.public_key(),
                              data=b"datA", signature=sig)
    assert not signing.verify(algorithm="sm2", public_key="x", data=b"d", signature="y")


def test_lowest_price_worked_example_3_through_services(evaluation, client):
    ev = evaluation
    ev.tender = ev.make_tender(number="QDGX-2026-0003", method="lowest_price")
    lot = ev.tender.lots.get()
    bids = {name: services.bid_register(actor=ev.main_op, tender=ev.tender, lot=lot,
                                        bidder=f"{name}公司", bidder_uscc=make_uscc(900 + i),
                                        price=D(price))
            for i, (name, price) in enumerate([("A", "1020000"), ("B", "998000"),
                                               ("C", "1005000"), ("D", "1005000")])}
    members = ev.seat()
    for name, bid in bids.items():
        services.compliance_record(actor=members[0].user, bid=bid, passed=name != "B",
                                   reason="" if name != "B" else "不满足实质性要求")
    services.scoring_close(actor=members[0].user, tender=ev.tender)
    ev.tender.refresh_from_db()
    report = services.report_create(actor=members[0].user, tender=ev.tender)
    results = json.loads(report.payload)["lots"][0]["results"]
    assert [(r["bidder"], r["rank"], r["tied"]) for r in results] == [
        ("C公司", 1, True), ("D公司", 1, True), ("A公司", 3, False), ("B公司", None, False)]
    assert report.recommended == {"1": [bids["C"].pk, bids["D"].pk, bids["A"].pk]}
    client.force_login(ev.main_op)
    pdf = client.get(f"/bidding/tenders/{ev.tender.pk}/report.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
