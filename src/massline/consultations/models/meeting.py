"""The decision meeting: notice, attendance against the register, the quorum of the body that decides, the
speeches (the head last), the votes — per person or per household — and the result, with dissent recorded."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from massline.core.models import BaseModel

from .matter import Matter
from .register import Resident


class MeetingResult(models.TextChoices):
    PENDING = "", _("not yet held")
    PASSED = "passed", _("passed")
    REJECTED = "rejected", _("rejected")
    INQUORATE = "inquorate", _("no quorum: not held")


class Choice(models.TextChoices):
    FOR = "for", _("for")
    AGAINST = "against", _("against")
    ABSTAIN = "abstain", _("abstain")


class Meeting(BaseModel):
    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="meetings")
    body = models.CharField(_("body"), max_length=20)
    scheduled_for = models.DateTimeField(_("date and time"))
    place = models.CharField(_("place"), max_length=200)
    notice_published_at = models.DateTimeField(_("notice published at"))
    # The collective meeting of a government counts its members; village bodies count the register.
    members_total = models.PositiveIntegerField(_("members"), null=True, blank=True)
    members_present = models.PositiveIntegerField(_("members present"), null=True, blank=True)
    eligible = models.PositiveIntegerField(_("entitled to attend"), default=0)
    eligible_households = models.PositiveIntegerField(_("households"), default=0)
    present = models.PositiveIntegerField(_("present"), default=0)
    present_households = models.PositiveIntegerField(_("households represented"), default=0)
    quorum_checked_at = models.DateTimeField(_("quorum checked at"), null=True, blank=True)
    votes_for = models.PositiveIntegerField(_("for"), default=0)
    votes_against = models.PositiveIntegerField(_("against"), default=0)
    votes_abstain = models.PositiveIntegerField(_("abstentions"), default=0)
    result = models.CharField(_("result"), max_length=20, choices=MeetingResult.choices, blank=True, default="")
    voters = models.PositiveIntegerField(_("present and entitled to vote"), default=0)
    dissent = models.TextField(_("dissenting views"), blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["scheduled_for", "id"]


class Attendance(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    resident = models.ForeignKey(Resident, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [models.UniqueConstraint(fields=["meeting", "resident"], name="consultations_attend_once")]

    def __str__(self) -> str:
        return f"{self.meeting_id}: {self.resident_id}"


class Speech(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="speeches")
    order = models.PositiveSmallIntegerField(_("order"))
    speaker = models.CharField(_("speaker"), max_length=60)
    is_head = models.BooleanField(_("the head of the meeting"), default=False)
    summary = models.TextField(_("summary"))

    class Meta:
        verbose_name = _("speech")
        verbose_name_plural = _("speeches")
        ordering = ["order"]
        constraints = [models.UniqueConstraint(fields=["meeting", "order"], name="consultations_speech_order")]

    def __str__(self) -> str:
        return f"{self.order}. {self.speaker}"


class Ballot(models.Model):
    """One vote: per person (the key is the resident) or per household (the key is the household number)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="ballots")
    voter_key = models.CharField(max_length=60)
    resident = models.ForeignKey(Resident, on_delete=models.PROTECT, related_name="+")
    choice = models.CharField(_("vote"), max_length=10, choices=Choice.choices)
    reason = models.CharField(_("reason"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        constraints = [models.UniqueConstraint(fields=["meeting", "voter_key"], name="consultations_vote_once")]

    def __str__(self) -> str:
        return f"{self.meeting_id}: {self.choice}"
