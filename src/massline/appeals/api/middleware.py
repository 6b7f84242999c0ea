"""Answers Django gives before the API's own handlers run — 405 for a method an address does not take, 404 for
an address that does not exist — come back empty or as HTML. Under ``/api/`` they are rewritten into the API's
one error shape (``errors.py``), so that every 4xx a client meets is machine-readable. Schemathesis found them."""

from __future__ import annotations

import json
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from .errors import error

PREFIX = "/api/"


class ApiErrorShapeMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            not request.path.startswith(PREFIX)
            or response.status_code < 400
            or response.get("Content-Type", "").startswith("application/json")
        ):
            return response
        if response.status_code == 405:
            body = error(
                "method_not_allowed", _("This address does not accept %(method)s.") % {"method": request.method}
            )
        elif response.status_code == 404:
            body = error("not_found", _("Not found."))
        else:
            body = error("error", _("The request was refused."))
        shaped = HttpResponse(
            json.dumps({"errors": [body]}, ensure_ascii=False),
            status=response.status_code,
            content_type="application/json; charset=utf-8",
        )
        for header in ("Allow", "Retry-After"):
            if header in response:
                shaped[header] = response[header]
        return shaped
