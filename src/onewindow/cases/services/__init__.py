"""Writes of the cases app. Every state change goes through `core.transition`."""

from onewindow.cases.services.applying import (
    case_create_draft,
    case_material_upload,
    case_submit,
    case_update_draft,
    case_withdraw,
    material_record,
    missing_materials,
)
from onewindow.cases.services.finishing import case_complete, case_deliver, case_note_add
from onewindow.cases.services.intake import (
    case_accept,
    case_claim,
    case_deem_accepted,
    case_not_accept,
    case_offer_help,
    case_return,
)
from onewindow.cases.services.review import (
    case_decide,
    case_extend,
    case_resume,
    case_review_step,
    case_start_review,
    case_suspend,
)

__all__ = [
    "case_accept", "case_claim", "case_complete", "case_create_draft", "case_decide",
    "case_deem_accepted", "case_deliver", "case_extend", "case_material_upload",
    "case_not_accept", "case_note_add",
    "case_offer_help", "case_resume", "case_return", "case_review_step", "case_start_review",
    "case_submit", "case_suspend", "case_update_draft", "case_withdraw", "material_record",
    "missing_materials",
]
