"""The four kinds of matter RULES.md describes, with their procedures: installed by migration 0002 and editable
by administrators afterwards. Change a default here only together with a new migration that applies it."""

from __future__ import annotations

from typing import Any

DEFAULT_KINDS: list[dict[str, Any]] = [
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


def kinds_install_defaults(model: Any = None) -> int:
    """Create the default kinds that are missing (an administrator's edits to existing ones are kept); returns
    how many were created. ``model`` is the historical model inside a migration."""
    if model is None:
        from .models import MatterKind as model
    created = 0
    for kind in DEFAULT_KINDS:
        _, made = model.objects.get_or_create(
            code=kind["code"], defaults={key: value for key, value in kind.items() if key != "code"}
        )
        created += int(made)
    return created
