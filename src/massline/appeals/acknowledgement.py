"""The written acknowledgement of a petition (受理告知书, 信访工作条例 Art. 23) as a PDF, in the active language.

It says what the petitioner needs to follow the matter: the tracking code, when it was received, the matter,
the handling organ once dispatched, the time limits that apply (Art. 34), how to query progress (Arts. 17–18)
and the right to review and re-review (Arts. 35–36). It is made from the public fields of the appeal only:
never internal notes, never anyone's contact details. Nothing outside the document is fetched while
rendering it."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils.translation import get_language

from massline.core import clock
from massline.core.pdf import render_pdf

from .transitions import Group

TEMPLATE = "appeals/desk/acknowledgement.html"


def acknowledgement_context(appeal: Any) -> dict[str, Any]:
    policy = appeal.policy
    site = str(getattr(settings, "MASSLINE_SITE_URL", "")).rstrip("/")
    return {
        "appeal": appeal,
        "language": get_language() or settings.LANGUAGE_CODE,
        "received_on": appeal.received_at.astimezone(clock.local_zone()).date(),
        "issued_on": clock.today(),
        "due_on": (
            appeal.due_at.astimezone(clock.local_zone()).date()
            if appeal.due_at is not None and appeal.state_group == Group.OPEN
            else None
        ),
        "handle_days": int(policy.rule("petition_handle_days")),
        "extension_days": int(policy.rule("petition_extension_max_days")),
        "review_request_days": int(policy.rule("review_request_days")),
        "review_answer_days": int(policy.rule("review_answer_days")),
        "tracking_url": f"{site}{reverse('appeals:detail', args=[appeal.tracking_code])}",
        "site_name": getattr(settings, "MASSLINE_SITE_NAME", "") or "massline",
    }


def acknowledgement_pdf(appeal: Any) -> bytes:
    """Render the acknowledgement of ``appeal`` to PDF bytes."""
    return render_pdf(TEMPLATE, acknowledgement_context(appeal))
