"""Reading the active router and what it says about an appeal."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from massline.accounts.permissions import scope_for
from massline.accounts.roles import Role
from massline.appeals.selectors import area_condition
from massline.core.memo import Memo
from massline.org.models import Category

from .models import HotIssue, RouterVersion
from .routing.model import Prediction, Router
from .services import model_root

_ACTIVE: Memo[tuple[RouterVersion, Router] | None] = Memo("intelligence.active_router").invalidated_by(RouterVersion)


def active_router() -> tuple[RouterVersion, Router] | None:
    """The active version and its loaded model, kept by each process (``core.memo``); None when none is."""
    return _ACTIVE.get("active", _load_active)


def _load_active() -> tuple[RouterVersion, Router] | None:
    version = RouterVersion.objects.filter(is_active=True).first()
    if version is None:
        return None
    return version, Router.load(model_root() / version.directory)


@dataclass(frozen=True)
class TopicGuess:
    version: int
    confidence: float
    confident: bool  # at or above the version's threshold
    category: Category | None  # the topic the best label stands for, when the catalogue has it
    top3: list[tuple[Category | None, str, float]]  # (topic, label, confidence)

    def as_data(self) -> dict[str, Any]:
        """What routing records on the appeal's timeline event."""
        return {
            "version": self.version,
            "label": self.top3[0][1] if self.top3 else "",
            "confidence": self.confidence,
            "confident": self.confident,
        }


def guess_topic(text: str) -> TopicGuess | None:
    """The active router's guess at the topic of ``text``; None when no router is active."""
    loaded = active_router()
    if loaded is None:
        return None
    version, router = loaded
    prediction: Prediction = router.predict([text])[0]
    topics = _topics(version, [label for label, _p in prediction.top3])
    top3 = [(topics.get(label), label, confidence) for label, confidence in prediction.top3]
    return TopicGuess(
        version=version.version,
        confidence=prediction.confidence,
        confident=bool(prediction.label) and prediction.confidence >= version.threshold,
        category=top3[0][0] if top3 else None,
        top3=top3,
    )


def _topics(version: RouterVersion, labels: list[str]) -> dict[str, Category]:
    """Labels to active topics: through the version's label map, else a topic whose code is the label."""
    codes = {label: version.label_map.get(label, label) for label in labels}
    found = {c.code: c for c in Category.objects.filter(code__in=set(codes.values()), is_active=True)}
    return {label: found[code] for label, code in codes.items() if code in found}


# Analysts are not among them: an issue's label is a citizen's title, and analysts read no appeal.
BOARD_ROLES = (Role.SUPERVISOR, Role.DISPATCHER, Role.ADMINISTRATOR)


def may_see_hot_issues(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.has_role(*BOARD_ROLES))


def hot_issues_for(*, user: Any, state: str = "", cooled: bool = False) -> QuerySet[HotIssue]:
    """The hot issues whose area lies in ``user``'s area as a supervisor, dispatcher or administrator, hottest
    first (issues with no single area for city-wide ones); cooled-down ones (not found by the latest sweep) only
    when asked."""
    if not may_see_hot_issues(user):
        return HotIssue.objects.none()
    scope = scope_for(user, *BOARD_ROLES)
    issues = HotIssue.objects.select_related("area", "category", "task", "task__lead_unit")
    if not scope.everything:
        if not scope.area_paths:
            return HotIssue.objects.none()
        issues = issues.filter(area_condition(scope.area_paths))
    if not cooled:
        issues = issues.filter(active=True)
    if state:
        issues = issues.filter(state=state)
    return issues.order_by("-active", "-score", "-pk")


def hot_issue_for(*, user: Any, pk: int) -> HotIssue | None:
    return hot_issues_for(user=user, cooled=True).filter(pk=pk).first()


def hot_issue_appeals(*, user: Any, issue: HotIssue) -> QuerySet[Any]:
    """The appeals of ``issue`` that ``user`` may see, the oldest first."""
    from massline.appeals.selectors import appeal_list

    return (
        appeal_list(user=user)
        .filter(pk__in=issue.memberships.values("appeal_id"))
        .select_related("area", "category", "lead_unit")
        .order_by("received_at", "pk")
    )


def proactive_work() -> QuerySet[HotIssue]:
    """Hot issues taken up as proactive tasks, for the public page: the newest decision first."""
    return (
        HotIssue.objects.filter(task__isnull=False)
        .select_related("area", "task", "task__lead_unit")
        .order_by("-programme_month", "-decided_at", "-pk")
    )
