"""Write use cases of consultations: each atomic, audited, named ``<entity>_<verb>``."""

from .deliberation import (
    hearing_record,
    hearing_schedule,
    hearing_select_speakers,
    risk_assessment_open,
    risk_assessment_sign,
    risk_item_set,
    risk_survey_record,
    speaker_register,
)
from .matters import matter_advance, matter_create, matter_legal_review, matter_withdraw
from .meeting import (
    meeting_attend,
    meeting_check_quorum,
    meeting_close,
    meeting_schedule,
    meeting_speech,
    meeting_vote,
)
from .participation import (
    comment_answer,
    comment_submit,
    feedback_publish,
    matter_sign,
    resident_verify,
    satisfaction_vote,
    statement_add,
    statement_vote,
)
from .publicity import (
    document_add,
    milestone_done,
    milestone_set,
    objection_answer,
    objection_submit,
    publicity_open,
    spending_record,
)
from .register import resident_register

__all__ = [
    "comment_answer",
    "comment_submit",
    "document_add",
    "feedback_publish",
    "hearing_record",
    "hearing_schedule",
    "hearing_select_speakers",
    "matter_advance",
    "matter_create",
    "matter_legal_review",
    "matter_sign",
    "matter_withdraw",
    "meeting_attend",
    "meeting_check_quorum",
    "meeting_close",
    "meeting_schedule",
    "meeting_speech",
    "meeting_vote",
    "milestone_done",
    "milestone_set",
    "objection_answer",
    "objection_submit",
    "publicity_open",
    "resident_register",
    "resident_verify",
    "risk_assessment_open",
    "risk_assessment_sign",
    "risk_item_set",
    "risk_survey_record",
    "satisfaction_vote",
    "speaker_register",
    "spending_record",
    "statement_add",
    "statement_vote",
]
