"""Open311 GeoReport v2 conformance, written from the spec: every endpoint in both formats,
the create rules (api_key, service_code, location), the filters, and the error shape."""

import datetime as dt
import json
import xml.etree.ElementTree as ET

import pytest
from django.test import Client

from onewindow.accounts.services import api_token_create
from onewindow.complaints import services
from onewindow.complaints.enums import Channel, RequestState
from onewindow.complaints.models import ServiceRequest
from tests.complaints.conftest import TZ, file
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
BASE = "/open311/v2"
RECORD_FIELDS = {"service_request_id", "status", "status_notes", "service_name", "service_code",
                 "description", "agency_responsible", "service_notice", "requested_datetime",
                 "updated_datetime", "expected_datetime", "address", "address_id", "zipcode",
                 "lat", "long", "media_url"}


@pytest.fixture
def api_key(db):
    _token, key = api_token_create(actor=None, owner=UserFactory(username="hotline12345",
                                                                 role="system_admin"),
                                   name="12345热线")
    return key


def get(path, fmt="json", **params):
    return Client().get(f"{BASE}/{path}.{fmt}", params)


def post(fmt="json", **data):
    return Client(enforce_csrf_checks=True).post(f"{BASE}/requests.{fmt}", data)


def xml(response):
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert response.content.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    return ET.fromstring(response.content)


def assert_error(response, status, fmt="json"):
    assert response.status_code == status
    if fmt == "json":
        body = response.json()
        assert isinstance(body, list) and body[0]["code"] == status and body[0]["description"]
    else:
        root = xml(response)
        assert root.tag == "errors"
        assert root.find("error/code").text == str(status) and root.find("error/description").text


# --- services -----------------------------------------------------------------------------------
def test_open311_services_json(zone):
    body = get("services").json()
    codes = {s["service_code"] for s in body}
    assert {"emergency", "ordinary", "complex"} <= codes
    service = next(s for s in body if s["service_code"] == "ordinary")
    assert service == {"service_code": "ordinary", "service_name": "一般诉求",
                       "description": service["description"], "metadata": True,
                       "type": "realtime", "keywords": "", "group": "一般"}


def test_open311_services_xml(zone):
    root = xml(get("services", "xml"))
    assert root.tag == "services"
    first = root.find("service")
    assert {c.tag for c in first} == {"service_code", "service_name", "description", "metadata",
                                      "type", "keywords", "group"}
    assert first.find("metadata").text == "true"


def test_open311_service_definition_both_formats(zone):
    body = get("services/ordinary").json()
    attribute = body["attributes"][0]
    assert body["service_code"] == "ordinary" and attribute["code"] == "kind"
    assert attribute["datatype"] == "singlevaluelist" and attribute["order"] == 1
    assert {v["key"] for v in attribute["values"]} == {"consultation", "complaint",
                                                       "suggestion", "help", "report"}
    root = xml(get("services/ordinary", "xml"))
    assert root.tag == "service_definition"
    assert root.find("attributes/attribute/values/value/key").text == "consultation"


def test_open311_service_definition_unknown_is_404(zone):
    assert_error(get("services/nope"), 404)
    assert_error(get("services/nope", "xml"), 404, "xml")


def test_open311_unknown_format_is_400(zone):
    assert_error(get("services", "csv"), 400, "xml")


# --- create -------------------------------------------------------------------------------------
def test_open311_create_json_then_token_and_get(zone, clock, api_key):
    response = post(api_key=api_key, service_code="ordinary", lat="36.1", long="120.4",
                    description="路灯不亮", first_name="明", last_name="张", phone="13900000000",
                    **{"attribute[kind]": "report"})
    assert response.status_code == 201
    created = response.json()[0]
    request = ServiceRequest.objects.get(number=created["service_request_id"])
    assert request.channel == Channel.OPEN311 and request.kind == "report"
    assert request.contact_name == "张 明" and float(request.lat) == 36.1
    token = get(f"tokens/{created['token']}").json()[0]
    assert token["service_request_id"] == request.number
    record = get(f"requests/{request.number}").json()[0]
    assert set(record) == RECORD_FIELDS
    assert record["status"] == "open" and record["service_code"] == "ordinary"
    assert record["requested_datetime"].endswith("+08:00")


