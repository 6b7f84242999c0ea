"""The appeal's tracking code and idempotency key unique by constraint, without the ``varchar_pattern_ops``
twins Django gives ``unique=True`` CharFields on PostgreSQL; the lead unit and a work order's unit without
an index of their own (``appeal_unit_state`` and ``assignment_unit_state`` start with them).

On PostgreSQL the same schema is made by renaming the two unique constraints (their indexes follow) and
dropping four indexes: instant, where Django's own operations rebuilt both unique indexes and checked both
foreign keys again under an exclusive lock (docs/deploy.md, "Upgrading")."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from massline.core.migration_operations import CatalogueOnPostgreSQL

FORWARDS = [
    "ALTER TABLE appeals_appeal RENAME CONSTRAINT appeals_appeal_tracking_code_key TO appeal_tracking_code_unique",
    "ALTER TABLE appeals_appeal RENAME CONSTRAINT appeals_appeal_idempotency_key_key TO appeal_idempotency_key_unique",
    "DROP INDEX IF EXISTS appeals_appeal_tracking_code_21090606_like",
    "DROP INDEX IF EXISTS appeals_appeal_idempotency_key_c71b1468_like",
    "DROP INDEX IF EXISTS appeals_appeal_lead_unit_id_975ea08b",
    "DROP INDEX IF EXISTS appeals_assignment_unit_id_39b33425",
]
BACKWARDS = [
    "CREATE INDEX appeals_assignment_unit_id_39b33425 ON appeals_assignment (unit_id)",
    "CREATE INDEX appeals_appeal_lead_unit_id_975ea08b ON appeals_appeal (lead_unit_id)",
    "CREATE INDEX appeals_appeal_idempotency_key_c71b1468_like ON appeals_appeal (idempotency_key varchar_pattern_ops)",
    "CREATE INDEX appeals_appeal_tracking_code_21090606_like ON appeals_appeal (tracking_code varchar_pattern_ops)",
    "ALTER TABLE appeals_appeal RENAME CONSTRAINT appeal_idempotency_key_unique TO appeals_appeal_idempotency_key_key",
    "ALTER TABLE appeals_appeal RENAME CONSTRAINT appeal_tracking_code_unique TO appeals_appeal_tracking_code_key",
]


class Migration(migrations.Migration):
    dependencies = [
        ("appeals", "0012_state_group_statistics"),
        ("org", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        CatalogueOnPostgreSQL(
            forwards=FORWARDS,
            backwards=BACKWARDS,
            operations=[
                migrations.AlterField(
                    model_name="appeal",
                    name="idempotency_key",
                    field=models.CharField(blank=True, max_length=100, null=True, verbose_name="idempotency key"),
                ),
                migrations.AlterField(
                    model_name="appeal",
                    name="lead_unit",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="org.unit",
                        verbose_name="lead unit",
                    ),
                ),
                migrations.AlterField(
                    model_name="appeal",
                    name="tracking_code",
                    field=models.CharField(max_length=20, verbose_name="tracking code"),
                ),
                migrations.AlterField(
                    model_name="assignment",
                    name="unit",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="assignments",
                        to="org.unit",
                        verbose_name="unit",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="appeal",
                    constraint=models.UniqueConstraint(fields=("tracking_code",), name="appeal_tracking_code_unique"),
                ),
                migrations.AddConstraint(
                    model_name="appeal",
                    constraint=models.UniqueConstraint(
                        fields=("idempotency_key",), name="appeal_idempotency_key_unique"
                    ),
                ),
            ],
        )
    ]
