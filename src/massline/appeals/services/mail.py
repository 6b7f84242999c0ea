"""What an intake channel could not take over from a submission, noted on the appeal for the staff."""

from __future__ import annotations

from django.db import transaction

from ..models import Appeal
from ..transitions import Action, transition

MAX_NOTE = 4000


@transaction.atomic
def appeal_intake_note(*, appeal: Appeal, text: str) -> Appeal:
    """An internal note written by an intake channel, with no person acting: for example an e-mail attachment
    that was refused, so the staff know to ask the citizen for it. Nothing a citizen sent is dropped silently
    (DESIGN.md: nothing a citizen submits is lost)."""
    locked = Appeal.objects.select_for_update(of=("self",)).get(pk=appeal.pk)
    return transition(locked, action=Action.NOTE, actor=None, note=text.strip()[:MAX_NOTE])
