"""Migration operations that Django does not have."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import migrations


class CatalogueOnPostgreSQL(migrations.SeparateDatabaseAndState):
    """``operations`` as Django runs them, except on PostgreSQL, where ``forwards`` (and ``backwards`` to
    reverse) make the same schema by changes to the catalogue alone: renaming a unique constraint or an index
    and dropping one is instant, where Django would rebuild them and check foreign keys again, holding an
    exclusive lock on the table, reads included, meanwhile. The statements must leave exactly the schema
    that ``operations`` would, names included, so that later migrations find what they expect."""

    def __init__(self, operations: Sequence[Any], forwards: Sequence[str], backwards: Sequence[str]) -> None:
        super().__init__(state_operations=list(operations), database_operations=list(operations))
        self.forwards = list(forwards)
        self.backwards = list(backwards)

    def deconstruct(self) -> tuple[str, list[Any], dict[str, Any]]:
        return (
            f"{type(self).__module__}.{type(self).__qualname__}",
            [],
            {"operations": self.state_operations, "forwards": self.forwards, "backwards": self.backwards},
        )

    def database_forwards(self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any) -> None:
        if schema_editor.connection.vendor != "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)
            return
        for statement in self.forwards:
            schema_editor.execute(statement, params=None)

    def database_backwards(self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any) -> None:
        if schema_editor.connection.vendor != "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)
            return
        for statement in self.backwards:
            schema_editor.execute(statement, params=None)

    def describe(self) -> str:
        return "Schema change (by the catalogue alone on PostgreSQL)"
