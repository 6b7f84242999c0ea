"""Open311 GeoReport v2 at ``/open311/v2/`` and its discovery document at ``/open311/discovery.{json,xml}``.

An adapter at the edge (STYLE.md §7): it parses the specification's parameters, calls ``appeal_submit`` or the
selectors, and renders. Every refusal is the specification's error list in the requested format, never an HTML
page: 400 for bad parameters, 403 for a missing or invalid ``api_key``, 404 for what does not exist."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.utils.dateparse import parse_datetime
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from massline.accounts.services import api_key_check, api_key_used
from massline.appeals.choices import AppealKind, Channel
from massline.appeals.services import ContactInput, appeal_submit
from massline.appeals.services.intake import MAX_DESCRIPTION
from massline.appeals.web.limits import api_key_limited
from massline.core import clock
from massline.core.errors import DomainError
from massline.org.selectors import active_category_by_code

from . import selectors
from .wire import FORMATS, errors, render

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
MAX_CODES = 100  # ids in one ``service_request_id`` parameter


def _english() -> bool:
    return (get_language() or "").startswith("en")


def _jurisdiction_refused(request: HttpRequest, fmt: str) -> HttpResponse | None:
    asked = request.GET.get("jurisdiction_id") or request.POST.get("jurisdiction_id") or ""
    if asked and asked != settings.MASSLINE_OPEN311_JURISDICTION:
        return errors(404, _("jurisdiction_id %(id)s is not served here.") % {"id": asked[:100]}, fmt=fmt)
    return None


def _format(fmt: str) -> str | None:
    return fmt if fmt in FORMATS else None


def discovery(request: HttpRequest, fmt: str) -> HttpResponse:
    base = request.build_absolute_uri("/open311/v2/")
    document = {
        "changeset": "2026-11-30T00:00:00Z",
        "contact": settings.MASSLINE_OPEN311_CONTACT,
        "key_service": _("Ask the platform's administrators for an API key (massline apikey create)."),
        "endpoints": [
            {
                "specification": SPECIFICATION,
                "url": base,
                "changeset": "2026-11-30T00:00:00Z",
                "type": "production",
                "formats": ["application/json", "text/xml"],
            }
        ],
    }
    return render(document, root="discovery", fmt=fmt)


KIND_ATTRIBUTE = "kind"


def _service(category: Any) -> dict[str, Any]:
    english = _english()
    name = (category.name_en if english else "") or category.name_zh
    group = ""
    if category.parent is not None:
        group = (category.parent.name_en if english else "") or category.parent.name_zh
    return {
        "service_code": category.code,
        "service_name": name,
        "description": category.description or name,
        "metadata": True,
        "type": "realtime",
        "keywords": "",
        "group": group,
    }


def services(request: HttpRequest, fmt: str) -> HttpResponse:
    refused = _jurisdiction_refused(request, fmt)
    if refused:
        return refused
    return render([_service(category) for category in selectors.services()], root="services", fmt=fmt)


def service_definition(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    refused = _jurisdiction_refused(request, fmt)
    if refused:
        return refused
    if not selectors.is_service(code):
        return errors(404, _("service_code %(code)s was not found.") % {"code": code[:50]}, fmt=fmt)
    definition = {
        "service_code": code,
        "attributes": [
            {
                "variable": True,
                "code": KIND_ATTRIBUTE,
                "datatype": "singlevaluelist",
                "required": False,
                "datatype_description": _("What kind of request this is (a request for help when not given)."),
                "order": 1,
                "description": _("Type of request"),
                "values": [{"key": value, "name": str(label)} for value, label in AppealKind.choices],
            }
        ],
    }
    return render(definition, root="service_definition", fmt=fmt)


def _w3c(value: str, name: str) -> dt.datetime:
    parsed = parse_datetime(value.replace(" ", "+")) if value else None  # "+" arrives as a space when not encoded
    if parsed is None or parsed.tzinfo is None:
        raise ValueError(
            _("%(name)s must be a W3C date and time with its zone, e.g. 2026-11-30T09:00:00+08:00.") % {"name": name}
        )
    return parsed


@csrf_exempt
def requests_view(request: HttpRequest, fmt: str) -> HttpResponse:
    refused = _jurisdiction_refused(request, fmt)
    if refused:
        return refused
    if request.method == "POST":
        return _post_request(request, fmt)
    if request.method not in ("GET", "HEAD"):
        return errors(405, _("Use GET or POST."), fmt=fmt)
    params = request.GET
    codes = [code.strip() for code in params.get("service_request_id", "").split(",") if code.strip()]
    if len(codes) > MAX_CODES:
        return errors(400, _("At most %(n)d service_request_id values at once.") % {"n": MAX_CODES}, fmt=fmt)
    status = params.get("status", "")
    if status not in ("", "open", "closed"):
        return errors(400, _("status must be open or closed."), fmt=fmt)
    try:
        start = _w3c(params["start_date"], "start_date") if params.get("start_date") else None
        end = _w3c(params["end_date"], "end_date") if params.get("end_date") else None
    except ValueError as error:
        return errors(400, str(error), fmt=fmt)
    if start and end and end < start:
        return errors(400, _("end_date is before start_date."), fmt=fmt)
    rows = selectors.requests_matching(
        codes=codes, service_code=params.get("service_code", ""), start=start, end=end, status=status, now=clock.now()
    )
    return _render_requests(request, rows, fmt)


def _render_requests(request: HttpRequest, rows: list[dict[str, Any]], fmt: str) -> HttpResponse:
    """Rows of ``selectors.FIELDS`` as the spec's ``service_requests``, masked, with the extension when asked."""
    english = _english()
    extensions = request.GET.get("extensions") == "true"
    base = request.build_absolute_uri("/").rstrip("/") if extensions else ""
    items = selectors.as_requests(rows, english=english, extensions=extensions, base_url=base)
    return render(items, root="service_requests", fmt=fmt)


