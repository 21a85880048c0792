"""A zone with the instant item 企业投资项目备案 and its published demo decision table."""

import pytest

from onewindow.cases import services
from onewindow.decisions.seeding import PROJECT_FILING_CODE, demo_form_data, seed_demo_tables
from tests.cases.conftest import upload_all
from tests.factories import (
    DepartmentFactory,
    EnterpriseFactory,
    MaterialRequirementFactory,
    ServiceItemFactory,
    UserFactory,
)


@pytest.fixture
def filing(db):
    dept = DepartmentFactory(code="fgj", name="高新区发展和改革局")
    item = ServiceItemFactory(name="企业投资项目备案", basic_code=PROJECT_FILING_CODE,
                              department=dept, legal_limit=None, promised_limit=0,
                              case_type="on_the_spot", instant_approval=True,
                              result_name="企业投资项目备案证明（含项目代码）")
    MaterialRequirementFactory(item=item, name="项目名称、建设地点、建设规模、建设内容")
    enterprise = EnterpriseFactory(name="青岛启明智能科技有限公司", industry="智能制造")
    applicant = UserFactory(username="filer", role="applicant")
    applicant.memberships.create(enterprise=enterprise)
    assert seed_demo_tables() == 1
    return type("Filing", (), {
        "dept": dept, "item": item, "enterprise": enterprise, "applicant": applicant,
        "version": item.decision_table.versions.get(),
        "clerk": UserFactory(username="clerk", role="window_clerk"),
        "catalog_admin": UserFactory(username="catalog-admin", role="catalog_admin"),
    })


@pytest.fixture
def draft(filing):
    """make(**form overrides) → a draft filing with its materials, ready to submit."""
    def make(enterprise=filing.enterprise, **form):
        case = services.case_create_draft(actor=filing.applicant, item=filing.item,
                                          enterprise=enterprise,
                                          form_data=demo_form_data(**form))
        upload_all(case, filing.applicant)
        return case
    return make
