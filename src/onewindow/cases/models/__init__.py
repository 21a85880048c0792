from onewindow.cases.models.case import Case, CaseNumberSequence
from onewindow.cases.models.documents import CaseDocument
from onewindow.cases.models.handling import (
    CaseNote,
    ClockPause,
    CorrectionItem,
    CorrectionRequest,
    Escalation,
    HelpOffer,
    ReviewStep,
)
from onewindow.cases.models.materials import ProvidedMaterial, SubmittedMaterial
from onewindow.cases.models.notifications import Notification, NotificationDelivery
from onewindow.cases.models.tolerance import (
    Commitment,
    TolerancePledge,
    ToleratedMaterial,
    VerificationTask,
)

__all__ = [
    "Case", "CaseDocument", "CaseNote", "CaseNumberSequence", "ClockPause", "CorrectionItem",
    "CorrectionRequest", "Escalation", "HelpOffer", "Notification", "NotificationDelivery",
    "ProvidedMaterial", "ReviewStep", "SubmittedMaterial",
]
__all__ += ["Commitment", "ToleratedMaterial", "TolerancePledge", "VerificationTask"]
