"""A small zone for case tests: one item with two required materials, and a user per role."""

import datetime as dt
import threading

import pytest
from django.core.files.base import ContentFile
from django.db import connections

from onewindow.cases import services
from onewindow.cases.models import Case
from tests.factories import (
    DepartmentFactory,
    EnterpriseFactory,
    MaterialRequirementFactory,
    ServiceItemFactory,
    UserFactory,
    record_review,
)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def zone(db):
    dept = DepartmentFactory(code="zjj", name="高新区住房和城乡建设局")
    other = DepartmentFactory(code="scj", name="高新区市场监督管理局")
    item = ServiceItemFactory(name="建筑工程施工许可证核发", department=dept,
                              legal_limit=7, promised_limit=2)
    MaterialRequirementFactory(item=item, name="建筑工程施工许可申请表", order=1)
    MaterialRequirementFactory(item=item, name="建设工程规划许可证", order=2)
    MaterialRequirementFactory(item=item, name="其他说明", order=3, required=False)
    enterprise = EnterpriseFactory(name="青岛启明智能科技有限公司")
    applicant = UserFactory(username="applicant", role="applicant")
    applicant.memberships.create(enterprise=enterprise)
    return type("Zone", (), {
        "dept": dept, "other": other, "item": item, "enterprise": enterprise,
        "applicant": applicant,
        "stranger": UserFactory(username="stranger", role="applicant"),
        "clerk": UserFactory(username="clerk", role="window_clerk"),
        "clerk2": UserFactory(username="clerk2", role="window_clerk"),
        "reviewer": UserFactory(username="reviewer", role="reviewer", department=dept),
        "approver": UserFactory(username="approver", role="approver", department=dept),
        "other_reviewer": UserFactory(username="other", role="reviewer", department=other),
        "supervisor": UserFactory(username="supervisor", role="supervisor"),
    })


def upload_all(case, actor, *, required=None):
    """Store a small PDF for every required material (bypassing the upload checks), or for
    those of them named in `required`."""
    import hashlib

    requirements = case.item.materials.filter(required=True)
    if required is not None:
        requirements = requirements.filter(name__in=required)
    for requirement in requirements:
        content = PDF + requirement.name.encode()
        digest = hashlib.sha256(content).hexdigest()
        stored = {"file": ContentFile(content, name=f"{digest}.pdf"), "original_name": "a.pdf",
                  "content_type": "application/pdf", "extension": "pdf", "size": len(content),
                  "sha256": digest}
        services.material_record(actor=actor, case=case, requirement=requirement, stored=stored)


@pytest.fixture
def submitted(zone):
    case = services.case_create_draft(actor=zone.applicant, item=zone.item,
                                      enterprise=zone.enterprise)
    upload_all(case, zone.applicant)
    return services.case_submit(actor=zone.applicant, case_id=case.pk)


@pytest.fixture
def in_review(zone, submitted):
    """Accepted, in review, with the reviewer's opinion recorded: ready to decide."""
    services.case_accept(actor=zone.clerk, case_id=submitted.pk)
    services.case_start_review(actor=zone.reviewer, case_id=submitted.pk)
    return record_review(zone.reviewer, submitted.pk)


@pytest.fixture
def freeze_today(monkeypatch):
    """Set the zone's 'today' for the clocks."""
    def freeze(day: dt.date):
        monkeypatch.setattr("onewindow.cases.clocks.today", lambda: day)
    return freeze


def reload(case) -> Case:
    return Case.objects.get(pk=case.pk)


def race(*calls):
    """Run the calls in threads (each with its own database connection) released together."""
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def run(i, call):
        try:
            barrier.wait()
            outcomes[i] = call()
        except Exception as exc:  # the loser's error is the point of the test
            outcomes[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return outcomes
