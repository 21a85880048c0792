"""The demo zone's feedback data; idempotent, called by `onewindow seed`.

- every demo case that is completed or delivered gets its rating invitation (so the applicant
  finds "请您对…作出评价" among the messages and can try the rate page);
- this month's third-party survey for the centre hall's windows (so that the ranking page
  shows it beside the ranking), imported through the same service as a workbook, once.
"""

from __future__ import annotations

import datetime as dt
import io

from django.utils import timezone
from openpyxl import Workbook

from onewindow.accounts.models import User, Window
from onewindow.feedback import workbook
from onewindow.feedback.case_subject import completed_cases_to_invite
from onewindow.feedback.models import SurveyImport
from onewindow.feedback.services import rating_invite, survey_import

AGENCY = "青岛高校第三方政务服务评估中心（演示）"
# (score, sample size) for the centre's windows in order; demo figures, labelled as such.
DEMO_SCORES = [(97.2, 160), (95.8, 142), (93.5, 88), (96.1, 120), (91.4, 64), (94.0, 75)]


def seed_demo_feedback() -> int:
    """Create what is missing; return how many objects were created (0 on a second run)."""
    made = 0
    since = timezone.now() - dt.timedelta(days=3650)
    for case_id, applicant, title in completed_cases_to_invite(since=since):
        made += rating_invite(kind="case", object_id=case_id, users=[applicant], title=title)
    return made + _seed_survey()


def _seed_survey() -> int:
    supervisor = User.objects.filter(username="supervisor").first()
    windows = list(Window.objects.filter(hall__code="center", is_active=True)
                   .select_related("hall").order_by("number")[:len(DEMO_SCORES)])
    if supervisor is None or not windows or SurveyImport.objects.filter(agency=AGENCY).exists():
        return 0
    book = Workbook()
    book.active.append([str(c) for c in workbook.COLUMNS])
    for window, (score, samples) in zip(windows, DEMO_SCORES, strict=False):
        book.active.append([window.hall.code, window.number, score, samples, "演示数据"])
    out = io.BytesIO()
    book.save(out)
    survey_import(actor=supervisor, month=timezone.localdate(), agency=AGENCY,
                  file_name="demo.xlsx", data=out.getvalue())
    return 1
