"""Every error of the API has one shape: ``{"errors": [{"field", "code", "message"}]}``, the message in the
request's language (LocaleMiddleware: cookie or Accept-Language). Clients act on ``field`` and ``code``; people
read ``message``. Never an HTML page, never a 500 for bad input."""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as RequestInvalid

from massline.core.errors import DomainError, NotFound, PermissionDenied

from ..transitions import TransitionNotAllowed
from ..web.limits import Limited

logger = logging.getLogger(__name__)

BAD_REQUEST = 400
UNAUTHORIZED = 401
FORBIDDEN = 403
NOT_FOUND = 404
CONFLICT = 409
TOO_LARGE = 413
UNPROCESSABLE = 422
TOO_MANY_REQUESTS = 429
SERVER_ERROR = 500

# Where ninja found a value; the field is named without it (a header keeps its own name).
_SOURCES = {"body", "query", "path", "header", "cookie", "form", "file"}
_BODY_PARAM = "payload"


class RateLimited(Exception):
    """The client has used up its submissions for now (``web/limits.py``)."""

    def __init__(self, limited: Limited) -> None:
        self.retry_after = limited.retry_after
        super().__init__(f"rate limited for {limited.retry_after} s")


def error(code: str, message: str, field: str | None = None) -> dict[str, Any]:
    return {"field": field, "code": code, "message": message}


def _field(loc: Any) -> str | None:
    parts = [str(part) for part in loc]
    if parts and parts[0] in _SOURCES:
        source, parts = parts[0], parts[1:]
        if source == "body" and parts and parts[0] == _BODY_PARAM:
            parts = parts[1:]
    return ".".join(parts) or None


def _described(item: dict[str, Any]) -> tuple[str, str]:
    """A stable code and a translated message for one of pydantic's errors (its own text is English only)."""
    kind = item.get("type", "")
    context = item.get("ctx") or {}
    if kind == "missing":
        return "required", _("This field is required.")
    if kind == "string_too_long":
        limit = int(context.get("max_length", 0))
        value = item.get("input")
        length = len(value) if isinstance(value, str) else limit + 1
        message = ngettext(
            "Ensure this value has at most %(limit_value)d character (it has %(show_value)d).",
            "Ensure this value has at most %(limit_value)d characters (it has %(show_value)d).",
            limit,
        ) % {"limit_value": limit, "show_value": length}
        return "too_long", message
    if kind == "string_type":
        return "invalid_type", _("Enter text.")
    if kind in {"float_type", "float_parsing", "finite_number"}:
        return "invalid_type", _("Enter a number.")
    if kind in {"bool_type", "bool_parsing"}:
        return "invalid_type", _("Enter true or false.")
    if kind in {"model_attributes_type", "model_type", "dict_type"}:
        return "invalid_type", _("Send a JSON object.")
    if kind == "extra_forbidden":
        return "unknown_field", _("This field is not part of the request.")
    if kind == "invalid_email":
        return "invalid", _("Enter a valid email address.")
    return "invalid", _("The data is not valid.")


def _respond(api: NinjaAPI, request: HttpRequest, status: int, *errors: dict[str, Any]) -> HttpResponse:
    return api.create_response(request, {"errors": list(errors)}, status=status)


def install_error_handlers(api: NinjaAPI) -> None:
    """Replace ninja's default error answers (``{"detail": ...}``, or Django's HTML pages) with ours."""

    @api.exception_handler(RequestInvalid)
    def request_invalid(request: HttpRequest, exc: RequestInvalid) -> HttpResponse:
        items = [error(*_described(item), field=_field(item.get("loc", ()))) for item in exc.errors]
        return _respond(api, request, UNPROCESSABLE, *items)

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        message = _("Sign in, or send a personal key as Authorization: Bearer ml_….")
        response = _respond(api, request, UNAUTHORIZED, error("unauthenticated", message))
        response["WWW-Authenticate"] = "Bearer"
        return response

    @api.exception_handler(TransitionNotAllowed)
    def conflict(request: HttpRequest, exc: TransitionNotAllowed) -> HttpResponse:
        return _respond(api, request, CONFLICT, error(exc.code, str(exc.message), exc.field))

    @api.exception_handler(NotFound)
    def not_found(request: HttpRequest, exc: NotFound) -> HttpResponse:
        return _respond(api, request, NOT_FOUND, error(exc.code, str(exc.message), exc.field))

    @api.exception_handler(PermissionDenied)
    def permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return _respond(api, request, FORBIDDEN, error(exc.code, str(exc.message), exc.field))

    @api.exception_handler(DomainError)
    def refused(request: HttpRequest, exc: DomainError) -> HttpResponse:
        # ValidationFailed and every other rule of a service: the request was understood and refused.
        return _respond(api, request, UNPROCESSABLE, error(exc.code, str(exc.message), exc.field))

    @api.exception_handler(Http404)
    def no_such_thing(request: HttpRequest, exc: Http404) -> HttpResponse:
        return _respond(api, request, NOT_FOUND, error("not_found", _("Not found.")))

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        if exc.status_code == BAD_REQUEST and isinstance(exc.__cause__, ValueError):
            # ninja's parser could not read the body (JSONDecodeError, UnicodeDecodeError).
            return _respond(api, request, BAD_REQUEST, error("invalid_json", _("The request body is not valid JSON.")))
        return _respond(api, request, exc.status_code, error(f"http_{exc.status_code}", _("The request was refused.")))

    @api.exception_handler(RequestDataTooBig)
    def too_large(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
        return _respond(api, request, TOO_LARGE, error("too_large", _("The request is too large.")))

    @api.exception_handler(RateLimited)
    def rate_limited(request: HttpRequest, exc: RateLimited) -> HttpResponse:
        message = _("Too many requests have been sent from your connection in a short time.")
        response = _respond(api, request, TOO_MANY_REQUESTS, error("rate_limited", message))
        response["Retry-After"] = str(exc.retry_after)
        return response

    @api.exception_handler(Exception)
    def unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
        logger.error("API error on %s %s", request.method, request.path, exc_info=exc)
        return _respond(
            api, request, SERVER_ERROR, error("server_error", _("Something went wrong on our side. Try again later."))
        )
