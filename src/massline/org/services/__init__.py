"""Write use cases for the organisation. Each is atomic and puts one record on the audit ledger."""

from .calendar import calendar_override_remove, calendar_override_set
from .tree import (
    area_create,
    category_create,
    node_move,
    node_update,
    post_create,
    post_update,
    rule_set,
    tree_place,
    unit_create,
)

__all__ = [
    "area_create",
    "calendar_override_remove",
    "calendar_override_set",
    "category_create",
    "node_move",
    "node_update",
    "post_create",
    "post_update",
    "rule_set",
    "tree_place",
    "unit_create",
]