def test_open311_create_xml(zone, clock, api_key):
    root = xml(post("xml", api_key=api_key, service_code="emergency",
                    address_string="高新区火炬路1号", description="井盖缺失"))
    assert root.tag == "service_requests"
    assert root.find("request/service_request_id").text.startswith("SQ")


def test_open311_create_without_api_key_is_403(zone, api_key):
    assert_error(post(service_code="ordinary", address_string="x", description="y"), 403)
    assert_error(post("xml", api_key="ow_wrong", service_code="ordinary", address_string="x"),
                 403, "xml")
    assert not ServiceRequest.objects.exists()


def test_open311_create_needs_location(zone, api_key):
    assert_error(post(api_key=api_key, service_code="ordinary", description="y"), 400)


def test_open311_create_bad_coordinates(zone, api_key):
    assert_error(post(api_key=api_key, service_code="ordinary", lat="north", long="1"), 400)
    assert_error(post(api_key=api_key, service_code="ordinary", lat="91", long="1"), 400)


def test_open311_create_unknown_service_and_bad_kind(zone, api_key):
    assert_error(post(api_key=api_key, service_code="nope", address_string="x"), 404)
    assert_error(post(api_key=api_key, service_code="", address_string="x"), 400)
    assert_error(post(api_key=api_key, service_code="ordinary", address_string="x",
                      **{"attribute[kind]": "bribe"}), 400)


def test_open311_create_description_too_long(zone, api_key):
    assert_error(post(api_key=api_key, service_code="ordinary", address_string="x",
                      description="长" * 4001), 400)


# --- list and get -------------------------------------------------------------------------------
def test_open311_list_filters(zone, clock):
    first = file(zone)
    clock.advance(days=2)
    second = file(zone, category=zone.emergency)
    services.request_dispatch(actor=zone.dispatcher, request_id=second.pk, lead=zone.lead)
    services.request_answer(actor=zone.lead_staff, request_id=second.pk, text="已修复")

    def numbers(**params):
        return [r["service_request_id"] for r in get("requests", **params).json()]

    assert numbers() == [second.number, first.number]
    assert numbers(service_code="emergency") == [second.number]
    assert numbers(status="closed") == [second.number]
    assert numbers(status="open") == [first.number]
    assert numbers(service_request_id=f"{first.number},nope") == [first.number]
    day2 = dt.datetime(2026, 3, 3, 0, 0, tzinfo=TZ).isoformat()
    assert numbers(start_date=day2) == [second.number]
    assert numbers(end_date=day2) == [first.number]
    closed = get(f"requests/{second.number}").json()[0]
    assert closed["status"] == "closed" and "已修复" in closed["status_notes"]
    assert closed["agency_responsible"] == zone.lead.name


def test_open311_list_default_window_is_90_days(zone, clock):
    old = file(zone)
    clock.advance(days=91)
    new = file(zone)
    assert [r["service_request_id"] for r in get("requests").json()] == [new.number]
    assert get("requests", service_request_id=old.number).json()[0]["service_request_id"] \
        == old.number


def test_open311_list_xml(zone, clock):
    file(zone)
    root = xml(get("requests", "xml"))
    assert root.tag == "service_requests"
    assert {c.tag for c in root.find("request")} == RECORD_FIELDS


def test_open311_list_bad_filters_are_400(zone):
    assert_error(get("requests", status="pending"), 400)
    assert_error(get("requests", start_date="yesterday"), 400)
    assert_error(get("requests", "xml", start_date="2026-03-01T00:00:00"), 400, "xml")


def test_open311_get_unknown_request_and_token_404(zone):
    assert_error(get("requests/SQ0"), 404)
    assert_error(get("tokens/abc", "xml"), 404, "xml")


def test_open311_record_status_mapping(zone, clock):
    request = file(zone)
    services.request_withdraw(actor=zone.requester, request_id=request.pk)
    record = json.loads(get(f"requests/{request.number}").content)[0]
    assert record["status"] == "closed"
    assert ServiceRequest.objects.get().state == RequestState.WITHDRAWN
