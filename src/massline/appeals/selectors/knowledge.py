"""The hotline's knowledge base: answers already given in public to consultations, offered to the operator as
suggestions while a caller asks something similar (Beijing regulation Art. 11: consultations are answered on
the spot when possible).

Only public replies count (``AppealEvent.public_message``, already masked), and only those the callers were
content with: the consultation was closed (satisfied, or answered on the spot) or rated satisfied; an answer
rated dissatisfied is never suggested. Matching uses the same character bigrams as ``similar``, over the
newest ``CANDIDATES`` answers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from ..choices import AppealKind, Satisfaction
from ..models import AppealEvent
from ..redaction import mask_for_publication
from ..transitions import Action, Group
from .similar import rank, text_bigrams

CANDIDATES = 1000
RESULTS = 3


@dataclass(frozen=True)
class Answer:
    question: str
    text: str
    at: Any


def knowledge_search(*, text: str) -> list[Answer]:
    """Earlier public answers to consultations that resemble ``text``, best first; one per appeal (its latest)."""
    query = text_bigrams(text)
    if len(query) < 2:
        return []
    rows = (
        AppealEvent.objects.filter(
            action__in=[Action.REPLY, Action.ANSWER],
            appeal__kind=AppealKind.CONSULTATION,
        )
        .filter(
            Q(appeal__state_group=Group.CLOSED)
            | Q(appeal__satisfaction__in=[Satisfaction.SATISFIED, Satisfaction.BASICALLY])
        )
        .exclude(appeal__satisfaction=Satisfaction.DISSATISFIED)
        .exclude(public_message="")
        .order_by("-at", "-id")
        .values_list("appeal_id", "appeal__title", "public_message", "at")[:CANDIDATES]
    )
    latest: dict[int, tuple[str, str, Any]] = {}
    for appeal_id, title, message, at in rows:
        latest.setdefault(appeal_id, (title, message, at))
    ranked = rank(query, ((appeal_id, f"{title}\n{message}") for appeal_id, (title, message, _at) in latest.items()))
    answers, seen = [], set()
    for appeal_id, _shared, _score in ranked:
        title, message, at = latest[appeal_id]
        if message in seen:  # the same standard answer given to many callers is offered once
            continue
        seen.add(message)
        # Another citizen's question: shown masked, as on the public case wall.
        answers.append(Answer(question=mask_for_publication(title), text=mask_for_publication(message), at=at))
        if len(answers) == RESULTS:
            break
    return answers
