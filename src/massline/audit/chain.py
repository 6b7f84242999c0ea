"""The canonical form of an audit record and its hash. Changing this breaks every existing chain: don't."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder


def to_json_value(value: Any) -> Any:
    """``value`` as plain JSON data (dates, decimals, UUIDs as strings), exactly as it will be stored."""
    if value is None:
        return None
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False))


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
    document = {
        "seq": seq,
        "occurred_at": occurred_at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        "event": event,
        "actor_id": actor_id,
        "actor_label": actor_label,
        "target_type": target_type,
        "target_id": target_id,
        "before": before,
        "after": after,
        "reason": reason,
        "prev_hash": prev_hash,
    }
    return json.dumps(document, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def record_hash(**fields: Any) -> str:
    return hashlib.sha256(canonical_form(**fields)).hexdigest()
