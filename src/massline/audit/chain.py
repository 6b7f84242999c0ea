"""The canonical form of an audit record and its hash. Changing this breaks every existing chain: don't."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder


def to_json_value(value: Any) -> Any:
    """``value`` as plain JSON data, exactly as it will be stored and read back from any database.

    Dates, decimals and UUIDs become strings (DjangoJSONEncoder). Floats become their shortest decimal text,
    because PostgreSQL's jsonb reads some floats back as other numbers (1e16 as an integer, -0.0 as 0.0) and
    the hash would no longer match. NUL characters, which PostgreSQL cannot store in text, become U+FFFD."""
    if value is None:
        return None
    return _normalise(json.loads(json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False)))


def clean_text(text: str) -> str:
    return text.replace("\x00", "\ufffd")


def _normalise(value: Any) -> Any:
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, list):
        return [_normalise(item) for item in value]
    if isinstance(value, dict):
        return {clean_text(key): _normalise(item) for key, item in value.items()}
    return value


def canonical_form(
    *,
    seq: int,
    occurred_at: dt.datetime,
    event: str,
    actor_id: int | None,
    actor_label: str,
    target_type: str,
    target_id: str,
    before: Any,
    after: Any,
    reason: str,
    prev_hash: str,
) -> bytes:
    """The bytes a record's hash is taken over: its fields as compact JSON with sorted keys, UTF-8."""
    document = _document(
        occurred_at=occurred_at,
        event=event,
        actor_id=actor_id,
        actor_label=actor_label,
        target_type=target_type,
        target_id=target_id,
        before=before,
        after=after,
        reason=reason,
    )
    return _compact({**document, "seq": seq, "prev_hash": prev_hash}).encode("utf-8")


def canonical_parts(**fields: Any) -> tuple[bytes, bytes, bytes]:
    """The canonical form without the two values only the chain's head knows: the bytes before the previous
    hash, between it and the sequence number, and after that (``fields`` are the record's others, by name).
    The canonical form is ``opening + prev_hash + middle + str(seq) + closing``, which lets PostgreSQL complete
    and hash a record in the statement that locks the head. Built pair by pair in sorted key order, which is exactly what ``json.dumps(document,
    sort_keys=True)`` writes: ``canonical_form`` (a test holds the two equal). That one stays a single dump, as
    the verifier calls it for every record of the ledger."""
    pairs = {key: _compact(key) + ":" + _compact(value) for key, value in _document(**fields).items()}
    # NUL marks the two places: json.dumps escapes every control character, so no value can contain one.
    pairs["prev_hash"] = '"prev_hash":"\x00"'
    pairs["seq"] = '"seq":\x00'
    opening, middle, closing = ("{" + ",".join(pairs[key] for key in sorted(pairs)) + "}").split("\x00")
    return opening.encode("utf-8"), middle.encode("utf-8"), closing.encode("utf-8")


def _document(
    *,
    occurred_at: dt.datetime,
    event: str,
    actor_id: int | None,
    actor_label: str,
    target_type: str,
    target_id: str,
    before: Any,
    after: Any,
    reason: str,
) -> dict[str, Any]:
    return {
        "occurred_at": occurred_at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        "event": event,
        "actor_id": actor_id,
        "actor_label": actor_label,
        "target_type": target_type,
        "target_id": target_id,
        "before": before,
        "after": after,
        "reason": reason,
    }


def _compact(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def record_hash(**fields: Any) -> str:
    return hashlib.sha256(canonical_form(**fields)).hexdigest()
