"""The public catalog pages: browse, search, the one-time guide, bundles."""

import factory
import pytest
from django.urls import reverse

from tests.factories import (
    BundleFactory,
    BundleItemFactory,
    DepartmentFactory,
    LifeEventFactory,
    MaterialRequirementFactory,
    ProcessStepFactory,
    ServiceItemFactory,
    WindowFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def permit():
    """A construction permit with materials, steps, a life event, a bundle and a window."""
    dept = DepartmentFactory(code="zjj", name="高新区住房和城乡建设局", phone="0532-88880001")
    event = LifeEventFactory(slug="project", name="项目建设")
    item = ServiceItemFactory(
        name="建筑工程施工许可证核发", aliases="施工许可证\n开工许可",
        implementation_code="11370200MB1234567X400011730100001", basic_code="000173001000",
        department=dept, legal_limit=15, legal_limit_note="自受理之日起计算",
        promised_limit=3, promised_limit_note="材料齐全当日受理", visits_required=0,
        conditions="已经办理用地批准手续。\n已经取得建设工程规划许可证。",
        legal_basis="《中华人民共和国建筑法》第八条", result_name="建筑工程施工许可证",
        fee_required=False, where_to_apply="高新区政务服务中心二楼",
        office_hours="工作日 9:00-17:00",
        life_events=[event],
    )
    MaterialRequirementFactory(item=item, order=1, name="建设工程规划许可证", form="original",
                               original_count=1, source="shared")
    MaterialRequirementFactory(item=item, order=2, name="施工合同", tolerance_allowed=True,
                               copy_count=2, form="copy", allowed_file_types="pdf,ofd",
                               template="catalog/templates/contract.docx",
                               sample="catalog/samples/contract-sample.pdf")
    MaterialRequirementFactory(item=item, order=3, name="安全生产承诺书", required=False)
    ProcessStepFactory(item=item, order=1, name="网上申请", description="登录平台填报")
    ProcessStepFactory(item=item, order=2, name="审查决定", limit_days=3)
    bundle = BundleFactory(code="construction-start", name="工程建设项目开工一件事",
                           lead_department=dept, promised_limit_days=7, life_event=event,
                           motto="开工一件事，七日办结")
    BundleItemFactory(bundle=bundle, item=item, order=2)
    WindowFactory(number="8", departments=[dept])
    return item


def _body(response) -> str:
    return response.content.decode()


def test_index_lists_life_events_departments_and_bundles(client, permit):
    body = _body(client.get(reverse("catalog:index")))
    assert "办事指南" in body
    assert "项目建设" in body
    assert "高新区住房和城乡建设局" in body
    assert "工程建设项目开工一件事" in body
    assert 'hx-get="/catalog/search/"' in body


def test_departments_page_counts_published_items_only(client, permit):
    ServiceItemFactory(department=permit.department, name="未发布的事项", is_published=False)
    DepartmentFactory(code="closed", name="已撤销的部门", is_active=False)
    body = _body(client.get(reverse("catalog:departments")))
    assert "高新区住房和城乡建设局" in body
    assert "1 个事项" in body
    assert "已撤销的部门" not in body


def test_department_page_lists_its_published_items(client, permit):
    ServiceItemFactory(department=permit.department, name="未发布的事项", is_published=False)
    ServiceItemFactory(name="别的部门的事项")
    body = _body(client.get(reverse("catalog:department", args=["zjj"])))
    assert "建筑工程施工许可证核发" in body
    assert "0532-88880001" in body
    assert "承诺 3 个工作日" in body
    assert "未发布的事项" not in body
    assert "别的部门的事项" not in body


def test_department_page_paginates(client):
    dept = DepartmentFactory(code="many")
    ServiceItemFactory.create_batch(55, department=dept)
    first = _body(client.get(reverse("catalog:department", args=["many"])))
    second = _body(client.get(reverse("catalog:department", args=["many"]), {"page": 2}))
    assert "第 1 页，共 2 页" in first
    assert first.count('class="item-name"') == 50
    assert second.count('class="item-name"') == 5


@pytest.mark.parametrize("code", ["nope", "closed"])
def test_department_unknown_or_inactive_is_chinese_404(client, code):
    DepartmentFactory(code="closed", is_active=False)
    response = client.get(reverse("catalog:department", args=[code]))
    assert response.status_code == 404
    assert "页面不存在" in _body(response)


def test_life_event_page_lists_items_and_bundles(client, permit):
    ServiceItemFactory(name="不在主题里的事项")
    body = _body(client.get(reverse("catalog:life_event", args=["project"])))
    assert "<h1>项目建设</h1>" in body
    assert "建筑工程施工许可证核发" in body
    assert "工程建设项目开工一件事" in body
    assert "不在主题里的事项" not in body


def test_life_event_unknown_is_chinese_404(client):
    response = client.get(reverse("catalog:life_event", args=["no-such-event"]))
    assert response.status_code == 404
    assert "页面不存在" in _body(response)


def test_item_page_shows_the_whole_guide(client, permit):
    body = _body(client.get(reverse("catalog:item", args=[permit.pk])))
    for text in [
        "<h1>建筑工程施工许可证核发</h1>", "又称：施工许可证、开工许可",
        "15 个工作日（自受理之日起计算）", "3 个工作日（材料齐全当日受理）", "承诺件",
        "已经办理用地批准手续。", "《中华人民共和国建筑法》第八条", "不收费",
        "建设工程规划许可证", "施工合同", "安全生产承诺书", "非必要", "可容缺", "复印件 2 份",
        "原件 1 份", "部门共享获取", "PDF、OFD", "网上申请", "审查决定", "0 次跑动 · 全程网办",
        "四星：全程网办", "高新区政务服务中心二楼", "8号窗口", "工作日 9:00-17:00",
        "0532-88880001", "12345", "工程建设项目开工一件事", "建筑工程施工许可证",
        "/media/catalog/templates/contract.docx", "/media/catalog/samples/contract-sample.pdf",
        reverse("catalog:item_pdf", args=[permit.pk]),
    ]:
        assert text in body, text


def test_item_page_materials_in_order(client, permit):
    body = _body(client.get(reverse("catalog:item", args=[permit.pk])))
    assert body.index("建设工程规划许可证") < body.index("施工合同") < body.index("安全生产承诺书")


def test_item_page_counts_visits_when_not_online(client):
    item = ServiceItemFactory(visits_required=1, online_depth=3, case_type="on_the_spot",
                              promised_limit=None)
    body = _body(client.get(reverse("catalog:item", args=[item.pk])))
    assert "最多跑 1 次" in body
    assert "0 次跑动" not in body
    assert "即办件" in body
    assert "当场办结" in body


def test_item_page_escapes_text(client):
    item = ServiceItemFactory(name="<script>alert(1)</script>事项")
    body = _body(client.get(reverse("catalog:item", args=[item.pk])))
    assert "&lt;script&gt;alert(1)&lt;/script&gt;事项" in body
    assert "<script>alert(1)" not in body


def test_item_unpublished_is_404(client):
    item = ServiceItemFactory(is_published=False)
    response = client.get(reverse("catalog:item", args=[item.pk]))
    assert response.status_code == 404
    assert "页面不存在" in _body(response)


def test_item_unknown_is_chinese_404(client):
    response = client.get(reverse("catalog:item", args=[999999]))
    assert response.status_code == 404
    assert "页面不存在" in _body(response)


def test_item_page_queries_do_not_grow_with_materials(client, permit,
                                                      django_assert_max_num_queries):
    for n in range(10):
        MaterialRequirementFactory(item=permit, name=f"补充材料{n}")
        BundleItemFactory(item=permit)
    with django_assert_max_num_queries(7):
        response = client.get(reverse("catalog:item", args=[permit.pk]))
    assert "补充材料9" in _body(response)


def test_post_to_a_page_is_refused(client, permit):
    assert client.post(reverse("catalog:item", args=[permit.pk])).status_code == 405


# --- search -------------------------------------------------------------------------------------

def factory_name(prefix):
    return factory.Sequence(lambda n: f"{prefix}{n}")


def _search(client, q, **extra):
    return client.get(reverse("catalog:search"), {"q": q, **extra.pop("params", {})}, **extra)


@pytest.mark.parametrize("query", ["施工许可", "开工许可", "MB1234567X4000117", "000173001000",
                                   "建筑 许可"])
def test_search_finds_item_by_name_alias_or_code(client, permit, query):
    body = _body(_search(client, query))
    assert "找到 1 个事项" in body
    assert "建筑工程施工许可证核发" in body


def test_search_skips_unpublished_items(client, permit):
    ServiceItemFactory(name="建筑工程施工许可证变更", is_published=False)
    body = _body(_search(client, "建筑工程施工许可"))
    assert "找到 1 个事项" in body
    assert "建筑工程施工许可证变更" not in body


def test_search_ranks_exact_name_first(client, permit):
    ServiceItemFactory(name="食品经营许可证补办", aliases="")
    ServiceItemFactory(name="其他事项", aliases="食品经营许可")
    ServiceItemFactory(name="食品经营许可")
    body = _body(_search(client, "食品经营许可"))
    assert (body.index("食品经营许可</a>") < body.index("食品经营许可证补办")
            < body.index("其他事项"))


def test_search_no_match_is_friendly(client, permit):
    response = _search(client, "宇宙飞船发射许可")
    assert response.status_code == 200
    assert "没有找到与“宇宙飞船发射许可”相关的事项" in _body(response)


@pytest.mark.parametrize("query", ["", "   "])
def test_search_empty_query_is_friendly(client, query):
    response = _search(client, query)
    assert response.status_code == 200
    assert "请输入要办理的事项名称" in _body(response)


def test_search_without_q_is_friendly(client):
    response = client.get(reverse("catalog:search"))
    assert response.status_code == 200
    assert "请输入要办理的事项名称" in _body(response)


def test_search_200_char_query_is_friendly(client, permit):
    response = _search(client, "许" * 200)
    assert response.status_code == 200
    assert "没有找到" in _body(response)


def test_search_too_long_query_is_400_with_message(client, permit):
    response = _search(client, "许" * 201)
    assert response.status_code == 400
    assert "搜索内容过长，请缩短到 200 个字以内再试。" in _body(response)


def test_search_control_characters_do_not_break(client, permit):
    response = _search(client, "施工\x00许可")
    assert response.status_code == 200
    assert "建筑工程施工许可证核发" in _body(response)


def test_search_paginates(client):
    ServiceItemFactory.create_batch(25, name=factory_name("分页测试事项"))
    first = _body(_search(client, "分页测试"))
    second = _body(_search(client, "分页测试", params={"page": 2}))
    assert "找到 25 个事项" in first
    assert "第 1 页，共 2 页" in first
    assert first.count('class="item-name"') == 20
    assert second.count('class="item-name"') == 5
    assert "q=%E5%88%86%E9%A1%B5%E6%B5%8B%E8%AF%95&amp;page=2" in first


@pytest.mark.parametrize("page", ["abc", "999", "-1"])
def test_search_bad_page_number_still_shows_results(client, permit, page):
    response = _search(client, "施工", params={"page": page})
    assert response.status_code == 200
    assert "建筑工程施工许可证核发" in _body(response)


def test_search_htmx_request_gets_only_the_results(client, permit):
    response = _search(client, "施工", HTTP_HX_REQUEST="true")
    body = _body(response)
    assert body.lstrip().startswith('<div id="search-results"')
    assert "建筑工程施工许可证核发" in body
    assert "<html" not in body
    assert "HX-Request" in response.headers["Vary"]


def test_search_htmx_history_restore_gets_the_whole_page(client, permit):
    response = _search(client, "施工", HTTP_HX_REQUEST="true",
                       HTTP_HX_HISTORY_RESTORE_REQUEST="true")
    body = _body(response)
    assert "<html" in body
    assert "建筑工程施工许可证核发" in body


def test_search_queries_do_not_grow_with_results(client, django_assert_max_num_queries):
    ServiceItemFactory.create_batch(20, name=factory_name("计数事项"))
    with django_assert_max_num_queries(3):
        body = _body(_search(client, "计数事项"))
    assert "找到 20 个事项" in body


# --- bundles ------------------------------------------------------------------------------------

def test_bundles_page_lists_published_bundles(client, permit):
    BundleFactory(name="未发布的一件事", is_published=False)
    body = _body(client.get(reverse("catalog:bundles")))
    assert "工程建设项目开工一件事" in body
    assert "牵头部门：高新区住房和城乡建设局" in body
    assert "承诺 7 个工作日办结" in body
    assert "1 个事项" in body
    assert "未发布的一件事" not in body


def test_bundle_page_shows_items_in_order_limits_and_promise(client, permit):
    bundle = permit.bundles.get()
    fire = ServiceItemFactory(name="消防设计审查")
    MaterialRequirementFactory(item=fire, name="建设工程规划许可证")
    MaterialRequirementFactory(item=fire, name="消防设计文件")
    BundleItemFactory(bundle=bundle, item=fire, order=1)
    BundleItemFactory(bundle=bundle, item=ServiceItemFactory(name="未发布的子事项",
                                                             is_published=False), order=3)
    body = _body(client.get(reverse("catalog:bundle", args=["construction-start"])))
    assert body.index("消防设计审查") < body.index("建筑工程施工许可证核发")
    for text in ["开工一件事，七日办结", "7 个工作日", "45 个工作日（可延长 15 个工作日）",
                 "高新区住房和城乡建设局", "一表申请", "包含事项（共 2 项）", "消防设计文件"]:
        assert text in body, text
    assert body.count("<th scope=\"row\" data-label=\"材料名称\">建设工程规划许可证</th>") == 1
    assert "未发布的子事项" not in body


def test_bundle_unpublished_is_404(client):
    BundleFactory(code="hidden", is_published=False)
    response = client.get(reverse("catalog:bundle", args=["hidden"]))
    assert response.status_code == 404
    assert "页面不存在" in _body(response)


@pytest.mark.parametrize("name", ["catalog:item", "catalog:item_pdf"])
def test_item_number_too_large_is_404(client, name):
    response = client.get(reverse(name, args=[10**30]))
    assert response.status_code == 404
    assert "页面不存在" in _body(response)


def test_imported_item_without_limits_shows_no_empty_promise(client):
    item = ServiceItemFactory(name="导入的事项", source="imported", promised_limit=None,
                              legal_limit=None)
    listing = _body(client.get(reverse("catalog:department", args=[item.department.code])))
    guide_page = _body(client.get(reverse("catalog:item", args=[item.pk])))
    assert "导入的事项" in listing
    assert "承诺 未规定" not in listing
    assert "未规定" in guide_page


@pytest.mark.parametrize("scheme, shown", [(True, True), (False, False)])
def test_guide_offers_a_commitment_only_where_the_item_runs_the_scheme(scheme, shown):
    from onewindow.catalog.guide import material_tolerance_text
    from tests.factories import MaterialRequirementFactory, ServiceItemFactory

    item = ServiceItemFactory(commitment_allowed=scheme)
    material = MaterialRequirementFactory(item=item, commitment_replaces=True)
    assert ("可告知承诺替代" in material_tolerance_text(material)) is shown
