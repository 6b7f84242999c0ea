"""Hot issues (未诉先办): the periodic sweep that finds them among recent appeals, and what a supervisor does with
one — take it up as a proactive task for a lead unit with a deadline (or as the month's "one problem a month",
每月一题, programme), or dismiss it with a reason. Every decision is audited; the sweep is idempotent."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from massline.accounts.permissions import scope_for
from massline.accounts.roles import Role
from massline.appeals.choices import AppealKind, Channel
from massline.appeals.models import Appeal
from massline.appeals.permissions import covers_appeal_area
from massline.appeals.redaction import mask_for_publication
from massline.appeals.transitions import State
from massline.audit.services import audit_record, snapshot
from massline.core import clock
from massline.core.errors import PermissionDenied, ValidationFailed
from massline.org.models import Area, AreaLevel, Unit

from ..hot import Cluster, Message, find_hot_issues
from ..models import HotIssue, HotIssueMember, HotIssueState

KEEP = 300  # the hottest groups kept by a sweep; the board shows the top of them
SAME_ISSUE = 0.5  # a new group continues a stored issue when they share this share of the smaller one's appeals


def _street_path(path: str) -> str:
    codes = [code for code in path.split("/") if code]
    return "".join(f"{code}/" for code in codes[: AreaLevel.STREET])


def _recent(now: dt.datetime, days: int) -> tuple[list[Message], list[dict[str, Any]]]:
    """The appeals of the last ``days`` days as the clustering reads them, in local time. Left out: appeals merged
    into another; appeals routed specially (emergencies, legal channels, same matter, outside any remit); reports
    (举报), which name the people they accuse; and proactive tasks themselves."""
    rows: list[dict[str, Any]] = [
        dict(row)
        for row in Appeal.objects.filter(received_at__gte=now - dt.timedelta(days=days), received_at__lte=now)
        .exclude(state=State.MERGED)
        .exclude(special_route__gt="")
        .exclude(kind=AppealKind.REPORT)
        .exclude(channel=Channel.PROACTIVE)
        .values(
            "pk",
            "title",
            "description",
            "received_at",
            "area_id",
            "area__path",
            "category_id",
            "kind",
            "submitted_by_id",
            "contact__phone",
            "visitor_count",
        )
    ]
    messages = [
        Message(
            key=row["pk"],
            title=row["title"],
            text=row["description"],
            at=timezone.localtime(row["received_at"]),
            citizen=row["contact__phone"] or (f"u{row['submitted_by_id']}" if row["submitted_by_id"] else ""),
            # The people who came with a group visit stand behind it too.
            support=max((row["visitor_count"] or 1) - 1, 0),
            place=_street_path(row["area__path"] or ""),
            area=row["area__path"] or "",
        )
        for row in rows
    ]
    return messages, rows


def _common_path(paths: list[str]) -> str:
    """The path of the smallest area holding every one of ``paths`` (a street, a district, the city); '' for
    none."""
    split = [[code for code in path.split("/") if code] for path in paths]
    common: list[str] = []
    for codes in zip(*split, strict=False):
        if len(set(codes)) > 1:
            break
        common.append(codes[0])
    return "".join(f"{code}/" for code in common)


def _most_common(values: list[Any]) -> Any:
    present = [value for value in values if value]
    return Counter(present).most_common(1)[0][0] if present else None


def _figures(cluster: Cluster, rows: list[dict[str, Any]], now: dt.datetime, area: Area | None) -> dict[str, Any]:
    members = [rows[i] for i in cluster.members]
    return {
        "label": cluster.label[:200],
        "keywords": cluster.keywords,
        "places": cluster.places,
        "area": area,
        "category_id": _most_common([row["category_id"] for row in members]),
        "volume": cluster.volume,
        "citizens": cluster.citizens,
        "support": cluster.support,
        "spread": cluster.spread,
        "growth": cluster.growth,
        "score": cluster.score,
        "cohesion": cluster.cohesion,
        "first_at": cluster.first_at,
        "last_at": cluster.last_at,
        "daily": cluster.daily,
        "active": True,
        "swept_at": now,
    }


def hot_issues_refresh(*, now: dt.datetime | None = None, days: int | None = None) -> dict[str, int]:
    """Cluster the appeals of the last ``days`` (``MASSLINE_HOT_WINDOW_DAYS``) and store the ``KEEP`` hottest
    groups. A group that shares at least half of its appeals with a stored issue continues it (figures and
    appeals; the label and area of an issue a supervisor has decided on stay as they were); issues not found
    again are marked as cooled down. Running it twice in a row changes nothing the second time. The clustering
    runs before the transaction, so that the database is not held while it computes."""
    now = now or clock.now()
    days = days or settings.MASSLINE_HOT_WINDOW_DAYS
    messages, rows = _recent(now, days)
    clusters = find_hot_issues(messages, now=now)[:KEEP]
    paths = [_common_path([rows[i]["area__path"] for i in c.members if rows[i]["area__path"]]) for c in clusters]
    areas = {area.path: area for area in Area.objects.filter(path__in=set(paths) - {""})}  # one query for all
    figures = [_figures(cluster, rows, now, areas.get(path)) for cluster, path in zip(clusters, paths, strict=True)]
    with transaction.atomic():
        return _store(now, days, len(messages), clusters, figures, rows)


def _store(
    now: dt.datetime,
    days: int,
    count: int,
    clusters: list[Cluster],
    all_figures: list[dict[str, Any]],
    rows: list[dict[str, Any]],
) -> dict[str, int]:
    stored = list(HotIssue.objects.select_for_update().filter(active=True)) + list(
        HotIssue.objects.select_for_update().filter(active=False, last_at__gte=now - dt.timedelta(days=days))
    )
    by_id = {issue.pk: issue for issue in stored}
    issue_of: dict[int, list[int]] = {}
    for issue_id, appeal_id in HotIssueMember.objects.filter(hot_issue_id__in=by_id).values_list(
        "hot_issue_id", "appeal_id"
    ):
        issue_of.setdefault(appeal_id, []).append(issue_id)
    sizes = Counter(issue_id for issue_ids in issue_of.values() for issue_id in issue_ids)
    taken: set[int] = set()
    created = updated = 0
    kept: list[tuple[HotIssue, Cluster]] = []
    for cluster, figures in zip(clusters, all_figures, strict=True):
        appeal_ids = [rows[i]["pk"] for i in cluster.members]
        overlap = Counter(issue_id for pk in appeal_ids for issue_id in issue_of.get(pk, ()) if issue_id not in taken)
        match = None
        for issue_id, shared in overlap.most_common():
            if shared >= SAME_ISSUE * min(len(appeal_ids), sizes[issue_id]):
                match = by_id[issue_id]
                break
        if match is None:
            issue = HotIssue(**figures)
            issue.save()
            created += 1
        else:
            issue = match
            taken.add(issue.pk)
            decided = issue.state != HotIssueState.WATCHING
            for name, value in figures.items():
                if not (decided and name in ("label", "area")):  # what the supervisor decided on stays put
                    setattr(issue, name, value)
            issue.save()
            updated += 1
        kept.append((issue, cluster))
    cooled = [issue.pk for issue in stored if issue.pk not in taken and issue.active]
    HotIssue.objects.filter(pk__in=cooled).update(active=False)
    HotIssueMember.objects.filter(hot_issue_id__in=[issue.pk for issue, _cluster in kept]).delete()
    HotIssueMember.objects.bulk_create(
        HotIssueMember(hot_issue=issue, appeal_id=rows[index]["pk"], rank=rank)
        for issue, cluster in kept
        for rank, index in enumerate(cluster.members)
    )
    return {"appeals": count, "issues": len(kept), "new": created, "continued": updated, "cooled": len(cooled)}


def may_decide(actor: Any, issue: HotIssue) -> bool:
    """Supervisors whose area holds the issue's area (platform administrators hold every area); an issue with
    no single area (its appeals have none, or span districts) belongs to city-wide supervisors."""
    if not getattr(actor, "is_authenticated", False) or not actor.has_role(Role.SUPERVISOR, Role.ADMINISTRATOR):
        return False
    return covers_appeal_area(scope_for(actor, Role.SUPERVISOR, Role.ADMINISTRATOR), issue)


def _locked(issue: HotIssue, actor: Any) -> HotIssue:
    locked = HotIssue.objects.select_for_update(of=("self",)).select_related("area").get(pk=issue.pk)
    if not may_decide(actor, locked):
        raise PermissionDenied()
    return locked


def _end_of_day(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(23, 59, 59)))


def public_title(issue: HotIssue) -> str:
    """What the take-up form proposes as the task's title: the issue's label masked for publication (it is one
    citizen's title)."""
    return mask_for_publication(issue.label)[:200]


def _task_description(issue: HotIssue) -> str:
    lines = [
        _("Found among recent appeals: %(volume)d appeals from %(citizens)d citizens between %(first)s and %(last)s.")
        % {
            "volume": issue.volume,
            "citizens": issue.citizens,
            "first": timezone.localdate(issue.first_at).isoformat(),
            "last": timezone.localdate(issue.last_at).isoformat(),
        }
    ]
    if issue.places:
        lines.append(_("Places named: %(places)s.") % {"places": "、".join(issue.places)})
    if issue.keywords:
        lines.append(_("Key words: %(words)s.") % {"words": "、".join(issue.keywords)})
    return "\n".join(lines)


@transaction.atomic
def hot_issue_take_up(
    *,
    actor: Any,
    issue: HotIssue,
    title: str,
    lead_unit: Unit,
    due_date: dt.date,
    note: str = "",
    programme: bool = False,
) -> Appeal:
    """Turn a hot issue into a proactive task (未诉先办): a case of its own titled ``title`` (masked for
    publication: it is shown on the public page of proactive work), dispatched to ``lead_unit`` with the
    supervisor's deadline. No citizen's name, number or words beyond the title travel with it. With
    ``programme`` it is also this month's "one problem a month" (每月一题) programme of the issue's area
    (Beijing practice; RULES.md), one per area and month."""
    from massline.appeals.services.dispatch import _dispatch_locked, _locked_for_dispatch
    from massline.appeals.services.intake import appeal_submit

    locked = _locked(issue, actor)
    if locked.task_id is not None:
        raise ValidationFailed(_("This hot issue is already a proactive task."), field="lead_unit")
    today = clock.today()
    if due_date <= today:
        raise ValidationFailed(_("The deadline must be a day after today."), field="due_date")
    if not lead_unit.is_active:
        raise ValidationFailed(_("This unit no longer exists."), field="lead_unit")
    scope = scope_for(actor, Role.SUPERVISOR, Role.ADMINISTRATOR)
    if not scope.everything and not any(lead_unit.area.path.startswith(path) for path in scope.area_paths):
        raise ValidationFailed(_("This unit is outside your area."), field="lead_unit")
    month = today.replace(day=1)
    if programme and (HotIssue.objects.filter(programme_month=month, area=locked.area).exclude(pk=locked.pk).exists()):
        raise ValidationFailed(
            _("This area already has this month's programme."),
            field="programme",
        )
    title = mask_for_publication(title.strip())[:200]
    if not title:
        raise ValidationFailed(_("Give the task a title."), field="title")
    before = snapshot(locked, ["state", "task", "programme_month"])
    kinds = list(locked.members.values_list("kind", flat=True)[:200])
    result = appeal_submit(
        actor=actor,
        kind=_most_common(kinds) or AppealKind.HELP,
        channel=Channel.PROACTIVE,
        title=title,
        description=_task_description(locked),
        area=locked.area,
        category=locked.category,
        anonymous=True,
        publish_consent=True,
        route_after_commit=False,
    )
    task = _dispatch_locked(
        _locked_for_dispatch(result.appeal),
        actor=actor,
        lead_unit=lead_unit,
        co_units=(),
        note=note,
        designated=True,  # the supervisor chose the unit: it does not object to the dispatcher
        data={"hot_issue": locked.pk},
        due=_end_of_day(due_date),
    )
    locked.state = HotIssueState.PROGRAMME if programme else HotIssueState.TASKED
    locked.task = task
    locked.programme_month = month if programme else None
    locked.decided_by = actor
    locked.decided_at = clock.now()
    locked.decision_note = note
    try:
        with transaction.atomic():
            locked.save()
    except IntegrityError:  # another supervisor made another issue of the area this month's programme
        raise ValidationFailed(_("This area already has this month's programme."), field="programme") from None
    audit_record(
        event="intelligence.hot_issue.take_up",
        actor=actor,
        target=locked,
        before=before,
        after={
            **snapshot(locked, ["state", "task", "programme_month"]),
            "lead_unit": lead_unit.code,
            "due_date": due_date.isoformat(),
        },
        reason=note,
    )
    return task


@transaction.atomic
def hot_issue_dismiss(*, actor: Any, issue: HotIssue, reason: str) -> HotIssue:
    """Set a hot issue aside (for example: already handled by a programme, or not one matter), with the reason;
    later sweeps keep it dismissed while they keep finding it."""
    locked = _locked(issue, actor)
    if not reason.strip():
        raise ValidationFailed(_("Say why the issue is dismissed."), field="reason")
    if locked.task_id is not None:
        raise ValidationFailed(_("A hot issue taken up as a task cannot be dismissed."), field="reason")
    before = snapshot(locked, ["state"])
    locked.state = HotIssueState.DISMISSED
    locked.decided_by = actor
    locked.decided_at = clock.now()
    locked.decision_note = reason.strip()
    locked.save()
    audit_record(
        event="intelligence.hot_issue.dismiss",
        actor=actor,
        target=locked,
        before=before,
        after={"state": locked.state},
        reason=reason.strip(),
    )
    return locked
