"""Read use cases for staff, always scoped to the requesting person.

- Hotline operators and dispatchers see every appeal (they take and route them).
- Handlers and unit leaders see the appeals assigned to their unit (or units below it).
- Supervisors see the appeals in their area. Platform administrators see everything.
- The citizen's contact details are read only through ``contact_for``: operators and dispatchers see them;
  the handling unit sees them only when the citizen did not ask for confidentiality (Beijing regulation Art. 8;
  信访工作条例 Art. 46: never pass a reporter's materials to the person reported)."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from massline.accounts.permissions import is_platform_admin, scope_for
from massline.accounts.roles import Role

from ..choices import AssignmentRole, AssignmentState, AttachmentKind
from ..models import Appeal, AppealContact, Assignment, UnitConsultation, VisitRepresentative
from ..permissions import CENTRE_DEPTH, acts_for_unit, can_see_internal, hotline_covers, unit_paths
from ..transitions import State

logger = logging.getLogger(__name__)


def area_condition(paths: tuple[str, ...]) -> Q:
    """Appeals in these areas; appeals with no area when one of the paths is a city-wide (or wider) centre."""
    condition = Q()
    for path in paths:
        condition |= Q(area__path__startswith=path)
    if any(path.count("/") <= CENTRE_DEPTH for path in paths):
        condition |= Q(area__isnull=True)
    return condition


def appeal_list(*, user: Any) -> QuerySet[Appeal]:
    """Every appeal ``user`` may see: a hotline centre's appeals, a unit's current assignments, a
    supervisor's area; everything for platform administrators."""
    appeals = Appeal.objects.select_related("lead_unit", "category", "area")
    if not getattr(user, "is_authenticated", False):
        return appeals.none()
    if is_platform_admin(user):
        return appeals
    condition = Q()
    for roles in ((Role.OPERATOR, Role.DISPATCHER), (Role.SUPERVISOR,)):
        scope = scope_for(user, *roles)
        if scope.everything:
            return appeals
        if scope.area_paths:
            condition |= area_condition(scope.area_paths)
    current = [
        AssignmentState.PENDING,
        AssignmentState.ACCEPTED,
    ]  # a unit that returned it or was replaced no longer reads it
    # EXISTS rather than a join: no duplicate rows, so no DISTINCT that would sort every match before a page.
    for path in unit_paths(user):
        condition |= Q(
            Exists(Assignment.objects.filter(appeal=OuterRef("pk"), unit__path__startswith=path, state__in=current))
        )
        # A unit consulted before dispatch reads the appeal while its answer is awaited.
        condition |= Q(
            Exists(
                UnitConsultation.objects.filter(
                    appeal=OuterRef("pk"), unit__path__startswith=path, answered_at__isnull=True
                )
            )
        )
    if not condition:
        return appeals.none()
    return appeals.filter(condition)


def appeal_for_staff(*, user: Any, code: str) -> Appeal | None:
    return appeal_list(user=user).filter(tracking_code=code.upper()).first()


def may_see_person(*, user: Any, appeal: Appeal) -> bool:
    """Whether ``user`` may read who raised ``appeal``: never for an anonymous appeal; the hotline centre
    covering it; the handling unit only when the citizen did not ask for confidentiality."""
    if appeal.anonymous:
        return False
    if is_platform_admin(user) or hotline_covers(user, appeal):
        return True
    return not appeal.contact_confidential and _leads_now(user, appeal)


def _leads_now(user: Any, appeal: Appeal) -> bool:
    """Whether ``user`` acts for the unit that currently leads the appeal: one that returned it, or was only
    consulted, does not."""
    if not acts_for_unit(user, appeal.lead_unit):
        return False
    return appeal.assignments.filter(
        role=AssignmentRole.LEAD, unit=appeal.lead_unit, state__in=[AssignmentState.PENDING, AssignmentState.ACCEPTED]
    ).exists()


