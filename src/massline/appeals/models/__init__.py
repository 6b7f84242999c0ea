from .appeal import Appeal, AppealContact
from .assignment import Assignment
from .attachment import Attachment
from .consultation import ConsultationView, ReplyTemplate, UnitConsultation
from .event import AppealEvent
from .extension import Extension
from .petition import ReviewRequest, VisitRepresentative
from .policy import AppealPolicy, default_rules
from .supervision import SupervisionOrder

__all__ = [
    "Appeal",
    "AppealContact",
    "AppealEvent",
    "AppealPolicy",
    "Assignment",
    "Attachment",
    "ConsultationView",
    "ReplyTemplate",
    "UnitConsultation",
    "Extension",
    "ReviewRequest",
    "SupervisionOrder",
    "VisitRepresentative",
    "default_rules",
]
