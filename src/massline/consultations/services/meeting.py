"""The decision meeting (村民委员会组织法 Arts. 21–22, 25–26; 重大行政决策程序暂行条例 Arts. 30, 38): notice, the
attendance checked against the register, the quorum of the deciding body, speeches with the head last, votes
per person or per household, and the result with dissent recorded. A meeting without a quorum is recorded as
such and a new one is called; nothing already recorded is changed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from massline.core import clock
from massline.core.errors import ValidationFailed

from ..models import (
    Attendance,
    Ballot,
    Body,
    Choice,
    Matter,
    Meeting,
    MeetingResult,
    Outcome,
    Speech,
    Step,
)
from ..selectors import eligible_for_meeting, quorum_need
from ..transitions import meeting_body
from .common import lock, record, require_runner, require_step


@transaction.atomic
def meeting_schedule(
    *, actor: Any, matter: Matter, scheduled_for: dt.datetime, place: str, members_total: int | None = None
) -> Meeting:
    """Call the decision meeting with the notice the rules ask (10 days for a villagers' assembly,
    村民委员会组织法 Art. 22). A new meeting may be called only when no earlier one is still open."""
    matter = lock(matter)
    require_runner(actor, matter)
    require_step(matter, Step.MEETING)
    if matter.meetings.filter(closed_at__isnull=True).exists():
        raise ValidationFailed(_("A meeting is already called; hold or close it first."), code="meeting_open")
    now = clock.now()
    notice = int(matter.rule("meeting_notice_days"))
    if scheduled_for < now + dt.timedelta(days=notice):
        raise ValidationFailed(
            _("The meeting needs %(days)d days' notice: call it for %(day)s or later.")
            % {"days": notice, "day": (now + dt.timedelta(days=notice)).astimezone(clock.local_zone()).date()},
            field="scheduled_for",
        )
    if not place.strip():
        raise ValidationFailed(_("Say where the meeting is held."), field="place")
    body = meeting_body(matter)
    if body == Body.COLLECTIVE and not members_total:
        raise ValidationFailed(_("Give the number of the meeting's members."), field="members_total")
    meeting = Meeting.objects.create(
        matter=matter,
        body=body,
        scheduled_for=scheduled_for,
        place=place.strip(),
        notice_published_at=now,
        members_total=members_total if body == Body.COLLECTIVE else None,
    )
    number = matter.meetings.count()
    record(matter, action="meeting_call", actor=actor, data={"meeting": meeting.pk, "number": number})
    return meeting


def _lock_meeting(actor: Any, meeting: Meeting) -> tuple[Matter, Meeting]:
    matter = lock(meeting.matter)
    require_runner(actor, matter)
    require_step(matter, Step.MEETING)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.closed_at is not None:
        raise ValidationFailed(_("This meeting is closed; its record cannot change."), code="meeting_closed")
    return matter, meeting


@transaction.atomic
def meeting_attend(*, actor: Any, meeting: Meeting, resident_ids: Iterable[int]) -> int:
    """Record who is present, from the register; only those entitled to attend count."""
    matter, meeting = _lock_meeting(actor, meeting)
    if meeting.quorum_checked_at is not None:
        raise ValidationFailed(_("The quorum has been checked; the attendance is fixed."), code="attendance_fixed")
    if clock.now() < meeting.scheduled_for:
        raise ValidationFailed(_("The meeting has not begun."), code="meeting_not_started")
    wanted = {int(pk) for pk in resident_ids}
    entitled = set(eligible_for_meeting(meeting).filter(pk__in=wanted).values_list("pk", flat=True))
    if wanted - entitled:
        raise ValidationFailed(
            _("Some of those marked present are not entitled to attend this meeting."), field="residents"
        )
    have = set(meeting.attendance.values_list("resident_id", flat=True))
    Attendance.objects.bulk_create(Attendance(meeting=meeting, resident_id=pk) for pk in entitled - have)
    meeting.attendance.filter(resident_id__in=have - entitled).delete()
    return len(entitled)


def _quorum(matter: Matter, meeting: Meeting) -> bool:
    """Whether the meeting has its quorum (村民委员会组织法 Arts. 22, 25; a collective meeting: more than half
    of its members). ``selectors.quorum_text`` says the same in words, with the figures."""
    need = quorum_need(matter, meeting)
    if meeting.body == Body.COLLECTIVE:
        return (meeting.members_present or 0) > need.persons
    if meeting.body == Body.REPRESENTATIVES:
        return meeting.present >= need.persons
    return meeting.present > need.persons or meeting.present_households >= need.households


@transaction.atomic
def meeting_check_quorum(*, actor: Any, meeting: Meeting, members_present: int | None = None) -> Meeting:
    """Count those present against those entitled. Without a quorum the meeting is recorded as not held and
    closed: a new one must be called. With it, speeches and votes may be recorded."""
    matter, meeting = _lock_meeting(actor, meeting)
    if meeting.quorum_checked_at is not None:
        raise ValidationFailed(_("The quorum has been checked already."), code="quorum_checked")
    if clock.now() < meeting.scheduled_for:
        raise ValidationFailed(_("The meeting has not begun."), code="meeting_not_started")
    now = clock.now()
    if meeting.body == Body.COLLECTIVE:
        if members_present is None or not 0 <= members_present <= (meeting.members_total or 0):
            raise ValidationFailed(_("Give the number of members present."), field="members_present")
        meeting.members_present = members_present
    else:
        eligible = eligible_for_meeting(meeting)
        present = eligible.filter(pk__in=meeting.attendance.values("resident_id"))
        meeting.eligible = eligible.count()
        meeting.eligible_households = eligible.values("household").distinct().count()
        meeting.present = present.count()
        meeting.present_households = present.values("household").distinct().count()
    met = _quorum(matter, meeting)
    meeting.quorum_checked_at = now
    fields = [
        "members_present",
        "eligible",
        "eligible_households",
        "present",
        "present_households",
        "quorum_checked_at",
        "updated_at",
    ]
    if not met:
        meeting.result = MeetingResult.INQUORATE
        meeting.closed_at = now
        fields += ["result", "closed_at"]
    meeting.updated_at = now
    meeting.save(update_fields=fields)
    record(
        matter,
        action="meeting_quorum" if met else "meeting_inquorate",
        actor=actor,
        data={"meeting": meeting.pk, "quorum": met},
    )
    return meeting


def _require_quorum(meeting: Meeting) -> None:
    if meeting.quorum_checked_at is None:
        raise ValidationFailed(_("Check the quorum first."), code="quorum_not_checked")


@transaction.atomic
def meeting_speech(*, actor: Any, meeting: Meeting, speaker: str, summary: str, is_head: bool = False) -> Speech:
    """Record a speech. The head of the meeting speaks last (重大行政决策程序暂行条例 Art. 30): once the head
    has spoken, no one else may."""
    matter, meeting = _lock_meeting(actor, meeting)
    _require_quorum(meeting)
    if meeting.speeches.filter(is_head=True).exists():
        raise ValidationFailed(
            _("The head of the meeting has spoken: by rule the head speaks last."), code="head_spoke"
        )
    if not speaker.strip() or not summary.strip():
        raise ValidationFailed(_("Give the speaker and what was said."), field="summary")
    speech = Speech.objects.create(
        meeting=meeting,
        order=meeting.speeches.count() + 1,
        speaker=speaker.strip()[:60],
        is_head=is_head,
        summary=summary.strip(),
    )
    record(matter, action="meeting_speech", actor=actor, data={"meeting": meeting.pk, "head": is_head})
    return speech


@transaction.atomic
def meeting_vote(*, actor: Any, meeting: Meeting, resident_id: int, choice: str, reason: str = "") -> Ballot:
    """Record one vote: each person present, or each household represented, votes once (the kind's
    ``vote_basis``). A vote against may carry its reason, which is kept as dissent."""
    matter, meeting = _lock_meeting(actor, meeting)
    _require_quorum(meeting)
    if meeting.body == Body.COLLECTIVE:
        raise ValidationFailed(_("A collective meeting's votes are counted when it closes."), code="collective")
    if choice not in Choice.values:
        raise ValidationFailed(_("Choose for, against or abstain."), field="choice")
    resident = eligible_for_meeting(meeting).filter(pk=resident_id).first()
    if resident is None or not meeting.attendance.filter(resident=resident).exists():
        raise ValidationFailed(_("Only those present and entitled may vote."), field="resident")
    by_household = matter.rule("vote_basis") == "household"
    key = f"h:{resident.household}" if by_household else f"r:{resident.pk}"
    if Ballot.objects.filter(meeting=meeting, voter_key=key).exists():
        raise ValidationFailed(
            _("This household has voted already: one vote per household.")
            if by_household
            else _("This person has voted already: one vote each."),
            code="already_voted",
        )
    ballot = Ballot.objects.create(
        meeting=meeting, voter_key=key, resident=resident, choice=choice, reason=reason.strip()[:300]
    )
    record(matter, action="meeting_vote", actor=actor, data={"meeting": meeting.pk})
    return ballot


@transaction.atomic
def meeting_close(
    *,
    actor: Any,
    meeting: Meeting,
    dissent: str = "",
    votes_for: int | None = None,
    votes_against: int | None = None,
    votes_abstain: int | None = None,
) -> Meeting:
    """Count the votes and publish the result: passed by more than half of those present who may vote
    (村民委员会组织法 Art. 22). A rejected matter is closed as rejected."""
    matter, meeting = _lock_meeting(actor, meeting)
    _require_quorum(meeting)
    if meeting.body == Body.COLLECTIVE:
        counts = (votes_for, votes_against, votes_abstain)
        if any(count is None or count < 0 for count in counts) or sum(c or 0 for c in counts) > (
            meeting.members_present or 0
        ):
            raise ValidationFailed(_("The votes cannot outnumber the members present."), field="votes_for")
        meeting.votes_for, meeting.votes_against, meeting.votes_abstain = (
            votes_for or 0,
            votes_against or 0,
            votes_abstain or 0,
        )
        voters = meeting.members_present or 0
    else:
        ballots = list(meeting.ballots.values_list("choice", flat=True))
        meeting.votes_for = ballots.count(Choice.FOR)
        meeting.votes_against = ballots.count(Choice.AGAINST)
        meeting.votes_abstain = ballots.count(Choice.ABSTAIN)
        voters = meeting.present_households if matter.rule("vote_basis") == "household" else meeting.present
        reasons = [
            reason
            for reason in meeting.ballots.filter(choice=Choice.AGAINST).values_list("reason", flat=True)
            if reason
        ]
        dissent = "\n".join([dissent.strip(), *reasons]).strip()
    share = float(matter.rule("pass_share"))
    passed = meeting.votes_for > share * voters
    now = clock.now()
    meeting.result = MeetingResult.PASSED if passed else MeetingResult.REJECTED
    meeting.voters = voters
    meeting.dissent = dissent.strip()
    meeting.closed_at = meeting.updated_at = now
    meeting.save()
    record(
        matter,
        action="meeting_result",
        actor=actor,
        data={"meeting": meeting.pk, "result": meeting.result},
    )
    if not passed:
        before = {"step": matter.step}
        matter.outcome = Outcome.REJECTED
        matter.closed_at = matter.updated_at = now
        matter.save(update_fields=["outcome", "closed_at", "updated_at"])
        record(matter, action="reject", actor=actor, before=before)
    return meeting
