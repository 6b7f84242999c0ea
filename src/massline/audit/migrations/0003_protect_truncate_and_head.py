"""On PostgreSQL, also refuse TRUNCATE of the ledger and any rewinding of the chain head, so that emptying the
ledger and resetting the head cannot pass for an empty, intact ledger.

TRUNCATE is allowed only in a session that sets ``massline.ledger_maintenance = on`` (the test suite does, to
empty its database between tests); no production connection sets it."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION audit_ledger_reject_truncate() RETURNS trigger AS $$
BEGIN
    IF coalesce(current_setting('massline.ledger_maintenance', true), '') = 'on' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'audit ledger is append-only: TRUNCATE on % refused', TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION audit_chainhead_only_advances() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'audit chain head cannot be deleted' USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF NEW.seq = OLD.seq AND NEW.hash = OLD.hash THEN
        RETURN NEW;
    END IF;
    IF NEW.seq <> OLD.seq + 1 THEN
        RAISE EXCEPTION 'audit chain head can only advance by one record (% to %)', OLD.seq, NEW.seq
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER audit_ledger_no_truncate
    BEFORE TRUNCATE ON audit_auditrecord
    FOR EACH STATEMENT EXECUTE FUNCTION audit_ledger_reject_truncate();
CREATE TRIGGER audit_chainhead_no_truncate
    BEFORE TRUNCATE ON audit_chainhead
    FOR EACH STATEMENT EXECUTE FUNCTION audit_ledger_reject_truncate();
CREATE TRIGGER audit_chainhead_advances
    BEFORE UPDATE OR DELETE ON audit_chainhead
    FOR EACH ROW EXECUTE FUNCTION audit_chainhead_only_advances();
"""

DROP = """
DROP TRIGGER IF EXISTS audit_chainhead_advances ON audit_chainhead;
DROP TRIGGER IF EXISTS audit_chainhead_no_truncate ON audit_chainhead;
DROP TRIGGER IF EXISTS audit_ledger_no_truncate ON audit_auditrecord;
DROP FUNCTION IF EXISTS audit_chainhead_only_advances();
DROP FUNCTION IF EXISTS audit_ledger_reject_truncate();
"""


def create_triggers(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def drop_triggers(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only_trigger")]
    operations = [migrations.RunPython(create_triggers, drop_triggers)]
