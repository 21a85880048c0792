import pytest
from django.core.exceptions import ValidationError
from django.template import Context, Template

from onewindow.accounts.services import enterprise_register
from onewindow.accounts.validators import clean_ric, clean_uscc, mask_ric
from tests.factories import make_ric, make_uscc

pytestmark = pytest.mark.django_db


def test_clean_uscc_accepts_valid_and_compacts():
    code = make_uscc(7)
    assert clean_uscc(f" {code[:6]} {code[6:]} ") == code


@pytest.mark.parametrize("bad", ["", "123", "91370212000000007X", "9137021200000000IO"])
def test_clean_uscc_rejects_bad_code_in_chinese(bad):
    with pytest.raises(ValidationError) as info:
        clean_uscc(bad)
    assert "统一社会信用代码" in info.value.messages[0]


def test_clean_ric_rejects_wrong_check_digit():
    good = make_ric(1)
    wrong = good[:-1] + ("0" if good[-1] != "0" else "1")
    assert clean_ric(good) == good
    with pytest.raises(ValidationError, match="身份证号无效"):
        clean_ric(wrong)


def test_clean_ric_rejects_impossible_birth_date():
    body = "37021219901301001"  # month 13
    with pytest.raises(ValidationError):
        clean_ric(body + "0")


def test_mask_ric_keeps_four_each_side():
    assert mask_ric("37021219900101001X") == "3702**********001X"
    assert mask_ric("") == ""


def test_enterprise_register_refuses_bad_uscc_and_writes_nothing(make_user):
    from onewindow.accounts.models import Enterprise
    from onewindow.audit.models import AuditEvent

    with pytest.raises(ValidationError):
        enterprise_register(actor=make_user(), name="坏代码公司", uscc="91370212000000000A",
                            legal_representative="李四")
    assert Enterprise.objects.count() == 0
    assert AuditEvent.objects.count() == 0


def test_enterprise_register_audits(make_user):
    enterprise = enterprise_register(actor=make_user(role="window_clerk"), name="青岛好公司",
                                     uscc=make_uscc(3), legal_representative="李四")
    from onewindow.audit.selectors import events_for

    assert [e.action for e in events_for(enterprise)] == ["enterprise_register"]


@pytest.mark.parametrize(("role", "full"), [
    ("applicant", False), ("supervisor", False), ("help_agent", False),
    ("window_clerk", True), ("reviewer", True), ("system_admin", True),
])
def test_ric_filter_masks_for_roles_that_need_not_see(make_user, role, full):
    code = make_ric(5)
    viewer = make_user(role=role)
    out = Template("{% load onewindow %}{{ code|ric_for:viewer }}").render(
        Context({"code": code, "viewer": viewer}))
    assert (out == code) is full
    if not full:
        assert out == mask_ric(code)


def test_profile_page_masks_own_ric_for_applicant(client, make_user):
    user = make_user(ric=make_ric(9))
    client.force_login(user)
    body = client.get("/accounts/profile/").content.decode()
    assert mask_ric(user.ric) in body
    assert user.ric not in body
