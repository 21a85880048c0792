"""The OCDS export validates against the OCDS 1.1 release schema with the bids extension."""

import jsonschema
import pytest

from onewindow.bidding import ocds, services
from onewindow.bidding.models import Bid
from tests.bidding.conftest import EXAMPLE1, close_with_example1


def validate(release):
    schema = ocds.release_schema()
    jsonschema.Draft4Validator(schema, format_checker=jsonschema.FormatChecker()).validate(
        release)


def test_merged_schema_has_bids_and_core():
    schema = ocds.release_schema()
    jsonschema.Draft4Validator.check_schema(schema)
    assert "bids" in schema["properties"] and "Bid" in schema["definitions"]
    assert "relatedBids" in schema["definitions"]["Award"]["properties"]
    assert "suppliers" in schema["definitions"]["Award"]["properties"]
    assert schema["id"].endswith("1__1__4/release-schema.json")


def test_merge_patch_rfc7386():
    assert ocds.merge_patch({"a": {"b": 1, "c": 2}}, {"a": {"c": None, "d": 3}}) == \
        {"a": {"b": 1, "d": 3}}


def test_tender_release_valid(evaluation):
    (release,) = ocds.releases(evaluation.tender)
    validate(release)
    assert release["tag"] == ["tender"]
    assert [d["status"] for d in release["bids"]["details"]] == ["pending"] * 3
    assert release["bids"]["details"][0]["documents"][0]["id"] == \
        evaluation.bids[0].documents.get().sha256


def test_award_release_valid_with_related_bids(seated):
    services.compliance_record(actor=seated.seated_members[0].user, bid=seated.bids[0],
                               passed=True)
    close_with_example1(seated)
    seated.tender.refresh_from_db()
    report = services.report_create(actor=seated.main_op, tender=seated.tender)
    services.report_countersign(actor=seated.main_op, report=report)
    seated.tender.refresh_from_db()
    package = ocds.release_package(seated.tender)
    assert len(package["releases"]) == 2
    for release in package["releases"]:
        validate(release)
    award = package["releases"][1]
    assert award["tender"]["status"] == "complete"
    assert [a["relatedBids"] for a in award["awards"]] == [
        [str(seated.bids[1].pk)], [str(seated.bids[2].pk)], [str(seated.bids[0].pk)]]
    ranks = {d["id"]: d.get("rank") for d in award["bids"]["details"]}
    assert ranks[str(seated.bids[1].pk)] == 1


def test_disqualified_bid_in_award_release(seated):
    services.compliance_record(actor=seated.seated_members[0].user, bid=seated.bids[2],
                               passed=False, reason="未按要求提供资质证书")
    members = seated.seated_members
    for bid in seated.bids[:2]:
        services.compliance_record(actor=members[0].user, bid=bid, passed=True)
    for b, bid in enumerate(seated.bids[:2]):
        for m, member in enumerate(members):
            for criterion, points in zip(seated.criteria, EXAMPLE1[b][m], strict=True):
                services.score_enter(actor=member.user, bid=bid, criterion=criterion,
                                     points=points)
    services.scoring_close(actor=members[0].user, tender=seated.tender)
    seated.tender.refresh_from_db()
    services.report_create(actor=seated.main_op, tender=seated.tender)
    release = ocds.releases(seated.tender)[1]
    validate(release)
    statuses = {d["id"]: d["status"] for d in release["bids"]["details"]}
    assert statuses[str(seated.bids[2].pk)] == "disqualified"
    assert str(seated.bids[2].pk) not in [b for a in release["awards"] for b in a["relatedBids"]]


def test_invalid_release_rejected_by_schema(evaluation):
    (release,) = ocds.releases(evaluation.tender)
    release["bids"]["details"][0]["status"] = "winner"
    with pytest.raises(jsonschema.ValidationError):
        validate(release)
    assert Bid.objects.count() == 3
