"""Third-party survey results (第三方测评) imported from Excel: the whole file or nothing."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from onewindow.audit.services import audit_record
from onewindow.feedback import workbook
from onewindow.feedback.errors import Forbidden, SurveyImportError
from onewindow.feedback.models import SurveyImport, SurveyResult


@transaction.atomic
def survey_import(*, actor, month: dt.date, agency: str, file_name: str,
                  data: bytes) -> SurveyImport:
    """Import one agency's results for one month; a new import for the same month and agency
    replaces the earlier one. Any row's problem rejects the whole file (nothing written)."""
    if not actor.has_perm("feedback.import_survey"):
        raise Forbidden(_("只有督查人员可以导入第三方测评结果。"))
    agency = (agency or "").strip()
    if not agency or len(agency) > 200:
        raise SurveyImportError(_("请填写测评机构名称（不超过 200 字）。"))
    rows, problems = workbook.read(data)
    if problems:
        raise SurveyImportError(_("文件未导入，请改正以下 %(n)d 处问题后重新上传。") % {
            "n": len(problems)}, problems)
    month = month.replace(day=1)
    replaced = list(SurveyImport.objects.select_for_update()
                    .filter(month=month, agency=agency).values_list("pk", flat=True))
    SurveyImport.objects.filter(pk__in=replaced).delete()
    survey = SurveyImport(month=month, agency=agency, file_name=file_name[:200],
                          imported_by=actor)
    survey.full_clean()
    survey.save()
    SurveyResult.objects.bulk_create(
        SurveyResult(survey=survey, window=row.window, score=row.score,
                     sample_size=row.sample_size, remark=row.remark) for row in rows)
    audit_record(actor=actor, action="survey.import", obj=survey,
                 new={"month": month, "agency": agency, "rows": len(rows),
                      "replaced": replaced}, note=file_name)
    return survey
