"""The four kinds of matter RULES.md describes, with their procedures; administrators edit them as data."""

from django.db import migrations

KINDS = [
    {
        "code": "major-decision",
        "name_zh": "重大行政决策",
        "name_en": "Major administrative decision",
        "steps": [
            "proposal",
            "comment",
            "hearing",
            "risk",
            "legal_review",
            "meeting",
            "publicity",
            "implementation",
            "evaluation",
        ],
        "rules": {
            "comment_min_days": 30,
            "meeting_body": "collective",
            "meeting_notice_days": 3,
            "committee_may_propose": True,
            "residents_may_propose": False,
            "publicity_working_days": 7,
            "satisfaction_days": 30,
        },
    },
    {
        "code": "village-matter",
        "name_zh": "村级一事一议",
        "name_en": 'Village "one matter, one discussion"',
        "steps": ["proposal", "comment", "meeting", "publicity", "implementation", "evaluation"],
        "rules": {
            "comment_min_days": 7,
            "meeting_body": "assembly",
            "meeting_notice_days": 10,
            "vote_basis": "person",
            "publicity_working_days": 5,
            "satisfaction_days": 14,
        },
    },
    {
        "code": "community-affairs",
        "name_zh": "社区公共事务",
        "name_en": "Community affairs",
        "steps": ["proposal", "comment", "meeting", "publicity", "implementation", "evaluation"],
        "rules": {
            "comment_min_days": 7,
            "meeting_body": "representatives",
            "meeting_notice_days": 5,
            "publicity_working_days": 5,
            "satisfaction_days": 14,
        },
    },
    {
        "code": "practical-project",
        "name_zh": "为民办实事项目",
        "name_en": "Practical project for the people",
        "steps": ["proposal", "comment", "risk", "meeting", "publicity", "implementation", "evaluation"],
        "rules": {
            "comment_min_days": 15,
            "meeting_body": "representatives",
            "meeting_notice_days": 5,
            "publicity_working_days": 7,
            "satisfaction_days": 30,
        },
    },
]


def create_kinds(apps, schema_editor):
    MatterKind = apps.get_model("consultations", "MatterKind")
    for kind in KINDS:
        MatterKind.objects.update_or_create(code=kind["code"], defaults={k: v for k, v in kind.items() if k != "code"})


def remove_kinds(apps, schema_editor):
    apps.get_model("consultations", "MatterKind").objects.filter(code__in=[k["code"] for k in KINDS]).delete()


class Migration(migrations.Migration):
    dependencies = [("consultations", "0001_initial")]

    operations = [migrations.RunPython(create_kinds, remove_kinds)]
