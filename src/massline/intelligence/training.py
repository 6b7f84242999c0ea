"""Where routers learn from: a labelled file (the shared message set for the demo), or the deployment's own
history of appeals whose topic people set or confirmed — which is how dispatchers' corrections feed the next
version."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path
from typing import Any

from django.conf import settings

from massline.core import clock

from .models import RouterVersion
from .routing.csvdata import labelled, read_table
from .routing.model import MIN_PER_CLASS, Router, cross_validate
from .services import router_register
from .text import title_and_text

HISTORY_DAYS = 365
HISTORY_LIMIT = 50_000


def shared_messages() -> Path:
    """The shared labelled message set (``MASSLINE_SHARED_DATA``: ../shared/data/ beside the checkout)."""
    return Path(settings.MASSLINE_SHARED_DATA) / "teddy2020c" / "messages_labeled.csv"


# The shared set's seven first-level labels and the demo catalogue's topics that mean the same.
SHARED_LABELS_TO_DEMO_TOPICS = {
    "城乡建设": "住房与城乡建设",
    "劳动和社会保障": "劳动与社会保障",
    "教育文体": "教育",
    "商贸旅游": "市场监管",
    "环境保护": "生态环境",
    "卫生计生": "卫生健康",
    "交通运输": "交通运输",
}


def train_from_file(
    *, actor: Any, path: Path, text_column: str, label_column: str, label_map: dict[str, str] | None = None
) -> RouterVersion:
    table = read_table(path, required=[text_column, label_column])
    texts, labels = labelled(table, path, text_column=text_column, label_column=label_column)
    return _train_and_register(actor=actor, texts=texts, labels=labels, trained_on=path.name, label_map=label_map)


def history_examples(*, days: int = HISTORY_DAYS) -> tuple[list[str], list[str]]:
    """Texts and topic codes of recent appeals whose topic a person chose or confirmed by dispatching them: the
    second-level topic (or the first, for appeals filed there), labels with too few examples left out."""
    from massline.appeals.models import Appeal

    since = clock.now() - dt.timedelta(days=days)
    rows = list(
        Appeal.objects.filter(received_at__gte=since, category__isnull=False, lead_unit__isnull=False)
        .order_by("-received_at")
        .values_list("title", "description", "category__path")[:HISTORY_LIMIT]
    )
    texts, labels = [], []
    for title, description, path in rows:
        codes = [code for code in path.split("/") if code]
        texts.append(title_and_text(title, description))
        labels.append(codes[1] if len(codes) > 1 else codes[0])
    counts = Counter(labels)
    keep = [i for i, label in enumerate(labels) if counts[label] >= MIN_PER_CLASS]
    return [texts[i] for i in keep], [labels[i] for i in keep]


def train_from_history(*, actor: Any, activate_if_better: bool = True) -> RouterVersion | None:
    """Train on the deployment's own history; activate the new version when its cross-validated macro-F1 is at
    least the active version's (else keep it for a person to compare and activate). None when the history is
    too small to learn from."""
    texts, labels = history_examples()
    if len(set(labels)) < 2:
        return None
    active = RouterVersion.objects.filter(is_active=True).first()
    version = _train_and_register(actor=actor, texts=texts, labels=labels, trained_on="appeals history", activate=False)
    if activate_if_better and (
        active is None or version.metrics.get("macro_f1", 0) >= active.metrics.get("macro_f1", 0)
    ):
        from .services import router_activate

        router_activate(actor=actor, version=version, reason="retrained on the appeals history")
    return version


def _train_and_register(
    *,
    actor: Any,
    texts: list[str],
    labels: list[str],
    trained_on: str,
    label_map: dict[str, str] | None = None,
    activate: bool = True,
) -> RouterVersion:
    figures = cross_validate(texts, labels)
    router = Router.train(texts, labels)
    router.meta["cross_validation"] = figures
    return router_register(actor=actor, router=router, trained_on=trained_on, label_map=label_map, activate=activate)
