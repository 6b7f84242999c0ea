"""Write use cases of the appeal loop. Each is atomic, checks who may act, and leaves a timeline event and an
audit record (through ``transitions.transition``)."""

from .dispatch import appeal_dispatch, appeal_route, appeal_send, objection_decide
from .handling import appeal_rate, appeal_reply, appeal_review_decide, assignment_accept, assignment_object
from .intake import ContactInput, SubmitResult, appeal_submit

__all__ = [
    "ContactInput",
    "SubmitResult",
    "appeal_dispatch",
    "appeal_rate",
    "appeal_reply",
    "appeal_review_decide",
    "appeal_route",
    "appeal_send",
    "appeal_submit",
    "assignment_accept",
    "assignment_object",
    "objection_decide",
]
