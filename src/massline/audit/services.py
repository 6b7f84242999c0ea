"""Writing to the ledger. ``audit_record`` must run inside the transaction of the change it records, so the
change and its record commit together or not at all."""

from __future__ import annotations

from typing import Any

from django.db import models, transaction
from django.db.models import Model

from massline.core import clock

from .chain import clean_text, record_hash, to_json_value
from .models import AuditRecord, ChainHead


class AuditOutsideTransaction(RuntimeError):
    pass


def audit_record(
    *,
    event: str,
    actor: Any = None,
    target: Model | None = None,
    target_type: str = "",
    target_id: str | int = "",
    before: Any = None,
    after: Any = None,
    reason: str = "",
) -> AuditRecord:
    """Append one record to the ledger, chained to the previous one.

    Refuses to run outside a transaction (``transaction.atomic``): a record written apart from its change
    could survive a change that was rolled back, or be lost when the change is kept."""
    if not transaction.get_connection().in_atomic_block:
        raise AuditOutsideTransaction("audit_record() must be called inside transaction.atomic()")
    if target is not None:
        target_type = target._meta.label_lower
        target_id = target.pk
    actor_id = actor.pk if actor is not None and getattr(actor, "is_authenticated", False) else None
    actor_label = str(actor.get_username()) if actor_id is not None else (str(actor) if actor else "system")
    before_json = to_json_value(before)
    after_json = to_json_value(after)
    event, actor_label, reason = clean_text(event), clean_text(actor_label), clean_text(reason)
    target_type, target_id = clean_text(target_type), clean_text(str(target_id))
    head = _locked_head()
    seq = head.seq + 1
    occurred_at = clock.now()
    fields = {
        "seq": seq,
        "occurred_at": occurred_at,
        "event": event,
        "actor_id": actor_id,
        "actor_label": actor_label,
        "target_type": target_type,
        "target_id": str(target_id),
        "before": before_json,
        "after": after_json,
        "reason": reason,
        "prev_hash": head.hash,
    }
    record = AuditRecord(**fields, hash=record_hash(**fields))
    connection = transaction.get_connection()
    if connection.vendor == "postgresql":
        _append_postgresql(connection, record)
    else:
        record.save(force_insert=True)
        ChainHead.objects.filter(pk=head.pk).update(seq=seq, hash=record.hash)
    return record


def _locked_head() -> ChainHead:
    connection = transaction.get_connection()
    if connection.vendor == "postgresql":  # every change of the platform appends: one plain statement
        with connection.cursor() as cursor:
            table = connection.ops.quote_name(ChainHead._meta.db_table)
            cursor.execute(f"SELECT seq, hash FROM {table} WHERE id = 1 FOR UPDATE")  # noqa: S608 — our table
            row = cursor.fetchone()
        if row is not None:
            return ChainHead(pk=1, seq=row[0], hash=row[1])
    head = ChainHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        ChainHead.objects.get_or_create(pk=1)
        head = ChainHead.objects.select_for_update().get(pk=1)
    return head


def _append_postgresql(connection: Any, record: AuditRecord) -> None:
    """Insert the record and move the locked head to it in one statement (one round trip instead of two)."""
    fields = [field for field in AuditRecord._meta.concrete_fields if not field.primary_key]
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    values = [field.get_db_prep_save(getattr(record, field.attname), connection) for field in fields]
    placeholders = ", ".join(["%s"] * len(fields))
    record_table = connection.ops.quote_name(AuditRecord._meta.db_table)
    head_table = connection.ops.quote_name(ChainHead._meta.db_table)
    with connection.cursor() as cursor:
        # Table and column names are ours; values go in as parameters.
        sql = f"""WITH appended AS (INSERT INTO {record_table} ({columns}) VALUES ({placeholders}) RETURNING id)
            UPDATE {head_table} SET seq = %s, hash = %s WHERE id = 1 RETURNING (SELECT id FROM appended)"""  # noqa: S608
        cursor.execute(sql, [*values, record.seq, record.hash])
        (record.pk,) = cursor.fetchone()
    record._state.adding = False
    record._state.db = connection.alias


def snapshot(instance: Model, fields: list[str] | None = None, *, with_many_to_many: bool = False) -> dict[str, Any]:
    """The audited state of a model instance: its concrete fields (foreign keys by id, never the password
    hash), or just ``fields``; with ``with_many_to_many``, also the sorted ids of its many-to-many relations."""
    data: dict[str, Any] = {}
    if with_many_to_many and instance.pk is not None:
        for relation in instance._meta.many_to_many:
            if fields is None or relation.name in fields:
                data[relation.name] = sorted(getattr(instance, relation.name).values_list("pk", flat=True))
    for field in instance._meta.concrete_fields:
        if fields is not None and field.name not in fields:
            continue
        if isinstance(field, models.ForeignKey):
            data[field.name] = getattr(instance, field.attname)
        elif field.name == "password":
            continue
        else:
            data[field.name] = field.value_from_object(instance)
    return to_json_value(data)
