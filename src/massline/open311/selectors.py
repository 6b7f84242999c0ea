"""What Open311 shows: the catalogue's services, and service requests as the public may see them.

Never shown: contact details (they are in another table, never read here), staff notes and timelines, appeals
whose citizen asked to keep their details confidential, letters-and-visits petitions, reports (举报) and
appeals sent to a legal channel. A request's description, address and answer are shown only when its citizen
agreed to publication, masked as on the case wall."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from massline.appeals.choices import AppealKind, Channel, SpecialRoute, Track
from massline.appeals.models import Appeal
from massline.appeals.redaction import mask_for_publication
from massline.appeals.selectors.public import known_names
from massline.appeals.transitions import Group
from massline.core.compiled import CompiledValues
from massline.core.memo import Memo
from massline.org.models import Category

MAX_RESULTS = 1000
DEFAULT_DAYS = 90


def services() -> QuerySet[Category]:
    """The services a request can be made for: the active categories without sub-categories."""
    return (
        Category.objects.filter(is_active=True)
        .exclude(children__is_active=True)
        .select_related("parent")
        .order_by("path")
    )


_SERVICE_CODES: Memo[frozenset[str]] = Memo("open311.service_codes").invalidated_by(Category)


def is_service(code: str) -> bool:
    """Whether a request can be made for the topic with this code (the codes of ``services()``, remembered,
    see ``core.memo``): every POST asks."""
    return code in _SERVICE_CODES.get("all", lambda: frozenset(services().values_list("code", flat=True)))


def public_requests() -> QuerySet[Appeal]:
    return (
        Appeal.objects.exclude(contact_confidential=True)
        .exclude(track=Track.PETITION)
        .exclude(kind=AppealKind.REPORT)
        .exclude(special_route__in=[SpecialRoute.LEGAL_CHANNEL, SpecialRoute.EMERGENCY])
    )


FIELDS = (
    "pk",
    "tracking_code",
    "state_group",
    "category__code",
    "category__name_zh",
    "category__name_en",
    "lead_unit__name_zh",
    "lead_unit__name_en",
    "title",
    "description",
    "location_text",
    "latitude",
    "longitude",
    "publish_consent",
    "reply_text",
    "replied_at",
    "received_at",
    "updated_at",
    "due_at",
    "channel",
    "contact__name",  # read only to mask the citizen's name in what is published; never shown
)


def requests_matching(
    *,
    codes: list[str] | None = None,
    service_code: str = "",
    start: dt.datetime | None = None,
    end: dt.datetime | None = None,
    status: str = "",
    now: dt.datetime,
) -> list[dict[str, Any]]:
    """The spec's GET requests: by ids, or by service, dates and status; without dates, the last
    ``DEFAULT_DAYS`` days; at most ``MAX_RESULTS``, the newest first."""
    rows = public_requests()
    if codes:
        rows = rows.filter(tracking_code__in=codes[:MAX_RESULTS])
    else:
        if start is None and end is None:
            start = now - dt.timedelta(days=DEFAULT_DAYS)
        if start is not None:
            rows = rows.filter(received_at__gte=start)
        if end is not None:
            rows = rows.filter(received_at__lte=end)
        if service_code:
            rows = rows.filter(category__code__in=[code for code in service_code.split(",") if code])
        if status == "open":
            rows = rows.filter(state_group=Group.OPEN)
        elif status == "closed":
            rows = rows.filter(state_group__in=[Group.RESOLVED, Group.CLOSED])
    return list(rows.order_by("-received_at", "-pk").values(*FIELDS)[:MAX_RESULTS])


def _iso(value: dt.datetime | None, zone: dt.tzinfo) -> str | None:
    """W3C date and time in ``zone``, the deployment's (2026-11-30T09:00:00+08:00)."""
    return value.astimezone(zone).isoformat(timespec="seconds") if value is not None else None


def names_for(rows: list[dict[str, Any]]) -> dict[int, list[str]]:
    """The names to mask in each published row: its citizen's (read with the row) and, for a group visit, its
    representatives' (one more query, only when there is such a row). Never shown."""
    names = {row["pk"]: [row["contact__name"]] for row in rows if row["publish_consent"] and row["contact__name"]}
    visits = [row["pk"] for row in rows if row["publish_consent"] and row["channel"] == Channel.VISIT]
    for appeal_id, found in known_names(visits).items() if visits else ():
        names.setdefault(appeal_id, []).extend(found)
    return names


def as_request(
    row: dict[str, Any],
    *,
    english: bool,
    names: dict[int, list[str]],
    zone: dt.tzinfo,
    extensions: bool = False,
    base_url: str = "",
) -> dict[str, Any]:
    """One appeal in the GeoReport v2 shape; ``names`` from ``names_for``, ``zone`` the deployment's time zone."""
    public = bool(row["publish_consent"])
    known = names.get(row["pk"], [])
    service_name = (row["category__name_en"] if english else "") or row["category__name_zh"]
    agency = (row["lead_unit__name_en"] if english else "") or row["lead_unit__name_zh"]
    shown = {
        "service_request_id": row["tracking_code"],
        "status": "open" if row["state_group"] == Group.OPEN else "closed",
        "status_notes": mask_for_publication(row["reply_text"], names=known) if public and row["replied_at"] else None,
        "service_name": service_name,
        "service_code": row["category__code"],
        "description": mask_for_publication(f"{row['title']}\n{row['description']}", names=known) if public else None,
        "agency_responsible": agency,
        "service_notice": None,
        "requested_datetime": _iso(row["received_at"], zone),
        "updated_datetime": _iso(row["updated_at"], zone),
        "expected_datetime": _iso(row["due_at"], zone),
        "address": mask_for_publication(row["location_text"], names=known) if public and row["location_text"] else None,
        "address_id": None,
        "zipcode": None,
        "lat": float(row["latitude"]) if row["latitude"] is not None else None,
        "long": float(row["longitude"]) if row["longitude"] is not None else None,
        "media_url": None,
    }
    if extensions:
        # Marked as an extension (GeoReport v2 extended attributes): massline's own tracking page.
        shown["extended_attributes"] = {"tracking_url": f"{base_url}/appeals/track/{row['tracking_code']}/"}
    return shown


def as_requests(
    rows: list[dict[str, Any]], *, english: bool, extensions: bool = False, base_url: str = ""
) -> list[dict[str, Any]]:
    """Rows of ``FIELDS`` in the GeoReport v2 shape, masked: the names to mask and the time zone are read once
    for all of them (asking Django for the zone costs more than the conversion)."""
    names = names_for(rows)
    zone = timezone.get_current_timezone()
    return [
        as_request(row, english=english, names=names, zone=zone, extensions=extensions, base_url=base_url)
        for row in rows
    ]


# The single request by its id is Open311's busiest read: compiled once per process (core/compiled.py).
_BY_CODE = CompiledValues(lambda code: public_requests().filter(tracking_code=code).values(*FIELDS))


def request_by_code(code: str) -> dict[str, Any] | None:
    rows = _BY_CODE.rows(code)  # the tracking code is unique: one row or none
    return rows[0] if rows else None