def request_detail(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    refused = _jurisdiction_refused(request, fmt)
    if refused:
        return refused
    row = selectors.request_by_code(code)
    if row is None:
        return errors(404, _("service_request_id %(id)s was not found.") % {"id": code[:50]}, fmt=fmt)
    return _render_requests(request, [row], fmt)


def token(request: HttpRequest, token_id: str, fmt: str) -> HttpResponse:
    """Requests are stored before the POST answers, so a token is the request's own id: this answers at once."""
    refused = _jurisdiction_refused(request, fmt)
    if refused:
        return refused
    if selectors.request_by_code(token_id) is None:
        return errors(404, _("token %(id)s was not found.") % {"id": token_id[:50]}, fmt=fmt)
    return render([{"service_request_id": token_id, "token": token_id}], root="service_requests", fmt=fmt)


def _coordinate(value: str, name: str, limit: int) -> Decimal:
    try:
        number = Decimal(value)
    except InvalidOperation:
        raise ValueError(_("%(name)s must be a number.") % {"name": name}) from None
    if not number.is_finite() or abs(number) > limit:
        raise ValueError(_("%(name)s must lie between -%(limit)d and %(limit)d.") % {"name": name, "limit": limit})
    return number.quantize(Decimal("0.000001"))


def _idempotency_key(request: HttpRequest, prefix: str) -> str | None:
    """A client's ``Idempotency-Key`` header, bound to its API key and to what it sent, so that a retry finds its
    first request and nobody else's."""
    presented = request.headers.get("Idempotency-Key", "")
    if not presented:
        return None
    body = sorted((key, value) for key, value in request.POST.items() if key != "api_key")
    digest = hashlib.sha256(json.dumps([prefix, presented, body], ensure_ascii=False).encode()).hexdigest()
    return f"o311:{digest}"


def _post_request(request: HttpRequest, fmt: str) -> HttpResponse:
    data = request.POST
    key = api_key_check(data.get("api_key", ""), scope="open311:write")
    if key is None:
        return errors(403, _("api_key is missing or not valid."), fmt=fmt)
    limited = api_key_limited(request, prefix=key.prefix, rate=f"{key.rate_per_minute}/m")
    if limited is not None:
        response = errors(
            429, _("Too many requests with this key: wait %(s)d seconds.") % {"s": limited.retry_after}, fmt=fmt
        )
        response["Retry-After"] = str(limited.retry_after)
        return response
    service_code = data.get("service_code", "").strip()
    if not service_code:
        return errors(400, _("service_code is required."), fmt=fmt)
    category = active_category_by_code(service_code)
    if category is None or not selectors.is_service(category.code):
        return errors(
            400,
            _("service_code %(code)s is not a service of this jurisdiction.") % {"code": service_code[:50]},
            fmt=fmt,
        )
    try:
        latitude = _coordinate(data["lat"], "lat", 90) if data.get("lat") else None
        longitude = _coordinate(data["long"], "long", 180) if data.get("long") else None
    except ValueError as error:
        return errors(400, str(error), fmt=fmt)
    address = data.get("address_string", "").strip() or data.get("address_id", "").strip()
    if (latitude is None or longitude is None) and not address:
        return errors(400, _("A location is required: lat and long, address_string or address_id."), fmt=fmt)
    description = data.get("description", "").strip()
    if len(description) > MAX_DESCRIPTION:
        return errors(400, _("description can be at most %(max)d characters.") % {"max": MAX_DESCRIPTION}, fmt=fmt)
    email = data.get("email", "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            return errors(400, _("email is not a valid e-mail address."), fmt=fmt)
    kind = data.get(f"attribute[{KIND_ATTRIBUTE}]", "") or AppealKind.HELP
    if kind not in AppealKind.values:
        return errors(
            400, _("attribute[kind] must be one of %(kinds)s.") % {"kinds": ", ".join(AppealKind.values)}, fmt=fmt
        )
    name = " ".join(part for part in (data.get("first_name", "").strip(), data.get("last_name", "").strip()) if part)
    phone = data.get("phone", "").strip()
    text = description or category.label
    try:
        result = appeal_submit(
            actor=None,
            kind=kind,
            channel=Channel.API,
            title=text.splitlines()[0][:60],
            description=text,
            location_text=address[:300],
            category=category,
            contact=ContactInput(name=name[:100], phone=phone[:30], email=email) if (name or phone or email) else None,
            anonymous=not (name or phone or email),
            latitude=latitude if longitude is not None else None,
            longitude=longitude if latitude is not None else None,
            idempotency_key=_idempotency_key(request, key.prefix),
        )
    except DomainError as error:
        return errors(400, str(error.message), fmt=fmt)
    api_key_used(key=key)
    code = result.appeal.tracking_code
    notice = _("Follow it at %(url)s with its code.") % {"url": request.build_absolute_uri("/appeals/track/")}
    body = [{"service_request_id": code, "token": code, "service_notice": notice, "account_id": None}]
    return render(body, root="service_requests", fmt=fmt, status=201 if result.created else 200)


def not_found(request: HttpRequest, path: str = "") -> HttpResponse:
    fmt = "xml" if request.path.endswith(".xml") else "json"
    return errors(404, _("There is nothing at this address; see /open311/discovery.json."), fmt=fmt)


def open_data(request: HttpRequest) -> HttpResponse:
    """The public page of the daily open-data exports: the days, their files, and what each field means."""
    from django.shortcuts import render as render_page

    from . import opendata

    return render_page(
        request,
        "open311/open_data.html",
        {
            "days": opendata.export_days(),
            "files": opendata.FILES,
            "appeal_fields": opendata.APPEAL_FIELDS,
            "scorecard_fields": opendata.SCORECARD_FIELDS,
        },
    )


def open_data_file(request: HttpRequest, day: str, name: str) -> HttpResponseBase:
    from django.http import FileResponse, Http404

    from . import opendata

    if name not in opendata.FILES or day not in opendata.export_days(limit=10_000):
        raise Http404
    path = opendata.export_root() / day / name
    if not path.is_file():
        raise Http404
    kind = "text/csv; charset=utf-8" if name.endswith(".csv") else "application/json; charset=utf-8"
    return FileResponse(
        path.open("rb"), as_attachment=name.endswith(".csv"), filename=f"massline-{day}-{name}", content_type=kind
    )
