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
