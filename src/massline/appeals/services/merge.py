"""Duplicates: appeals about the same matter are merged into one, handled once, and answered together — every
citizen still gets the answer on their own appeal and rates it (Concentrate issue)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils.translation import gettext as _

from massline.core import clock
from massline.core.errors import PermissionDenied, ValidationFailed
from massline.intelligence.text import appeal_text, text_bigrams

from ..choices import SpecialRoute
from ..models import Appeal, AppealContact
from ..permissions import can_dispatch
from ..redaction import mask_personal_data
from ..transitions import OPEN_STATES, Action, State, transition


@transaction.atomic
def appeal_merge(*, actor: Any, appeal: Appeal, into: Appeal, note: str = "") -> Appeal:
    """Merge a waiting appeal into an open appeal about the same matter (the first of a chain of merges). The
    merged appeal waits for that appeal's answer; its citizen is told which case now carries the matter."""
    locked = Appeal.objects.select_for_update(of=("self",)).get(pk=appeal.pk)
    if not can_dispatch(actor, locked):
        raise PermissionDenied()
    target = Appeal.objects.select_for_update(of=("self",)).get(pk=into.pk)
    while target.state == State.MERGED and target.linked_to_id is not None:
        target = Appeal.objects.select_for_update(of=("self",)).get(pk=target.linked_to_id)
    if target.pk == locked.pk:
        raise ValidationFailed(_("An appeal cannot be merged with itself."), field="into")
    if target.state not in OPEN_STATES or target.state == State.MERGED:
        raise ValidationFailed(_("Merge only into an appeal that is still open."), field="into")
    if locked.state not in (State.RECEIVED, State.PENDING_DISPATCH):
        raise ValidationFailed(_("Only an appeal that has not been dispatched can be merged."), code="too_late")
    locked.linked_to, locked.lead_unit_id = target, target.lead_unit_id
    locked.due_at = locked.warn_at = None
    return transition(
        locked,
        action=Action.MERGE,
        actor=actor,
        note=note.strip(),
        public_message=str(
            _(
                "Your appeal is about the same matter as appeal %(code)s and is handled with it; you will get its "
                "answer here."
            )
            % {"code": target.tracking_code}
        ),  # fmt: skip
        data={"into": target.tracking_code},
        also_save=["linked_to", "lead_unit", "due_at", "warn_at"],
    )


def merged_answer(*, actor: Any, appeal: Appeal) -> list[Appeal]:
    """Give the answer of ``appeal`` (just replied, locked by the caller) to every appeal merged into it."""
    answered = []
    for merged in Appeal.objects.select_for_update(of=("self",)).filter(linked_to=appeal, state=State.MERGED):
        merged.outcome, merged.reply_text, merged.replied_at = appeal.outcome, appeal.reply_text, clock.now()
        merged.lead_unit_id = appeal.lead_unit_id
        answered.append(
            transition(
                merged,
                action=Action.REPLY,
                actor=actor,
                unit=appeal.lead_unit,
                public_message=mask_personal_data(appeal.reply_text),
                data={"outcome": appeal.outcome, "answered_with": appeal.tracking_code},
                also_save=["outcome", "reply_text", "replied_at", "lead_unit"],
            )
        )
    return answered


SAME_MATTER_CONTAINED = 0.9  # share of the new text's bigrams already in the earlier appeal
SAME_MATTER_MIN_BIGRAMS = 4


def earlier_same_matter(appeal: Appeal) -> Appeal | None:
    """An open appeal from the same telephone number, received in the last ``MASSLINE_LINK_SAME_MATTER_DAYS``
    (30; 0 turns this off), whose text already holds 90% of what the new one says: the same matter with no new
    facts. Deliberately strict — a new fact, another caller or a closed case all mean a new appeal — because a
    wrong link would hide a citizen's appeal."""
    days = settings.MASSLINE_LINK_SAME_MATTER_DAYS
    if days <= 0:
        return None
    phone = _caller_phone(appeal)
    if not phone:
        return None
    earlier = _open_appeals_from(phone, besides=appeal.pk, since=clock.now() - dt.timedelta(days=days))
    if not earlier:
        return None
    said = text_bigrams(appeal_text(appeal))
    if len(said) < SAME_MATTER_MIN_BIGRAMS:
        return None
    for candidate in earlier:
        known = text_bigrams(appeal_text(candidate))
        if len(said & known) / len(said) >= SAME_MATTER_CONTAINED:
            return candidate
    return None


def _caller_phone(appeal: Appeal) -> str:
    """The number the citizen gave, if any. Intake and dispatch hold the contact already (stored with the appeal,
    or read with it), so this reads nothing for them."""
    try:
        return appeal.contact.phone
    except AppealContact.DoesNotExist:
        return ""


_CONTACTS, _APPEALS = AppealContact._meta.db_table, Appeal._meta.db_table
_LINKABLE = sorted(OPEN_STATES - {State.MERGED})
_OPEN_FROM_PHONE = f"""SELECT a.id, a.tracking_code, a.title, a.description, a.linked_to_id
    FROM {_APPEALS} a JOIN {_CONTACTS} c ON c.appeal_id = a.id
    WHERE c.phone = %s AND a.id <> %s AND a.received_at >= %s AND a.state IN ({", ".join(["%s"] * len(_LINKABLE))})
    ORDER BY a.received_at DESC LIMIT 20"""  # noqa: S608 — our tables; the values are parameters


def _open_appeals_from(phone: str, *, besides: int, since: dt.datetime) -> list[Appeal]:
    """The caller's latest open appeals (at most 20) besides ``besides``. Plain SQL (indexes: the contact's
    phone, then the appeal's key), because routing asks this for every appeal that gives a number and building
    the join with the ORM cost several times what the query itself costs (docs/performance.md, "Intake")."""
    since_value = connection.ops.adapt_datetimefield_value(since)
    return list(Appeal.objects.raw(_OPEN_FROM_PHONE, [phone, besides, since_value, *_LINKABLE]))


def link_same_matter(locked: Appeal, earlier: Appeal) -> Appeal:
    """Link a just-received appeal to the earlier one about the same matter (no dispatch); the citizen is told
    where to follow it, as when an operator takes the "same matter" route."""
    locked.linked_to = earlier
    locked.special_route = SpecialRoute.SAME_MATTER
    return transition(
        locked,
        action=Action.LINK,
        actor=None,
        data={"route": SpecialRoute.SAME_MATTER, "linked_to": earlier.tracking_code, "automatic": True},
        also_save=["linked_to", "special_route"],
    )
