"""Storing, activating and retraining router versions. Every step is audited."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Max

from massline.audit.services import audit_record

from ..models import RouterVersion
from ..routing.model import Router

DEFAULT_THRESHOLD = 0.8  # when the training gave no cross-validated figure to choose one from


def model_root() -> Path:
    return Path(settings.MASSLINE_MODEL_DIR)


def router_register(
    *, actor: Any, router: Router, trained_on: str, label_map: dict[str, str] | None = None, activate: bool = True
) -> RouterVersion:
    """Keep a trained router as the next version, with its figures; make it the active one unless told not to.
    The threshold is the lowest confidence above which the cross-validated messages were routed right 97.5% of
    the time (``threshold_975``; ``coverage_975`` says how many that is), unless ``MASSLINE_ROUTER_MIN_CONFIDENCE``
    sets one."""
    figures = dict(router.meta.get("cross_validation") or {})
    threshold = settings.MASSLINE_ROUTER_MIN_CONFIDENCE or figures.get("threshold_975") or DEFAULT_THRESHOLD
    with transaction.atomic():
        number = (RouterVersion.objects.select_for_update().aggregate(n=Max("version"))["n"] or 0) + 1
        directory = f"routing/v{number}"
        target = model_root() / directory
        if target.exists():
            shutil.rmtree(target)  # left by a registration that did not commit
        router.save(target)
        version = RouterVersion.objects.create(
            version=number,
            trained_on=trained_on[:200],
            examples=int(router.meta.get("examples", 0)),
            labels=router.labels,
            label_map=label_map or {},
            metrics=figures,
            threshold=float(threshold),
            directory=directory,
        )
        audit_record(
            event="intelligence.router.register",
            actor=actor,
            target=version,
            after={"version": number, "trained_on": version.trained_on, "metrics": figures},
        )
        if activate:
            router_activate(actor=actor, version=version)
    return version


@transaction.atomic
def router_activate(*, actor: Any, version: RouterVersion, reason: str = "") -> RouterVersion:
    """Make ``version`` the router used for new appeals (rolling back is activating an earlier version)."""
    previous = RouterVersion.objects.select_for_update().filter(is_active=True).exclude(pk=version.pk).first()
    if previous is not None:
        previous.is_active = False
        previous.save(update_fields=["is_active", "updated_at"])
    version.is_active = True
    version.save(update_fields=["is_active", "updated_at"])
    audit_record(
        event="intelligence.router.activate",
        actor=actor,
        target=version,
        before={"active": previous.version if previous else None},
        after={"active": version.version},
        reason=reason,
    )
    return version
