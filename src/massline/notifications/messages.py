"""The words of each notification, rendered in the recipient's language when the outbox row is created.

Citizens read the public side of the appeal only: the tracking code, the responsible office, the deadline and
the public (masked) message of the step. Staff read the tracking code, the title and a link to the case; the
citizen's name, phone and e-mail are scrubbed from the title and never put in a staff message."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, override

from massline.appeals.models import Appeal, AppealEvent
from massline.appeals.redaction import mask_for_publication, mask_personal_data

from .conf import site_url
from .recipients import CitizenAddress

SMS_LIMIT = 300  # characters: a long text message is split by the gateway, but an answer belongs in the e-mail


@dataclass(frozen=True)
class Rendered:
    subject: str
    body: str
    sms: str
    url: str


# (subject, body) per message; the body may use %(code)s, %(title)s, %(unit)s, %(due)s, %(message)s, %(url)s.
CITIZEN_MESSAGES = {
    "receipt": (
        gettext_lazy("We received your request %(code)s"),
        gettext_lazy(
            "Your request “%(title)s” was received and will be sent to the office responsible.\n"
            "Its tracking code is %(code)s. Follow it at %(url)s — keep the passphrase you were given: "
            "you need it to rate the answer."
        ),
    ),
    "dispatched": (
        gettext_lazy("Your request %(code)s is being handled by %(unit)s"),
        gettext_lazy("Your request %(code)s was sent to %(unit)s, which must answer by %(due)s.\nFollow it at %(url)s"),
    ),
    "extension_decided": (
        gettext_lazy("The deadline of your request %(code)s was reviewed"),
        gettext_lazy(
            "The office handling your request %(code)s asked for more time and a decision was taken.\n"
            "%(message)s\nThe answer is now due by %(due)s. Follow it at %(url)s"
        ),
    ),
    "replied": (
        gettext_lazy("Your request %(code)s has been answered"),
        gettext_lazy(
            "%(unit)s answered your request %(code)s:\n\n%(message)s\n\n"
            "Was the problem solved? Please rate the answer with your passphrase at %(url)s"
        ),
    ),
    "review_decided": (
        gettext_lazy("The review of your request %(code)s was decided"),
        gettext_lazy("The review (复查) of your request %(code)s was decided:\n\n%(message)s\n\nDetails: %(url)s"),
    ),
    "re_review_decided": (
        gettext_lazy("The re-review of your request %(code)s was decided"),
        gettext_lazy(
            "The re-review (复核) of your request %(code)s was decided; this decision is final:\n\n"
            "%(message)s\n\nDetails: %(url)s"
        ),
    ),
    "referred": (
        gettext_lazy("Your request %(code)s belongs to another channel"),
        gettext_lazy("Your request %(code)s cannot be handled here:\n\n%(message)s\n\nDetails: %(url)s"),
    ),
    "linked": (
        gettext_lazy("Your request %(code)s joins an earlier one"),
        gettext_lazy(
            "Your request %(code)s is the same matter as an earlier request and is handled with it:\n\n"
            "%(message)s\n\nDetails: %(url)s"
        ),
    ),
}

STAFF_MESSAGES = {
    "new_case": (
        gettext_lazy("New appeal for your unit: %(code)s"),
        gettext_lazy("Appeal %(code)s “%(title)s” was sent to %(unit)s. Answer due by %(due)s.\nOpen it: %(url)s"),
    ),
    "returned": (
        gettext_lazy("Appeal %(code)s was returned by the unit"),
        gettext_lazy("%(unit)s returned appeal %(code)s “%(title)s”. It needs a decision.\nOpen it: %(url)s"),
    ),
    "waiting_dispatch": (
        gettext_lazy("Appeal %(code)s is waiting for dispatch"),
        gettext_lazy("Appeal %(code)s “%(title)s” could not be routed automatically.\nOpen it: %(url)s"),
    ),
    "due_soon": (
        gettext_lazy("Appeal %(code)s is due soon"),
        gettext_lazy("Appeal %(code)s “%(title)s” must be answered by %(due)s.\nOpen it: %(url)s"),
    ),
    "overdue": (
        gettext_lazy("Appeal %(code)s is overdue"),
        gettext_lazy(
            "Appeal %(code)s “%(title)s” of %(unit)s was due by %(due)s and has not been answered.\nOpen it: %(url)s"
        ),
    ),
    "reopened": (
        gettext_lazy("Appeal %(code)s was reopened"),
        gettext_lazy(
            "Appeal %(code)s “%(title)s” is back with %(unit)s for another round. Answer due by %(due)s.\n"
            "Open it: %(url)s"
        ),
    ),
    "petition_review_requested": (
        gettext_lazy("Appeal %(code)s: the petitioner asks for a review"),
        gettext_lazy(
            "The petitioner disagrees with the answer to appeal %(code)s “%(title)s” and asks for a review "
            "(复查 or 复核); it must be answered within its limit.\nOpen it: %(url)s"
        ),
    ),
    "review_needed": (
        gettext_lazy("Appeal %(code)s needs a supervisor's review"),
        gettext_lazy(
            "The citizen is still dissatisfied with the answer to appeal %(code)s “%(title)s”.\nOpen it: %(url)s"
        ),
    ),
    "supervision_order": (
        gettext_lazy("Supervision order on appeal %(code)s"),
        gettext_lazy("A supervisor issued an order on appeal %(code)s “%(title)s” of %(unit)s.\nOpen it: %(url)s"),
    ),
    "extension_requested": (
        gettext_lazy("More time asked for appeal %(code)s"),
        gettext_lazy("%(unit)s asks for more time to answer appeal %(code)s “%(title)s”.\nOpen it: %(url)s"),
    ),
}


def _when(moment: Any) -> str:
    if moment is None:
        return _("no deadline yet")
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def scrub(text: str, address: CitizenAddress | None, *, names: tuple[str, ...] = ()) -> str:
    """Remove the citizen's own name, phone and e-mail and the names of a visit's representatives, then any
    phone, ID or e-mail pattern, house and room numbers, and surnames before an honorific."""
    if address is not None:
        for secret in (address.name, address.phone, address.email):
            if len(secret) >= 2:
                text = text.replace(secret, "***")
    return mask_for_publication(text, names=names)


def representatives_of(appeal_ids: Iterable[int]) -> dict[int, tuple[str, ...]]:
    """The names of the representatives of each group visit among these appeals (masked in staff messages)."""
    from massline.appeals.models import VisitRepresentative

    names: dict[int, list[str]] = {}
    rows = VisitRepresentative.objects.filter(appeal_id__in=list(appeal_ids)).order_by("pk")
    for appeal_id, name in rows.values_list("appeal_id", "name"):
        names.setdefault(appeal_id, []).append(name)
    return {appeal_id: tuple(found) for appeal_id, found in names.items()}


def _context(
    appeal: Appeal,
    event: AppealEvent,
    *,
    url: str,
    address: CitizenAddress | None,
    staff: bool = False,
    representatives: tuple[str, ...] = (),
) -> dict[str, str]:
    unit = event.unit or appeal.lead_unit
    return {
        "code": appeal.tracking_code,
        "title": scrub(appeal.title, address, names=representatives) if staff else appeal.title,
        "unit": unit.label if unit is not None else _("the responsible office"),
        "due": _when(appeal.due_at),
        "message": mask_personal_data(event.public_message) or _("(no message)"),
        "url": url,
    }


def render_citizen(
    message: str, *, appeal: Appeal, event: AppealEvent, language: str, address: CitizenAddress
) -> Rendered:
    url = site_url(reverse("appeals:detail", args=[appeal.tracking_code]))
    subject, body = CITIZEN_MESSAGES[message]
    with override(language):
        context = _context(appeal, event, url=url, address=None)
        rendered_subject = str(subject) % context
        rendered_body = str(body) % context
        sms = f"{rendered_subject} {url}"
        if message in ("replied", "referred", "linked", "review_decided", "re_review_decided"):
            sms = f"{rendered_subject}: {context['message']}"
            if len(sms) > SMS_LIMIT:
                sms = sms[: SMS_LIMIT - 1] + "…"
            sms = f"{sms} {url}"
    return Rendered(subject=rendered_subject, body=rendered_body, sms=sms, url=url)


def render_staff(
    message: str,
    *,
    appeal: Appeal,
    event: AppealEvent,
    language: str,
    address: CitizenAddress | None,
    representatives: tuple[str, ...],
) -> Rendered:
    """A staff member's message about a step, with the citizen's details and the names of the group visit's
    ``representatives`` (``representatives_of``) scrubbed."""
    path = reverse("appeals:case", args=[appeal.tracking_code])
    subject, body = STAFF_MESSAGES[message]
    with override(language):
        context = _context(
            appeal, event, url=site_url(path), address=address, staff=True, representatives=representatives
        )
        context["message"] = ""  # staff read the step on the case page, not in a message
        rendered = Rendered(
            subject=scrub(str(subject) % context, address),
            body=scrub(str(body) % context, address),
            sms="",
            url=path,
        )
    return rendered


def render_digest(*, language: str, messages: list[Any]) -> Rendered:
    path = reverse("notifications:inbox")
    with override(language):
        subject = ngettext(
            "Your daily summary: %(count)d notification", "Your daily summary: %(count)d notifications", len(messages)
        ) % {"count": len(messages)}
        lines = [f"• {message.subject}\n  {site_url(message.url) if message.url else ''}" for message in messages]
        body = "\n".join(
            [
                _("Since your last summary:"),
                "",
                *lines,
                "",
                _("All your notifications: %(url)s") % {"url": site_url(path)},
            ]
        )
    return Rendered(subject=subject, body=body, sms="", url=path)
