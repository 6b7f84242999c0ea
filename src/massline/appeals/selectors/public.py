"""What the public may read: the case wall (appeals whose citizens agreed to publication, once answered),
masked for publication. Contact details are read here only to be masked out of the text, never shown."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from massline.org.models import AreaLevel

from ..choices import AppealKind
from ..models import Appeal, AppealContact, VisitRepresentative
from ..redaction import mask_for_publication
from ..transitions import Group


@dataclass(frozen=True)
class WallItem:
    tracking_code: str
    kind: str
    title: str
    description: str
    reply: str
    outcome: str
    category: str
    place: str
    unit: str
    received_at: Any
    replied_at: Any
    satisfaction: str


def case_wall(*, kind: str = "") -> QuerySet[Appeal]:
    """Answered appeals published with consent, newest answer first. Nothing referred, linked or anonymous
    without consent ever appears."""
    appeals = (
        Appeal.objects.filter(
            publish_consent=True,
            state_group__in=[Group.RESOLVED, Group.CLOSED],
            special_route="",
            replied_at__isnull=False,
        )
        .select_related("category", "area", "area__parent", "lead_unit")
        .only(
            "pk",
            "tracking_code",
            "kind",
            "title",
            "description",
            "reply_text",
            "outcome",
            "satisfaction",
            "received_at",
            "replied_at",
            "category__name_zh",
            "category__name_en",
            "area__name_zh",
            "area__name_en",
            "area__level",
            "area__parent__name_zh",
            "area__parent__name_en",
            "lead_unit__name_zh",
            "lead_unit__name_en",
        )
    )
    if kind in AppealKind.values:
        appeals = appeals.filter(kind=kind)
    return appeals.order_by("-replied_at", "-pk")


def known_names(appeal_ids: list[int]) -> dict[int, list[str]]:
    """The names the citizens (and a visit's representatives) of these appeals gave, to mask them in what is
    published; read only for masking, never shown."""
    names: dict[int, list[str]] = {}
    for appeal_id, name in AppealContact.objects.filter(appeal_id__in=appeal_ids).values_list("appeal_id", "name"):
        names.setdefault(appeal_id, []).append(name)
    for appeal_id, name in VisitRepresentative.objects.filter(appeal_id__in=appeal_ids).values_list(
        "appeal_id", "name"
    ):
        names.setdefault(appeal_id, []).append(name)
    return names


def wall_items(appeals: list[Appeal]) -> list[WallItem]:
    """Mask each appeal for publication, with the names its citizens gave removed from the text."""
    names = known_names([appeal.pk for appeal in appeals])
    items = []
    for appeal in appeals:
        known = names.get(appeal.pk, [])
        area = appeal.area
        # The place is shown no finer than the street: a community or grid could point at a household.
        while area is not None and area.level > AreaLevel.STREET and area.parent is not None:
            area = area.parent
        items.append(
            WallItem(
                tracking_code=appeal.tracking_code,
                kind=appeal.get_kind_display(),
                title=mask_for_publication(appeal.title, names=known),
                description=mask_for_publication(appeal.description, names=known),
                reply=mask_for_publication(appeal.reply_text, names=known),
                outcome=appeal.get_outcome_display() if appeal.outcome else "",
                category=appeal.category.label if appeal.category else "",
                place=area.label if area is not None else "",
                unit=appeal.lead_unit.label if appeal.lead_unit else "",
                received_at=appeal.received_at,
                replied_at=appeal.replied_at,
                satisfaction=appeal.get_satisfaction_display() if appeal.satisfaction else "",
            )
        )
    return items
