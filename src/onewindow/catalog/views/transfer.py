"""Excel import and export pages for catalog administrators."""

import io
from functools import wraps

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from onewindow.catalog.services import catalog_import_excel
from onewindow.catalog.transfer.reader import max_workbook_bytes
from onewindow.catalog.transfer.report import ImportRejected, ImportResult

# `transfer.writer` (and openpyxl, about 30 MB) is imported by the two downloads that use it, so
# that a worker that never writes a workbook does not carry it.

MAX_PROBLEMS_SHOWN = 500  # a sheet of 20,000 bad rows is still one readable page


def permission_required(perm: str):
    """Sign-in first for visitors; a friendly 403 for those signed in without `perm`."""
    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not request.user.has_perm(perm):
                raise PermissionDenied
            return view(request, *args, **kwargs)
        return wrapped
    return decorator


class ImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Excel 文件"),
                           error_messages={"required": gettext_lazy("请选择要导入的 Excel 文件")})

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = max_workbook_bytes()
        if upload.size > limit:
            raise forms.ValidationError(_("文件过大（%(size)s），上限为 %(limit)s") % {
                "size": filesizeformat(upload.size), "limit": filesizeformat(limit)})
        return upload


@require_http_methods(["GET", "HEAD", "POST"])
@permission_required("catalog.import_items")
def import_items(request):
    if request.method != "POST":
        return _import_page(request, ImportForm())
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _import_page(request, form, status=400)
    upload = form.cleaned_data["file"]
    try:
        result = catalog_import_excel(actor=request.user, data=upload.read(),
                                      filename=upload.name)
    except ImportRejected as rejected:
        return _import_page(request, ImportForm(), problems=rejected.problems, status=422)
    messages.success(request, _summary(result))
    return redirect("catalog:import")


def _import_page(request, form, *, problems=(), status=200):
    return render(request, "catalog/import.html", {
        "form": form, "problems": problems[:MAX_PROBLEMS_SHOWN], "problem_count": len(problems),
        "max_size": max_workbook_bytes(),
    }, status=status)


def _summary(result: ImportResult) -> str:
    return _("导入完成：新增事项 %(created)s 个，更新 %(updated)s 个，未变化 %(unchanged)s 个；"
             "材料新增 %(m_created)s、更新 %(m_updated)s、删除 %(m_deleted)s；"
             "流程环节新增 %(s_created)s、更新 %(s_updated)s、删除 %(s_deleted)s。") % {
        "created": result.items_created, "updated": result.items_updated,
        "unchanged": result.items_unchanged, "m_created": result.materials_created,
        "m_updated": result.materials_updated, "m_deleted": result.materials_deleted,
        "s_created": result.steps_created, "s_updated": result.steps_updated,
        "s_deleted": result.steps_deleted,
    }


def _xlsx(workbook, filename: str) -> FileResponse:
    from onewindow.catalog.transfer import writer

    return FileResponse(io.BytesIO(writer.workbook_bytes(workbook)), as_attachment=True,
                        filename=filename, content_type=writer.XLSX_CONTENT_TYPE)


@require_safe
@permission_required("catalog.import_items")
def import_template(request):
    from onewindow.catalog.transfer import writer

    return _xlsx(writer.template_workbook(), _("事项导入模板.xlsx"))


@require_safe
@permission_required("catalog.export_items")
def export_items(request):
    from onewindow.catalog.transfer import writer

    stamp = timezone.localdate().strftime("%Y%m%d")
    return _xlsx(writer.export_workbook(), _("事项目录-%(date)s.xlsx") % {"date": stamp})
