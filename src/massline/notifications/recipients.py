"""The people an audience of ``rules.py`` stands for, for one appeal event. Server-side only: this module reads
the citizen's contact details (as ``appeals.selectors.contact_for`` would for the hotline centre) to deliver
to them, and never hands them to a page or to a staff message."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, cast

from django.conf import settings
from django.db.models import Q

from massline.accounts.models import RoleAssignment, User
from massline.accounts.permissions import Scope
from massline.accounts.roles import Role
from massline.appeals.models import Appeal, AppealContact, AppealEvent
from massline.appeals.permissions import covers_appeal_area
from massline.org.models import PATH_SEPARATOR

from .rules import Audience

UNIT_ROLES = {
    Audience.LEAD_UNIT: (Role.HANDLER, Role.UNIT_LEADER),
    Audience.LEAD_UNIT_HANDLERS: (Role.HANDLER,),
    Audience.LEAD_UNIT_LEADERS: (Role.UNIT_LEADER,),
}
AREA_ROLES = {Audience.DISPATCHERS: Role.DISPATCHER, Audience.SUPERVISORS: Role.SUPERVISOR}


@dataclass(frozen=True)
class CitizenAddress:
    email: str
    phone: str
    name: str  # never rendered: only used to scrub it from what staff read


def citizen_address(appeal: Appeal) -> CitizenAddress | None:
    """Where the citizen can be reached: nothing for an anonymous appeal or one without contact details."""
    if appeal.anonymous:
        return None
    try:
        contact = appeal.contact  # read with the appeal where the caller asked for it (``events_to_notify``)
    except AppealContact.DoesNotExist:
        return None
    return CitizenAddress(email=contact.email.strip(), phone=contact.phone.strip(), name=contact.name.strip())


def unit_role_assignments(events: Iterable[AppealEvent]) -> dict[int, list[RoleAssignment]]:
    """The handlers' and unit leaders' assignments (with their users) of the units these steps concern, by
    unit, read in one query: a batch of notifications asks it once, not once per unit."""
    roles = {role for roles in UNIT_ROLES.values() for role in roles}
    by_unit: dict[int, list[RoleAssignment]] = {
        unit_id: [] for event in events if (unit_id := event_unit_id(event.appeal, event)) is not None
    }
    if by_unit:
        for assignment in RoleAssignment.objects.filter(unit_id__in=by_unit, role__in=roles).select_related("user"):
            by_unit[cast(int, assignment.unit_id)].append(assignment)  # filtered by unit: never None
    return by_unit


def event_unit_id(appeal: Appeal, event: AppealEvent) -> int | None:
    """The unit a step concerns: the one named on the step, else the appeal's lead unit."""
    return event.unit_id or appeal.lead_unit_id


def staff_for(
    audience: str, *, appeal: Appeal, event: AppealEvent, units: Mapping[int, list[RoleAssignment]]
) -> list[User]:
    """Active staff of the audience, in a stable order; the person who took the step is not told about it.
    ``units``: ``unit_role_assignments`` of (at least) this step."""
    if audience in UNIT_ROLES:
        unit_id = event_unit_id(appeal, event)
        if unit_id is None:
            return []
        users = {a.user for a in units[unit_id] if a.role in UNIT_ROLES[audience]}
    elif audience in AREA_ROLES:
        users = set()
        assignments = RoleAssignment.objects.filter(role=AREA_ROLES[audience]).select_related(
            "user", "unit__area", "area"
        )
        if appeal.area is not None:
            # Only assignments at or above the appeal's area can cover it: its ancestors' paths, by index.
            ancestors = _ancestor_paths(appeal.area.path)
            assignments = assignments.filter(Q(area__path__in=ancestors) | Q(unit__area__path__in=ancestors))
        for assignment in assignments:
            paths = tuple(
                path
                for path in (
                    assignment.area.path if assignment.area else None,
                    assignment.unit.area.path if assignment.unit else None,
                )
                if path
            )
            if paths and covers_appeal_area(Scope(area_paths=paths), appeal):
                users.add(assignment.user)
    else:
        raise ValueError(f"unknown audience {audience!r}")
    return sorted(
        (user for user in users if user.is_active and user.pk != event.actor_id),
        key=lambda user: user.pk,
    )


def _ancestor_paths(path: str) -> list[str]:
    """``"T/T01/T0101/"`` → ``["T/", "T/T01/", "T/T01/T0101/"]``."""
    parts = [part for part in path.split(PATH_SEPARATOR) if part]
    return [PATH_SEPARATOR.join(parts[: depth + 1]) + PATH_SEPARATOR for depth in range(len(parts))]


def staff_language(user: Any) -> str:
    return _supported(getattr(user, "preferred_language", "")) or settings.LANGUAGE_CODE


def _supported(language: str | None) -> str:
    codes = {code for code, _name in settings.LANGUAGES}
    return language if language in codes else ""


def citizen_language(appeal: Appeal, *, at_submission: str | None, earlier: str | None) -> str:
    """The language the appeal was submitted in, when it can be told: the citizen's account preference, else
    the language their receipt was written in (the language of the page they submitted from), else the
    deployment's default. ``at_submission`` is the language active when the appeal was submitted (recorded
    on its submit event); ``earlier`` is the language of the citizen's first message, if any (``earlier_citizen_languages``)."""
    account = appeal.submitted_by
    if account is not None and _supported(account.preferred_language):
        return account.preferred_language
    if earlier:
        return earlier
    return _supported(at_submission) or settings.LANGUAGE_CODE


def earlier_citizen_languages(appeal_ids: Iterable[int]) -> dict[int, str]:
    """The language of the first message each appeal's citizen was sent, for the appeals that have one."""
    from .models import Audience as OutboxAudience
    from .models import OutboxMessage

    languages: dict[int, str] = {}
    rows = (
        OutboxMessage.objects.filter(appeal_id__in=list(appeal_ids), audience=OutboxAudience.CITIZEN)
        .order_by("appeal_id", "id")
        .values_list("appeal_id", "language")
    )
    for appeal_id, language in rows:
        languages.setdefault(appeal_id, language)
    return languages
