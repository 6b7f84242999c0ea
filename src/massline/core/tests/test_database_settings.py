"""PostgreSQL connections bind values on the server and prepare the statements they repeat (decision 0020),
unless a pooler that cannot keep prepared statements stands in between."""

from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.db import connection

from massline.settings.base import database_from_env


def test_postgresql_binds_on_the_server_unless_told_not_to(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgres://massline@db.example:5432/massline")
    monkeypatch.delenv("DB_SERVER_SIDE_BINDING", raising=False)
    options = database_from_env(Path("unused.sqlite3"))["OPTIONS"]
    assert (options["server_side_binding"], options["prepare_threshold"]) == (True, 5)

    monkeypatch.setenv("DB_SERVER_SIDE_BINDING", "0")  # behind PgBouncer in transaction mode before 1.22
    options = database_from_env(Path("unused.sqlite3")).get("OPTIONS", {})
    assert "server_side_binding" not in options
    assert "prepare_threshold" not in options


def test_sqlite_has_no_such_options(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    options = database_from_env(Path("var/x.sqlite3"))["OPTIONS"]
    assert "server_side_binding" not in options


@pytest.mark.django_db
@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="prepared statements are PostgreSQL's")
@pytest.mark.skipif(
    "connection.vendor == 'postgresql' and not connection.settings_dict['OPTIONS'].get('prepare_threshold')",
    reason="turned off (DB_SERVER_SIDE_BINDING=0)",
)
def test_a_statement_a_connection_repeats_is_prepared_once() -> None:
    """After five runs psycopg prepares a statement; from the sixth on PostgreSQL neither parses nor plans it."""
    users = get_user_model().objects
    for _ in range(6):
        assert not users.filter(username="nobody-by-this-name").exists()
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [row[0] for row in cursor.fetchall()]
    table = get_user_model()._meta.db_table
    assert any(table in statement and "username" in statement for statement in prepared), prepared
