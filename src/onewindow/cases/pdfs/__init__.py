"""The PDF documents of a case: one content builder per kind, one shared layout.

A document's content is built when it is issued, inside the move; its PDF is rendered on first
download (`render`), which is where reportlab (about 15 MB) is imported: a worker that issues
documents and serves the status endpoint never loads it."""

from __future__ import annotations

from collections.abc import Callable

from onewindow.cases.enums import DocumentKind
from onewindow.cases.pdfs import notices, outcomes, tolerance
from onewindow.cases.pdfs.base import Content, Context, Stamp, holder_is_person, holder_name

BUILDERS: dict[str, Callable[..., Content]] = {
    DocumentKind.RECEIPT: notices.receipt,
    DocumentKind.CORRECTION_NOTICE: notices.correction_notice,
    DocumentKind.ACCEPTANCE_NOTICE: notices.acceptance_notice,
    DocumentKind.NOT_ACCEPTED_NOTICE: notices.not_accepted_notice,
    DocumentKind.EXTENSION_NOTICE: notices.extension_notice,
    DocumentKind.SUSPENSION_NOTICE: notices.suspension_notice,
    DocumentKind.DECISION_LETTER: outcomes.decision_letter,
    DocumentKind.CERTIFICATE: outcomes.certificate,
    DocumentKind.TOLERANCE_NOTICE: tolerance.tolerance_notice,
    DocumentKind.COMMITMENT: tolerance.commitment,
}


def render(content: Content, stamp: Stamp) -> bytes:
    from onewindow.cases.pdfs import layout

    return layout.render(content, stamp)


def content_for(case, kind: str, ctx: Context) -> Content:
    """What document `kind` of `case` says. Every DocumentKind has a builder."""
    return BUILDERS[kind](case, ctx)


__all__ = ["BUILDERS", "Content", "Context", "Stamp", "content_for", "holder_is_person",
           "holder_name", "render"]
