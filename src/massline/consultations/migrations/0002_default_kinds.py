"""The four kinds of matter RULES.md describes, with their procedures; administrators edit them as data."""

from django.db import migrations

from massline.consultations.kinds import DEFAULT_KINDS, kinds_install_defaults


def create_kinds(apps, schema_editor):
    kinds_install_defaults(apps.get_model("consultations", "MatterKind"))


def remove_kinds(apps, schema_editor):
    apps.get_model("consultations", "MatterKind").objects.filter(code__in=[k["code"] for k in DEFAULT_KINDS]).delete()


class Migration(migrations.Migration):
    dependencies = [("consultations", "0001_initial")]

    operations = [migrations.RunPython(create_kinds, remove_kinds)]
