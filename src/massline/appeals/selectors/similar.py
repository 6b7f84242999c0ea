"""Similar open appeals, found while a hotline operator types (so a repeated call joins the earlier case
instead of opening a new one).

Text is compared by character bigrams: Chinese has no spaces between words, and two characters side by side
("路灯", "漏水") carry most of a word's meaning; Latin-script words count whole. The database narrows the
candidates with indexed filters only (open states, the newest first, within the operator's centre and the
same street or the same category); the bigrams of at most ``CANDIDATES`` of them are compared in memory.
Limits: an older open appeal beyond the newest ``CANDIDATES`` of its area or category is not found, and a
paraphrase with no characters in common is not recognised (the duplicate detection of the intelligence
stage does better after intake)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from massline.accounts.permissions import scope_for
from massline.accounts.roles import Role
from massline.intelligence.text import text_bigrams
from massline.org.models import Area, AreaLevel, Category

from ..models import Appeal
from ..transitions import Group, State

CANDIDATES = 400
RESULTS = 5
MIN_SHARED = 2
MIN_SCORE = 0.2


def overlap(query: frozenset[str], other: frozenset[str]) -> tuple[int, float]:
    """How many bigrams are shared, and what share of the smaller text they make up."""
    shared = len(query & other)
    return shared, shared / max(1, min(len(query), len(other)))


@dataclass(frozen=True)
class Match:
    appeal: Appeal
    shared: int
    score: float


def rank(query: frozenset[str], rows: Iterable[tuple[Any, str]]) -> list[tuple[Any, int, float]]:
    """Rows of (key, text) ordered by bigram overlap with ``query``; weak overlaps are left out."""
    ranked = []
    for key, text in rows:
        shared, score = overlap(query, text_bigrams(text))
        if shared >= MIN_SHARED and score >= MIN_SCORE:
            ranked.append((key, shared, score))
    ranked.sort(key=lambda item: (item[2], item[1]), reverse=True)
    return ranked


def _hotline_appeals(user: Any, *roles: str) -> QuerySet[Appeal]:
    """Appeals in the area of ``user``'s hotline centre (as operator, or one of ``roles``)."""
    from . import area_condition

    scope = scope_for(user, *(roles or (Role.OPERATOR,)))
    if scope.everything:
        return Appeal.objects.all()
    if not scope.area_paths:
        return Appeal.objects.none()
    return Appeal.objects.filter(area_condition(scope.area_paths))


def similar_open_appeals(
    *,
    user: Any,
    text: str,
    area: Any = None,
    category: Any = None,
    roles: tuple[str, ...] = (),
    exclude: Any = None,
    since: Any = None,
) -> list[Match]:
    """Open appeals of ``user``'s hotline centre (as operator, or one of ``roles``) resembling ``text``: in the
    same street (or the area given, when it is coarser) or the same category when either is known, otherwise
    among the newest of the centre. Appeals already merged into another are left out, and so is ``exclude``;
    with ``since``, only appeals received from then on."""
    query = text_bigrams(text)
    if len(query) < MIN_SHARED:
        return []
    # ``state_group`` lets PostgreSQL read the partial indexes of open appeals by area and by category.
    appeals = _hotline_appeals(user, *roles).filter(state_group=Group.OPEN).exclude(state=State.MERGED)
    if exclude is not None:
        appeals = appeals.exclude(pk=exclude.pk)
    if since is not None:
        appeals = appeals.filter(received_at__gte=since)
    near = Q()
    # The street's areas and the topic's categories by id, read first (two small queries), so that PostgreSQL
    # reads the appeals through the partial indexes on (area, received_at) and (category, received_at) of open
    # appeals, OR-ed as bitmaps, instead of every open appeal of the window (docs/intelligence.md).
    if area is not None:
        codes = [code for code in area.path.split("/") if code]
        street_path = "".join(f"{code}/" for code in codes[: AreaLevel.STREET])
        prefix = street_path if area.level > AreaLevel.STREET else area.path
        near |= Q(area_id__in=list(Area.objects.filter(path__startswith=prefix).values_list("pk", flat=True)))
    if category is not None:
        near |= Q(
            category_id__in=list(Category.objects.filter(path__startswith=category.path).values_list("pk", flat=True))
        )
    if near:
        appeals = appeals.filter(near)
    rows = appeals.order_by("-received_at").values_list("pk", "title", "description")[:CANDIDATES]
    ranked = rank(query, ((pk, f"{title}\n{description}") for pk, title, description in rows))[:RESULTS]
    if not ranked:
        return []
    found = Appeal.objects.select_related("area", "category", "lead_unit").in_bulk([pk for pk, *_rest in ranked])
    return [Match(found[pk], shared, score) for pk, shared, score in ranked if pk in found]