def attachments_for(*, user: Any, appeal: Appeal) -> QuerySet[Any]:
    """The files of ``appeal`` that ``user`` may open: staff documents to whoever works the case; a citizen's
    photos too, unless the citizen asked for confidentiality; a scanned letter (which carries the petitioner's
    name and address, Art. 19) only to those who may see the person, and to the centre that registered it."""
    files = appeal.attachments.order_by("uploaded_at", "id")
    if not can_see_internal(user, appeal):
        return files.none()
    if hotline_covers(user, appeal) or may_see_person(user=user, appeal=appeal):
        return files
    kinds = [AttachmentKind.STAFF] if appeal.contact_confidential else [AttachmentKind.STAFF, AttachmentKind.CITIZEN]
    return files.filter(kind__in=kinds)


def contact_for(*, user: Any, appeal: Appeal) -> AppealContact | None:
    """The citizen's contact details, or None when ``user`` may not see them."""
    if not may_see_person(user=user, appeal=appeal):
        return None
    return AppealContact.objects.filter(appeal=appeal).first()


def representatives_for(*, user: Any, appeal: Appeal) -> list[VisitRepresentative]:
    """The representatives of a group visit (信访工作条例 Art. 20), under the same rule as ``contact_for``:
    they are the petitioners' identity, so the unit complained about never reads them when confidentiality was
    asked for."""
    if not may_see_person(user=user, appeal=appeal):
        return []
    return list(VisitRepresentative.objects.filter(appeal=appeal).order_by("position", "id"))


def petition_reviews_pending(*, user: Any) -> QuerySet[Appeal]:
    """Appeals waiting for a review or re-review decision (信访工作条例 Arts. 35–36) in the areas ``user``
    supervises, the nearest answer deadline first."""
    appeals = Appeal.objects.select_related("lead_unit", "area").filter(state__in=[State.REVIEW, State.RE_REVIEW])
    if not getattr(user, "is_authenticated", False):
        return appeals.none()
    scope = scope_for(user, Role.SUPERVISOR)
    if not (scope.everything or is_platform_admin(user)):
        if not scope.area_paths:
            return appeals.none()
        appeals = appeals.filter(area_condition(scope.area_paths))
    return appeals.order_by("due_at", "received_at")


from .queues import QUEUES, appeal_queue, queues_for  # noqa: E402,F401  (queues build on appeal_list)


def reply_templates_for(*, user: Any) -> list[Any]:
    """The reply templates a handler may start from: the deployment's and those of the user's units."""
    from ..models import ReplyTemplate

    condition = Q(unit__isnull=True)
    for path in unit_paths(user):
        condition |= Q(unit__path__startswith=path)
    return list(ReplyTemplate.objects.filter(condition, is_active=True).order_by("name")[:50])


def dispatch_targets(*, user: Any) -> QuerySet[Any]:
    """The units a dispatcher may send to or consult: those in the areas of the dispatcher's centre and those
    above it (a district centre may need the city bureau), never another city's."""
    from massline.org.models import Unit

    units = Unit.objects.filter(is_active=True).select_related("area").order_by("path")
    scope = scope_for(user, Role.DISPATCHER)
    if scope.everything or is_platform_admin(user):
        return units
    if not scope.area_paths:
        return units.none()
    condition = Q(pk__in=[])
    for path in scope.area_paths:
        condition |= Q(area__path__startswith=path)
        parts = path.rstrip("/").split("/")
        ancestors = ["/".join(parts[:n]) + "/" for n in range(1, len(parts))]
        condition |= Q(area__path__in=ancestors)
    return units.filter(condition)


