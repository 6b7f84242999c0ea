"""Writing to the ledger. ``audit_record`` must run inside the transaction of the change it records, so the
change and its record commit together or not at all."""

from __future__ import annotations

import functools
from typing import Any

from django.db import connections, models, transaction
from django.db.models import Model

from massline.core import clock

from .chain import canonical_parts, clean_text, record_hash, to_json_value
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
    fields = {
        "occurred_at": clock.now(),
        "event": event,
        "actor_id": actor_id,
        "actor_label": actor_label,
        "target_type": target_type,
        "target_id": str(target_id),
        "before": before_json,
        "after": after_json,
        "reason": reason,
    }
    connection = transaction.get_connection()
    if connection.vendor == "postgresql":
        appended = _append_postgresql(connection, **fields)
        if appended is not None:
            return appended
    head = _locked_head()
    chained = {**fields, "seq": head.seq + 1, "prev_hash": head.hash}
    record = AuditRecord(**chained, hash=record_hash(**chained))
    record.save(force_insert=True)
    ChainHead.objects.filter(pk=head.pk).update(seq=record.seq, hash=record.hash)
    return record


def _locked_head() -> ChainHead:
    head = ChainHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        ChainHead.objects.get_or_create(pk=1)
        head = ChainHead.objects.select_for_update().get(pk=1)
    return head


def _append_postgresql(connection: Any, **fields: Any) -> AuditRecord | None:
    """Lock the head, insert the record chained to it and move the head, in one statement: every change of
    the platform appends, and the head is held from here to the commit. PostgreSQL completes the record with
    the head's sequence number and hash and takes the SHA-256 of the canonical form, whose other bytes are
    built here (``chain.canonical_parts``), so the bytes hashed are those ``chain.record_hash`` would hash
    (``chain_verify`` recomputes every one). None when the ledger has no head yet (a new database): the
    caller creates it and appends the ORM's way.

    ``occurred_at`` is read before the head is locked: a record that waited for the lock can carry a time a
    moment earlier than the record before it. The order of the ledger is its sequence."""
    opening, middle, closing = canonical_parts(**fields)
    sql, given = _append_statement(connection.alias)
    record = AuditRecord(**fields)
    values = [field.get_db_prep_save(getattr(record, field.attname), connection) for field in given]
    with connection.cursor() as cursor:
        cursor.execute(sql, [*values, opening, middle, closing])
        row = cursor.fetchone()
    if row is None:
        return None
    record.pk, record.seq, record.prev_hash, record.hash = row
    record._state.adding = False
    record._state.db = connection.alias
    return record


@functools.cache
def _append_statement(alias: str) -> tuple[str, list[models.Field[Any, Any]]]:
    """The append's SQL and the record's fields it takes as parameters, worked out once per process."""
    connection: Any = connections[alias]
    chained = {"seq", "prev_hash", "hash"}  # what the statement takes from the head
    given = [
        field for field in AuditRecord._meta.concrete_fields if not field.primary_key and field.attname not in chained
    ]
    quote = connection.ops.quote_name
    record_table = quote(AuditRecord._meta.db_table)
    head_table = quote(ChainHead._meta.db_table)
    columns = ", ".join(quote(field.column) for field in given)
    placeholders = ", ".join(["%s"] * len(given))
    # Table and column names are ours; values go in as parameters. The hash is hexadecimal, so it needs no
    # escaping inside the JSON string it completes.
    sql = f"""WITH head AS (SELECT seq, hash FROM {head_table} WHERE id = 1 FOR UPDATE),
        appended AS (
            INSERT INTO {record_table} ({columns}, seq, prev_hash, hash)
            SELECT {placeholders}, head.seq + 1, head.hash, encode(sha256(
                %s::bytea || convert_to(head.hash, 'UTF8') || %s::bytea
                || convert_to((head.seq + 1)::text, 'UTF8') || %s::bytea), 'hex')
            FROM head
            RETURNING id, seq, prev_hash, hash)
        UPDATE {head_table} SET seq = appended.seq, hash = appended.hash FROM appended WHERE {head_table}.id = 1
        RETURNING appended.id, appended.seq, appended.prev_hash, appended.hash"""  # noqa: S608
    return sql, given


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
