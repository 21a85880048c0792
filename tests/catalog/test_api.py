"""The public catalog API: /api/catalog/…"""

import pytest

from tests.factories import (
    BundleFactory,
    BundleItemFactory,
    DepartmentFactory,
    LifeEventFactory,
    MaterialRequirementFactory,
    ProcessStepFactory,
    ServiceItemFactory,
)

pytestmark = pytest.mark.django_db
API = "/api/catalog"


@pytest.fixture
def catalog():
    zjj = DepartmentFactory(code="zjj", name="区住建局", order=1)
    scj = DepartmentFactory(code="scj", name="区市场监管局", order=2)
    build = LifeEventFactory(slug="build", name="项目建设")
    permit = ServiceItemFactory(name="建筑工程施工许可证核发", department=zjj, aliases="开工许可",
                                life_events=[build], implementation_code="P-1")
    food = ServiceItemFactory(name="食品经营许可", department=scj, item_type=1)
    record = ServiceItemFactory(name="企业投资项目备案", department=zjj, item_type=20,
                                case_type="on_the_spot", promised_limit=None)
    hidden = ServiceItemFactory(name="未发布的许可", department=zjj, is_published=False)
    MaterialRequirementFactory(item=permit, order=2, name="施工合同", form="copy", copy_count=2,
                               allowed_file_types="pdf,ofd", tolerance_allowed=True)
    MaterialRequirementFactory(item=permit, order=1, name="规划许可证", source="shared")
    ProcessStepFactory(item=permit, order=1, name="受理", limit_days=1)
    bundle = BundleFactory(code="start-build", name="开工一件事", lead_department=zjj,
                           life_event=build, promised_limit_days=7)
    BundleItemFactory(bundle=bundle, item=permit, order=1)
    BundleItemFactory(bundle=bundle, item=hidden, order=2)
    return {"permit": permit, "food": food, "record": record, "hidden": hidden}


def names(response) -> list[str]:
    return [item["name"] for item in response.json()["items"]]


def test_item_list_is_paginated_published_items(client, catalog):
    body = client.get(f"{API}/items", {"page_size": 2}).json()
    assert body["count"] == 3
    # Department order first; within a department the database's collation orders names.
    assert {i["name"] for i in body["items"]} == {"企业投资项目备案", "建筑工程施工许可证核发"}
    page2 = client.get(f"{API}/items", {"page_size": 2, "page": 2}).json()
    assert [i["name"] for i in page2["items"]] == ["食品经营许可"]
    record = next(i for i in body["items"] if i["name"] == "企业投资项目备案")
    assert record["department"] == {"code": "zjj", "name": "区住建局"}
    assert (record["item_type_label"], record["case_type_label"]) == ("公共服务", "即办件")


@pytest.mark.parametrize(("params", "expected"), [
    ({"department": "scj"}, ["食品经营许可"]),
    ({"life_event": "build"}, ["建筑工程施工许可证核发"]),
    ({"q": "开工"}, ["建筑工程施工许可证核发"]),
    ({"q": "许可"}, ["建筑工程施工许可证核发", "食品经营许可"]),  # same rank: department order
    ({"item_type": 20}, ["企业投资项目备案"]),
    ({"department": "zjj", "item_type": 1}, ["建筑工程施工许可证核发"]),
    ({"department": "nowhere"}, []),
])
def test_item_list_filters(client, catalog, params, expected):
    assert names(client.get(f"{API}/items", params)) == expected


def test_item_list_rejects_unknown_item_type_with_chinese_detail(client, catalog):
    response = client.get(f"{API}/items", {"item_type": 99})
    assert response.status_code == 422
    assert "请求参数有误" in response.json()["detail"]


def test_item_detail_has_materials_steps_and_life_events(client, catalog):
    body = client.get(f"{API}/items/{catalog['permit'].pk}").json()
    assert body["implementation_code"] == "P-1" and body["aliases"] == ["开工许可"]
    assert [m["name"] for m in body["materials"]] == ["规划许可证", "施工合同"]
    contract = body["materials"][1]
    assert (contract["form_label"], contract["copy_count"], contract["allowed_file_types"],
            contract["tolerance_allowed"]) == ("复印件", 2, ["pdf", "ofd"], True)
    assert body["materials"][0]["source_label"] == "部门共享获取"
    assert body["steps"] == [{"order": 1, "name": "受理", "description": "", "limit_days": 1}]
    assert body["life_events"] == [{"slug": "build", "name": "项目建设"}]


def test_item_detail_of_unpublished_or_missing_item_is_404(client, catalog):
    for pk in (catalog["hidden"].pk, 999_999):
        response = client.get(f"{API}/items/{pk}")
        assert response.status_code == 404
        assert response.json()["detail"] == "没有找到该事项，或该事项尚未发布"


def test_department_list_counts_published_items(client, catalog):
    body = client.get(f"{API}/departments").json()
    assert [(d["code"], d["item_count"]) for d in body] == [("zjj", 2), ("scj", 1)]


def test_life_event_list(client, catalog):
    assert client.get(f"{API}/life-events").json() == [
        {"slug": "build", "name": "项目建设", "audience": "enterprise", "description": "",
         "item_count": 1}]


def test_bundle_list_and_detail_show_only_published_items(client, catalog):
    bundles = client.get(f"{API}/bundles").json()
    assert [(b["code"], b["item_count"], b["promised_limit_days"]) for b in bundles] == [
        ("start-build", 1, 7)]
    detail = client.get(f"{API}/bundles/start-build").json()
    assert (detail["lead_department"]["name"], detail["item_count"]) == ("区住建局", 1)
    assert detail["life_event"] == {"slug": "build", "name": "项目建设"}
    assert [(i["order"], i["item"]["name"]) for i in detail["items"]] == [
        (1, "建筑工程施工许可证核发")]


def test_bundle_detail_of_unknown_bundle_is_404(client, catalog):
    response = client.get(f"{API}/bundles/nothing-here")
    assert response.status_code == 404
    assert response.json()["detail"] == "没有找到该一件事"


def test_catalog_api_is_in_openapi_under_catalog_tag(client):
    schema = client.get("/api/openapi.json").json()
    operation = schema["paths"]["/api/catalog/items"]["get"]
    assert operation["tags"] == ["catalog"]
    assert {p["name"] for p in operation["parameters"]} >= {"q", "department", "life_event",
                                                            "item_type", "page"}
