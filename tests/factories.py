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
