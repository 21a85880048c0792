"""Checking an applicant's uploaded file before it is stored as a material.

The type is read from the file's bytes, never from its name or the browser's content type: a
renamed executable is refused. The size is limited by `ONEWINDOW_UPLOAD_MAX_BYTES`. A stored
file is named by its SHA-256 (see `models.materials.material_upload_to`), so the same bytes are
stored once and nothing is ever overwritten.
"""

from __future__ import annotations

import hashlib
import os
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.files import File
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from onewindow.cases.errors import CaseInputError
from onewindow.cases.models import SubmittedMaterial
from onewindow.cases.models.materials import material_upload_to

HEAD_BYTES = 16
CHUNK = 64 * 1024
# An OFD is a ZIP. We only read its directory, never inflate it, but refuse archives whose
# declared sizes could only be a zip bomb, so that no later reader is tricked either.
OFD_MAX_ENTRIES = 10_000
OFD_MAX_RATIO = 200
OFD_MAX_DECLARED_FACTOR = 10  # declared uncompressed total ≤ 10 × the upload limit


@dataclass(frozen=True)
class FileType:
    extension: str
    content_type: str
    label: str
    accept: str  # for the browser's file picker only; the bytes decide


FILE_TYPES = {
    "pdf": FileType("pdf", "application/pdf", "PDF", ".pdf"),
    "jpg": FileType("jpg", "image/jpeg", "JPG", ".jpg,.jpeg"),
    "png": FileType("png", "image/png", "PNG", ".png"),
    "ofd": FileType("ofd", "application/ofd", "OFD", ".ofd"),
}
MAGIC = (
    (b"%PDF-", "pdf"),
    (b"\xff\xd8\xff", "jpg"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"PK\x03\x04", "ofd"),  # a ZIP: an OFD only if `_is_ofd` agrees
)


def max_bytes() -> int:
    return settings.ONEWINDOW_UPLOAD_MAX_BYTES


def allowed_types_text(requirement) -> str:
    return "、".join(FILE_TYPES[t].label for t in requirement.file_type_list if t in FILE_TYPES)


def accept_attribute(requirement) -> str:
    return ",".join(FILE_TYPES[t].accept for t in requirement.file_type_list if t in FILE_TYPES)


def check_and_store(*, requirement, uploaded_file) -> dict:
    """Check `uploaded_file` for `requirement`; return the `stored` dict `material_record`
    takes. Raises CaseInputError, naming the material, for an empty, oversized or wrongly
    typed file."""
    name = requirement.name
    size = uploaded_file.size or 0
    if size == 0:
        raise CaseInputError(_("“%(material)s”：文件是空的，请重新选择文件。") % {"material": name})
    if size > max_bytes():
        raise CaseInputError(_("“%(material)s”：文件过大（%(size)s），单个文件不能超过 %(limit)s。")
                             % {"material": name, "size": filesizeformat(size),
                                "limit": filesizeformat(max_bytes())})
    kind = sniff(uploaded_file)
    if kind is None or kind not in requirement.file_type_list:
        raise CaseInputError(_("“%(material)s”：文件类型不符，只接受 %(types)s。")
                             % {"material": name, "types": allowed_types_text(requirement)})
    return _stored(uploaded_file, FILE_TYPES[kind], size)


def sniff(uploaded_file) -> str | None:
    """The file's type from its first bytes ('pdf', 'jpg', 'png', 'ofd'), or None."""
    uploaded_file.seek(0)
    head = uploaded_file.read(HEAD_BYTES)
    uploaded_file.seek(0)
    kind = next((k for magic, k in MAGIC if head.startswith(magic)), None)
    if kind == "ofd" and not _is_ofd(uploaded_file):
        return None
    return kind


def _is_ofd(uploaded_file) -> bool:
    """A ZIP with `OFD.xml` at its root, whose declared sizes are sane."""
    try:
        with zipfile.ZipFile(uploaded_file) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        return False
    finally:
        uploaded_file.seek(0)
    if not entries or len(entries) > OFD_MAX_ENTRIES:
        return False
    declared = sum(e.file_size for e in entries)
    if declared > max_bytes() * OFD_MAX_DECLARED_FACTOR:
        return False
    if any(e.file_size > max(e.compress_size, 1) * OFD_MAX_RATIO for e in entries):
        return False
    return any(e.filename.lower() == "ofd.xml" for e in entries)


def _stored(uploaded_file, file_type: FileType, size: int) -> dict:
    digest = _sha256(uploaded_file)
    return {
        "file": File(uploaded_file, name=f"{digest}.{file_type.extension}"),
        "original_name": _original_name(uploaded_file.name, file_type),
        "content_type": file_type.content_type,
        "extension": file_type.extension,
        "size": size,
        "sha256": digest,
    }


def _sha256(uploaded_file) -> str:
    digest = hashlib.sha256()
    uploaded_file.seek(0)
    for chunk in uploaded_file.chunks(CHUNK):
        digest.update(chunk)
    uploaded_file.seek(0)
    return digest.hexdigest()


def _original_name(raw: str | None, file_type: FileType) -> str:
    name = os.path.basename((raw or "").replace("\\", "/")).strip()
    return (name or f"{file_type.label}.{file_type.extension}")[-200:]


def reuse_stored_copy(*, case, stored: dict) -> dict:
    """If these bytes are already stored for `case`, point at that file instead of writing a
    second copy: one file, one row per upload, nothing overwritten."""
    probe = SubmittedMaterial(case=case, sha256=stored["sha256"], extension=stored["extension"])
    path = material_upload_to(probe, "")
    storage = SubmittedMaterial._meta.get_field("file").storage
    if storage.exists(path):
        return {**stored, "file": path}
    return stored
