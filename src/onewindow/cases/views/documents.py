"""Documents of a case: the download for those who may see the case, and the public
verification page that the QR code on every document opens."""

from __future__ import annotations

import io
from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_cache_control
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from onewindow.cases.documents import document_pdf
from onewindow.cases.selectors import case_get_for_user
from onewindow.cases.verification import (
    document_find_by_code,
    document_get_for_case,
    public_document,
)


@require_GET
@login_required
def download(request, pk: int, document_pk: int):
    case = case_get_for_user(user=request.user, pk=pk)
    document = document_get_for_case(case=case, pk=document_pk)
    response = FileResponse(io.BytesIO(document_pdf(document)), content_type="application/pdf")
    filename = quote(f"{document.title}-{document.number}.pdf", safe="")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{filename}"
    patch_cache_control(response, private=True, no_store=True)
    return response


@require_GET
@login_required
def material(request, pk: int, material_pk: int):
    """An uploaded material, for the applicant and the staff who may see the case."""
    case = case_get_for_user(user=request.user, pk=pk)
    upload = get_object_or_404(case.materials, pk=material_pk)
    response = FileResponse(upload.file.open("rb"), content_type=upload.content_type)
    filename = quote(upload.original_name, safe="")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{filename}"
    patch_cache_control(response, private=True, no_store=True)
    return response


@require_GET
def verify_lookup(request):
    """Typing the code printed under a document's QR code, for those who cannot scan it: the
    same page the QR code opens."""
    code = "".join(request.GET.get("code", "").split())[:64]
    if code:
        return redirect("cases:verify", code=code)
    response = render(request, "cases/verify.html", {"document": None, "code": ""})
    response["X-Robots-Tag"] = "noindex"
    return response


@require_GET
@never_cache  # a revocation must show at once
def verify(request, code: str):
    document = document_find_by_code(code)
    if document is None:
        response = render(request, "cases/verify.html", {"document": None, "code": code},
                          status=404)
    else:
        document_pdf(document)  # the hash shown is the hash of the stored file
        response = render(request, "cases/verify.html",
                          {"document": public_document(document), "code": document.verify_code})
    response["X-Robots-Tag"] = "noindex"
    return response
