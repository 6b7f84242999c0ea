"""Write use cases of the appeal loop. Each is atomic, checks who may act, and leaves a timeline event and an
audit record (through ``transitions.transition``)."""

from .casework import appeal_contact, appeal_note, co_unit_report, extension_decide, extension_request
from .console import appeal_answer_on_the_spot
from .dispatch import (
    appeal_dispatch,
    appeal_route,
    appeal_send,
    consultation_answer,
    objection_decide,
    units_consult,
)
from .handling import appeal_rate, appeal_reply, appeal_review_decide, assignment_accept, assignment_object
from .intake import ContactInput, SubmitResult, appeal_submit
from .merge import appeal_merge
from .petition import (
    Representative,
    ReviewWindow,
    acknowledgement_record,
    at_reception_desk,
    petition_register,
    re_review_decide,
    re_review_request,
    review_decide,
    review_request,
    review_window,
)
from .special import appeal_special_route
from .supervision import supervision_order_answer, supervision_order_close, supervision_order_issue

__all__ = [
    "ContactInput",
    "SubmitResult",
    "appeal_answer_on_the_spot",
    "appeal_contact",
    "appeal_dispatch",
    "appeal_merge",
    "consultation_answer",
    "units_consult",
    "appeal_note",
    "appeal_special_route",
    "co_unit_report",
    "extension_decide",
    "extension_request",
    "supervision_order_answer",
    "supervision_order_close",
    "supervision_order_issue",
    "appeal_rate",
    "appeal_reply",
    "appeal_review_decide",
    "appeal_route",
    "appeal_send",
    "appeal_submit",
    "assignment_accept",
    "assignment_object",
    "objection_decide",
    "Representative",
    "ReviewWindow",
    "acknowledgement_record",
    "at_reception_desk",
    "petition_register",
    "re_review_decide",
    "re_review_request",
    "review_decide",
    "review_request",
    "review_window",
]
