"""The vocabularies of an appeal (Beijing regulation on 接诉即办, Art. 2; 信访工作条例 Art. 32)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AppealKind(models.TextChoices):
    CONSULTATION = "consultation", _("consultation")
    HELP = "help", _("request for help")
    COMPLAINT = "complaint", _("complaint")
    REPORT = "report", _("report")
    SUGGESTION = "suggestion", _("suggestion")


class Channel(models.TextChoices):
    WEB = "web", _("website")
    HOTLINE = "hotline", _("hotline")
    LETTER = "letter", _("letter")
    VISIT = "visit", _("visit")
    EMAIL = "email", _("e-mail")
    API = "api", _("API")
    PROACTIVE = "proactive", _("proactive task (未诉先办)")


class Urgency(models.TextChoices):
    NORMAL = "normal", _("normal")
    URGENT = "urgent", _("urgent")


class Outcome(models.TextChoices):
    SOLVED = "solved", _("solved")
    EXPLAINED = "explained", _("explained")
    NOT_SUPPORTED = "not_supported", _("not supported")


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("satisfied")
    BASICALLY = "basically_satisfied", _("basically satisfied")
    DISSATISFIED = "dissatisfied", _("dissatisfied")


class AssignmentRole(models.TextChoices):
    LEAD = "lead", _("lead unit")
    CO = "co", _("co-unit")
    COPY = "copy", _("copied for information")


class AssignmentState(models.TextChoices):
    PENDING = "pending", _("waiting for acceptance")
    ACCEPTED = "accepted", _("accepted")
    OBJECTED = "objected", _("objected")
    WITHDRAWN = "withdrawn", _("withdrawn")


class Track(models.TextChoices):
    """Which rulebook an appeal follows: the 12345 hotline's (working-day limits, rating and reopening) or the
    letters-and-visits regulation's (信访工作条例: 60-day handling, review and re-review)."""

    HOTLINE = "hotline", _("hotline (12345)")
    PETITION = "petition", _("letters and visits")


class SpecialRoute(models.TextChoices):
    """Matters not dispatched to a unit (Beijing regulation Art. 11)."""

    EMERGENCY = "emergency", _("emergency: referred to 110/119/120/122")
    LEGAL_CHANNEL = "legal_channel", _("belongs to a legal channel")
    SAME_MATTER = "same_matter", _("same matter as an earlier appeal, no new facts")
    OUTSIDE_REMIT = "outside_remit", _("outside any government remit")


class LegalChannel(models.TextChoices):
    LITIGATION = "litigation", _("litigation (court)")
    ARBITRATION = "arbitration", _("arbitration")
    DISCIPLINE = "discipline", _("discipline inspection and supervision")
    RECONSIDERATION = "reconsideration", _("administrative reconsideration")
    DISCLOSURE = "disclosure", _("government information disclosure request")


class EmergencyService(models.TextChoices):
    POLICE = "110", _("110 police")
    FIRE = "119", _("119 fire and rescue")
    AMBULANCE = "120", _("120 ambulance")
    TRAFFIC = "122", _("122 traffic police")


class ExtensionState(models.TextChoices):
    PENDING = "pending", _("waiting for a decision")
    APPROVED = "approved", _("approved")
    DENIED = "denied", _("denied")


class SupervisionState(models.TextChoices):
    OPEN = "open", _("open")
    ANSWERED = "answered", _("answered")
    CLOSED = "closed", _("closed")


class ReviewLevel(models.TextChoices):
    REVIEW = "review", _("review (复查)")
    RE_REVIEW = "re_review", _("re-review (复核)")


class ReviewDecision(models.TextChoices):
    UPHELD = "upheld", _("original answer upheld")
    CHANGED = "changed", _("original answer changed")


class AttachmentKind(models.TextChoices):
    CITIZEN = "citizen", _("from the citizen")
    SCAN = "scan", _("scanned letter")
    STAFF = "staff", _("added by staff")
