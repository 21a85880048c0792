"""A small catalog for the guide's tests: a handful of items a person might ask about."""

from types import SimpleNamespace

from tests.factories import (
    BundleFactory,
    BundleItemFactory,
    DepartmentFactory,
    LifeEventFactory,
    MaterialRequirementFactory,
    ServiceItemFactory,
)


def small_zone():
    market = DepartmentFactory(name="高新区市场监督管理局", short_name="市场监管局")
    housing = DepartmentFactory(name="高新区住房和城乡建设局", short_name="住建局")
    start = LifeEventFactory(slug="start-business", name="开办企业")
    company = ServiceItemFactory(name="企业设立登记", department=market, audience="enterprise",
                                 aliases="注册公司\n营业执照办理", online_depth=4)
    company.life_events.add(start)
    person = ServiceItemFactory(name="个体工商户设立登记", department=market, audience="person",
                                aliases="个体户注册\n个体工商户营业执照", online_depth=4)
    food = ServiceItemFactory(name="食品经营许可", department=market, aliases="餐饮许可证",
                              summary="从事食品销售和餐饮服务活动，应当取得食品经营许可。")
    MaterialRequirementFactory(item=food, name="食品经营许可申请书")
    deregister = ServiceItemFactory(name="企业注销登记", department=market,
                                    aliases="公司注销\n营业执照注销")
    permit = ServiceItemFactory(name="建筑工程施工许可证核发", department=housing,
                                aliases="施工许可证\n开工许可", online_depth=4)
    night = ServiceItemFactory(name="夜间施工作业证明", department=housing,
                               aliases="夜间施工许可")
    bundle = BundleFactory(name="企业开办一件事", lead_department=market, life_event=start)
    BundleItemFactory(bundle=bundle, item=company, order=1)
    return SimpleNamespace(market=market, housing=housing, start=start, company=company,
                           person=person, food=food, deregister=deregister, permit=permit,
                           night=night, bundle=bundle)
