"""Reading the active router and what it says about an appeal."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from massline.core.memo import Memo
from massline.org.models import Category

from .models import RouterVersion
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
