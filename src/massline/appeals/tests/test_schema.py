"""The tables every submission writes carry no index that nothing reads: each one costs every appeal a write."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import IntegrityError, connection, transaction

from massline.appeals.models import Appeal

from .test_loop import submit

pytestmark = pytest.mark.django_db

WRITTEN_BY_INTAKE = (
    "appeals_appeal",
    "appeals_appealcontact",
    "appeals_appealevent",
    "appeals_assignment",
    "audit_auditrecord",
)


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="the LIKE twins are PostgreSQL's")
def test_no_like_twin_indexes_on_the_write_path() -> None:
    """Django adds a ``varchar_pattern_ops`` index beside a unique or indexed CharField on PostgreSQL, for
    ``LIKE 'abc%'``; no query here is shaped so (docs/performance.md, "Six indexes fewer")."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = ANY(%s) AND indexdef LIKE %s",
            [list(WRITTEN_BY_INTAKE), "%pattern_ops%"],
        )
        assert cursor.fetchall() == []


def test_tracking_codes_and_idempotency_keys_stay_unique(city) -> None:  # type: ignore[no-untyped-def]
    first, second = submit(city).appeal, submit(city).appeal
    Appeal.objects.filter(pk=first.pk).update(idempotency_key="same-key")
    for field, value in (("tracking_code", first.tracking_code), ("idempotency_key", "same-key")):
        with pytest.raises(IntegrityError), transaction.atomic():
            Appeal.objects.filter(pk=second.pk).update(**{field: value})
    # Appeals without a key are many.
    Appeal.objects.filter(pk__in=[first.pk, second.pk]).update(idempotency_key=None)


def test_the_database_has_every_index_and_constraint_the_models_name() -> None:
    """Migrations ``appeals/0013`` and ``audit/0005`` make the schema by hand on PostgreSQL (renames instead of
    rebuilds): what they leave must carry the names the models declare, or a later migration would not find
    them."""
    from massline.appeals.models import Assignment
    from massline.audit.models import AuditRecord

    with connection.cursor() as cursor:
        for model in (Appeal, Assignment, AuditRecord):
            found: dict[str, Any] = connection.introspection.get_constraints(cursor, model._meta.db_table)
            for constraint in model._meta.constraints:
                assert found.get(constraint.name, {}).get("unique"), (model, constraint.name)
            for index in model._meta.indexes:
                assert found.get(index.name, {}).get("index"), (model, index.name)
