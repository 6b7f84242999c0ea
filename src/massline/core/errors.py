"""Domain errors. Services raise these; views and commands turn them into messages in the user's language."""

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    """A rule refused the request. ``code`` is stable and machine-readable; ``message`` is translated."""

    code = "domain_error"
    default_message = _("The request was refused.")

    def __init__(self, message: object | None = None, *, code: str | None = None, field: str | None = None):
        self.message = message if message is not None else self.default_message
        if code is not None:
            self.code = code
        self.field = field
        super().__init__(str(self.message))


class PermissionDenied(DomainError):
    code = "permission_denied"
    default_message = _("You are not allowed to do that.")


class NotFound(DomainError):
    code = "not_found"
    default_message = _("Not found.")


class ValidationFailed(DomainError):
    code = "invalid"
    default_message = _("The data is not valid.")
