"""The letters-and-visits block of the public tracking page: the written acknowledgement by passphrase, and the
review or re-review request while the petitioner may still ask for one."""

from __future__ import annotations

from typing import Any

from django import template

from ..choices import Track
from ..services.petition import review_window
from ..web.desk_forms import PassphraseForm, ReviewRequestForm
from ..web.desk_views import ACK_PREFIX, REVIEW_PREFIX

register = template.Library()


@register.inclusion_tag("appeals/desk/_track_petition.html", takes_context=True)
def petition_actions(context: Any, appeal: Any) -> dict[str, Any]:
    if appeal.track != Track.PETITION:
        return {"shown": False}
    window = review_window(appeal)
    return {
        "shown": True,
        "appeal": appeal,
        "csrf_token": context.get("csrf_token"),
        "window": window,
        "ack_form": PassphraseForm(prefix=ACK_PREFIX),
        "review_form": ReviewRequestForm(prefix=REVIEW_PREFIX) if window.level else None,
    }
