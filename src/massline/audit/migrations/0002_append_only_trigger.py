"""On PostgreSQL, the database itself rejects UPDATE and DELETE on the ledger, whoever connects."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION audit_ledger_reject_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit ledger is append-only: % on audit_auditrecord refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_ledger_append_only
    BEFORE UPDATE OR DELETE ON audit_auditrecord
    FOR EACH ROW EXECUTE FUNCTION audit_ledger_reject_change();
"""

DROP = """
DROP TRIGGER IF EXISTS audit_ledger_append_only ON audit_auditrecord;
DROP FUNCTION IF EXISTS audit_ledger_reject_change();
"""


def create_trigger(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def drop_trigger(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(create_trigger, drop_trigger)]
