"""The first middleware: gives each request an ID, logs one line when it is answered and counts it.

The ID is the incoming ``X-Request-ID`` when it is plain and short (a load balancer's or a proxy's), otherwise a
new one; it goes back in the response's ``X-Request-ID`` header and on every log line written while the
request is served (``core.logs``), so one request can be followed through the logs and across services."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.core.signals import request_finished
from django.http import HttpRequest, HttpResponse

from massline.core import logs, metrics

logger = logging.getLogger("massline.request")

REQUEST_ID_HEADER = "X-Request-ID"


class RequestContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        request_finished.connect(logs.clear_request, dispatch_uid="massline.core.logs.clear_request")

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        request_id = logs.request_id_from(request.headers.get(REQUEST_ID_HEADER))
        request.request_id = request_id  # type: ignore[attr-defined]
        # The path only: query strings carry what people search for (names, telephone numbers).
        logs.bind_request(request_id=request_id, method=request.method, path=request.path)
        response = self.get_response(request)
        seconds = time.perf_counter() - started
        response[REQUEST_ID_HEADER] = request_id
        user = getattr(request, "user", None)
        user_id = user.pk if user is not None and user.is_authenticated else None
        duration_ms = round(seconds * 1000, 1)
        logs.update_request(status=response.status_code, duration_ms=duration_ms, user_id=user_id)
        match = request.resolver_match
        if match is not None:
            route = match.view_name or match.route
        elif request.path.startswith(settings.STATIC_URL or "/static/"):
            route = metrics.STATIC  # served by whitenoise before any URL is resolved
        else:
            route = metrics.UNMATCHED
        metrics.observe_request(route=route, method=request.method or "", status=response.status_code, seconds=seconds)
        logger.info("%s %s %s %.1f ms", request.method, request.path, response.status_code, duration_ms)
        return response
