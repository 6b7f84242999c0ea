"""The first middleware: gives each request an ID, logs one line when it is answered and counts it.

The ID is the incoming ``X-Request-ID`` when it is plain and short (a load balancer's or a proxy's), otherwise a
new one; it goes back in the response's ``X-Request-ID`` header and on every log line written while the
request is served (``core.logs``), so one request can be followed through the logs and across services."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import asdict

from csp.constants import HEADER as CSP_HEADER
from csp.constants import HEADER_REPORT_ONLY as CSP_HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject, CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import request_finished
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase

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


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with the header of the settings' policy built once per process.

    django-csp builds the header from the settings on every response (a fifth of a millisecond, a tenth of
    the whole cost of a small API answer). Most responses use the settings' policy as it is: no nonce taken,
    no per-view policy (``@csp_update`` and the like), no excluded prefix. Those get the cached header;
    anything else goes through django-csp unchanged. The cache follows the settings objects, so a test's
    ``override_settings`` gets its own header."""

    _cached: tuple[tuple[int, int], str, str] | None = None

    def process_response(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        configured = getattr(settings, "CONTENT_SECURITY_POLICY", None)
        configured_ro = getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None)
        policy, report_only = configured or {}, configured_ro or {}
        plain = (
            getattr(request, "_csp_nonce", None) is None
            and not any(getattr(response, name, None) for name in _CSP_RESPONSE_ATTRIBUTES)
            and CSP_HEADER not in response
            and CSP_HEADER_REPORT_ONLY not in response
            and not policy.get("EXCLUDE_URL_PREFIXES")
            and not report_only.get("EXCLUDE_URL_PREFIXES")
            and not settings.DEBUG
        )
        if not plain:
            return super().process_response(request, response)
        key = (id(configured), id(configured_ro))  # the settings' own objects (None when unset)
        cached = self._cached
        if cached is None or cached[0] != key:
            parts = self.get_policy_parts(request=request, response=response)
            parts_ro = self.get_policy_parts(request=request, response=response, report_only=True)
            cached = (key, build_policy(**asdict(parts)), build_policy(**asdict(parts_ro), report_only=True))
            type(self)._cached = cached
        if cached[1]:
            response[CSP_HEADER] = cached[1]
        if cached[2]:
            response[CSP_HEADER_REPORT_ONLY] = cached[2]
        # As django-csp does: a nonce asked for after the header is written is an error, not a silent gap.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)  # type: ignore[attr-defined]
        return response


# What a view sets on its response to change the policy (django-csp's decorators).
_CSP_RESPONSE_ATTRIBUTES = (
    "_csp_exempt",
    "_csp_exempt_ro",
    "_csp_config",
    "_csp_update",
    "_csp_replace",
    "_csp_config_ro",
    "_csp_update_ro",
    "_csp_replace_ro",
)
