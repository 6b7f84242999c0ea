"""The chain head exists from the start, so the first two appends never race to create it."""

from django.db import migrations


def create_head(apps, schema_editor):  # type: ignore[no-untyped-def]
    apps.get_model("audit", "ChainHead").objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_protect_truncate_and_head")]
    operations = [migrations.RunPython(create_head, migrations.RunPython.noop)]
