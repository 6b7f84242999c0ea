"""The ledger's hash unique by constraint and its event indexed by a Meta index, without the
``varchar_pattern_ops`` twins Django gives unique or indexed CharFields on PostgreSQL.

On PostgreSQL the same schema is made by renaming the constraint and the index and dropping the twins: instant,
where Django's own operations rebuilt both indexes while every audited action waited (docs/deploy.md)."""

from django.conf import settings
from django.db import migrations, models

from massline.core.migration_operations import CatalogueOnPostgreSQL

FORWARDS = [
    "ALTER INDEX audit_auditrecord_event_2742275a RENAME TO audit_event",
    "DROP INDEX IF EXISTS audit_auditrecord_event_2742275a_like",
    "ALTER TABLE audit_auditrecord RENAME CONSTRAINT audit_auditrecord_hash_key TO audit_hash_unique",
    "DROP INDEX IF EXISTS audit_auditrecord_hash_87b6f64b_like",
]
BACKWARDS = [
    "CREATE INDEX audit_auditrecord_hash_87b6f64b_like ON audit_auditrecord (hash varchar_pattern_ops)",
    "ALTER TABLE audit_auditrecord RENAME CONSTRAINT audit_hash_unique TO audit_auditrecord_hash_key",
    "CREATE INDEX audit_auditrecord_event_2742275a_like ON audit_auditrecord (event varchar_pattern_ops)",
    "ALTER INDEX audit_event RENAME TO audit_auditrecord_event_2742275a",
]


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0004_chain_head_row"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        CatalogueOnPostgreSQL(
            forwards=FORWARDS,
            backwards=BACKWARDS,
            operations=[
                migrations.AlterField(
                    model_name="auditrecord",
                    name="event",
                    field=models.CharField(max_length=100, verbose_name="event"),
                ),
                migrations.AlterField(
                    model_name="auditrecord",
                    name="hash",
                    field=models.CharField(max_length=64, verbose_name="hash"),
                ),
                migrations.AddIndex(
                    model_name="auditrecord",
                    index=models.Index(fields=["event"], name="audit_event"),
                ),
                migrations.AddConstraint(
                    model_name="auditrecord",
                    constraint=models.UniqueConstraint(fields=("hash",), name="audit_hash_unique"),
                ),
            ],
        )
    ]
