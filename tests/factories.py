"""One factory per model. Codes are made valid with python-stdnum's own check digits."""

import factory
from stdnum.cn import ric, uscc

from onewindow.accounts.models import Department, Enterprise, User


def make_uscc(n: int) -> str:
    body = f"91370212{n:09d}"
    return body + uscc.calc_check_digit(body)


def make_ric(n: int) -> str:
    body = f"37021219900101{n % 1000:03d}"
    return body + ric.calc_check_digit(body + "0")  # stdnum expects a placeholder digit


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"dept{n}")
    name = factory.Sequence(lambda n: f"测试部门{n}")


class EnterpriseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enterprise

    name = factory.Sequence(lambda n: f"青岛测试科技有限公司{n}")
    uscc = factory.Sequence(make_uscc)
    legal_representative = "张三"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    last_name = "王"
    first_name = factory.Sequence(lambda n: f"测{n}")
    role = "applicant"
    password = factory.PostGenerationMethodCall("set_password", "pass-Word-123")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


# --- catalog (appended by the public-catalog pages work) ---------------------------------------

from onewindow.accounts.models import ServiceHall, Window  # noqa: E402
from onewindow.catalog.models import (  # noqa: E402
    Bundle,
    BundleItem,
    LifeEvent,
    MaterialRequirement,
    ProcessStep,
    ServiceItem,
)


class ServiceHallFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceHall
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"hall{n}")
    name = factory.Sequence(lambda n: f"高新区政务服务中心{n}")
    level = "center"
    address = "高新区创新大道 1 号"
    opening_hours = "工作日 9:00-17:00"


class WindowFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Window
        skip_postgeneration_save = True

    hall = factory.SubFactory(ServiceHallFactory)
    number = factory.Sequence(lambda n: f"{n + 1}")
    name = "综合受理"

    @factory.post_generation
    def departments(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.departments.set(extracted)


class LifeEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LifeEvent
        django_get_or_create = ["slug"]

    slug = factory.Sequence(lambda n: f"event-{n}")
    name = factory.Sequence(lambda n: f"测试主题{n}")


class ServiceItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceItem
        skip_postgeneration_save = True

    implementation_code = factory.Sequence(lambda n: f"11370200MB0000000X4000{n:06d}")
    basic_code = factory.Sequence(lambda n: f"{n:012d}")
    name = factory.Sequence(lambda n: f"测试事项{n}")
    item_type = 1
    department = factory.SubFactory(DepartmentFactory)
    implementing_body = factory.LazyAttribute(lambda o: o.department.name)
    legal_limit = 20
    promised_limit = 5
    case_type = "promised"

    @factory.post_generation
    def life_events(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.life_events.set(extracted)


class MaterialRequirementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MaterialRequirement

    item = factory.SubFactory(ServiceItemFactory)
    order = factory.Sequence(lambda n: n + 1)
    name = factory.Sequence(lambda n: f"测试材料{n}")


class ProcessStepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProcessStep

    item = factory.SubFactory(ServiceItemFactory)
    order = factory.Sequence(lambda n: n + 1)
    name = "受理"


class BundleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Bundle
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"bundle-{n}")
    name = factory.Sequence(lambda n: f"测试一件事{n}")
    lead_department = factory.SubFactory(DepartmentFactory)
    promised_limit_days = 10


class BundleItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BundleItem

    bundle = factory.SubFactory(BundleFactory)
    item = factory.SubFactory(ServiceItemFactory)
    order = factory.Sequence(lambda n: n + 1)


def record_review(reviewer, case_id: int, outcome: str = "agree"):
    """The reviewer's opinion that a decision follows (审查 before 决定)."""
    from onewindow.cases import services

    return services.case_review_step(actor=reviewer, case_id=case_id, kind="review",
                                     outcome=outcome, opinion="经审查，符合条件")