def dispatch_suggestions(*, user: Any, appeal: Appeal, limit: int = 3) -> list[tuple[Any, str]]:
    """Up to ``limit`` units for the dispatcher to consider, each with why: the responsibility matrix's answer
    when the appeal's category and area give one (a returned appeal), then the units that most often led
    answered appeals of the same category in the same district over the last 90 days. Within the dispatcher's
    reach only. The trained router adds its own suggestions when it is installed."""
    from django.db.models import Count
    from django.utils.translation import gettext as _

    from massline.core import clock
    from massline.org.selectors import responsibility_for

    reach = dispatch_targets(user=user)
    suggestions: list[tuple[Any, str]] = []
    if appeal.category_id and appeal.area_id:
        answer = responsibility_for(category=appeal.category, area=appeal.area)  # type: ignore[arg-type]
        if answer is not None and reach.filter(pk=answer.lead_unit.pk).exists():
            suggestions.append((answer.lead_unit, _("the responsibility matrix")))
    if appeal.area_id:
        suggestions += _router_suggestions(appeal, reach, taken=[unit for unit, _why in suggestions])
    if appeal.category_id:
        history = Appeal.objects.filter(
            category_id=appeal.category_id,
            replied_at__gte=clock.now() - dt.timedelta(days=90),
            lead_unit__in=reach,
        ).exclude(pk=appeal.pk)
        if appeal.area_id and appeal.area is not None:
            district = "/".join(appeal.area.path.rstrip("/").split("/")[:3]) + "/"
            history = history.filter(area__path__startswith=district)
        top = history.values("lead_unit").annotate(n=Count("id")).order_by("-n")[: limit + 1]
        units = {unit.pk: unit for unit in reach.filter(pk__in=[row["lead_unit"] for row in top])}
        for row in top:
            unit = units.get(row["lead_unit"])
            if unit is not None and all(unit.pk != chosen.pk for chosen, _why in suggestions):
                suggestions.append((unit, _("led %(n)d answered appeals of this topic nearby") % {"n": row["n"]}))
    return suggestions[:limit]


def _router_suggestions(appeal: Appeal, reach: Any, *, taken: list[Any]) -> list[tuple[Any, str]]:
    """The trained router's three likeliest topics for the appeal's text, each as the unit the responsibility
    matrix names for that topic in the appeal's area."""
    from django.utils.translation import gettext as _

    from massline.intelligence.selectors import guess_topic
    from massline.intelligence.text import appeal_text
    from massline.org.selectors import responsibility_for

    try:
        guess = guess_topic(appeal_text(appeal))
    except Exception:  # a broken model never breaks the dispatcher's page
        logger.exception("router suggestions failed for appeal %s", appeal.pk)
        return []
    if guess is None:
        return []
    found: list[tuple[Any, str]] = []
    for category, _label, confidence in guess.top3:
        if category is None or appeal.area is None:
            continue
        answer = responsibility_for(category=category, area=appeal.area)
        if answer is None or any(answer.lead_unit.pk == unit.pk for unit in [*taken, *(u for u, _w in found)]):
            continue
        if reach.filter(pk=answer.lead_unit.pk).exists():
            why = _("the text router: %(topic)s, %(percent)d%% sure") % {
                "topic": category.label,
                "percent": round(confidence * 100),
            }
            found.append((answer.lead_unit, why))
    return found


DUPLICATE_WINDOW_DAYS = 30


def possible_duplicates(*, user: Any, appeal: Appeal) -> list[Any]:
    """Open appeals that look like the same matter as a waiting ``appeal`` (same street or topic, many words in
    common, received within ``DUPLICATE_WINDOW_DAYS`` before it), for its dispatcher to merge: ``similar.Match``
    rows, the most alike first."""
    from massline.intelligence.text import appeal_text

    from .similar import similar_open_appeals

    return similar_open_appeals(
        user=user,
        text=appeal_text(appeal),
        area=appeal.area,
        category=appeal.category,
        roles=(Role.DISPATCHER, Role.OPERATOR),
        exclude=appeal,
        since=appeal.received_at - dt.timedelta(days=DUPLICATE_WINDOW_DAYS),
    )
