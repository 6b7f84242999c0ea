from .hearing import Hearing, Speaker
from .implementation import Milestone, Satisfaction, SatisfactionVote, Spending
from .kind import Body, MatterKind, Step, default_rules
from .matter import Matter, MatterDocument, MatterEvent, Outcome, ProposerKind
from .meeting import Attendance, Ballot, Choice, Meeting, MeetingResult, Speech
from .participation import AnswerKind, Comment, Signature, Stance, Statement, StatementVote
from .publicity import Objection, ObjectionOutcome, Publicity
from .register import Resident, identity_digest
from .risk import Grade, RiskAssessment, RiskItem

__all__ = [
    "AnswerKind",
    "Attendance",
    "Ballot",
    "Body",
    "Choice",
    "Comment",
    "Grade",
    "Hearing",
    "Matter",
    "MatterDocument",
    "MatterEvent",
    "MatterKind",
    "Meeting",
    "MeetingResult",
    "Milestone",
    "Objection",
    "ObjectionOutcome",
    "Outcome",
    "ProposerKind",
    "Publicity",
    "Resident",
    "RiskAssessment",
    "RiskItem",
    "Satisfaction",
    "SatisfactionVote",
    "Signature",
    "Speaker",
    "Speech",
    "Spending",
    "Stance",
    "Statement",
    "StatementVote",
    "Step",
    "default_rules",
    "identity_digest",
]
