"""Django model permissions derived from roles, so role assignments are the one place access is granted.

Administrators may manage the organisation and accounts (what they see is still limited to their scope by
the selectors behind each admin page); inspectors, supervisors and administrators may view the audit ledger.
Nobody gets change or delete on the ledger."""

from typing import Any

from .roles import Role

ADMINISTRATOR_APPS = frozenset({"org", "accounts", "django_otp", "otp_totp", "axes", "core"})
LEDGER_READERS = frozenset({Role.ADMINISTRATOR, Role.INSPECTOR, Role.SUPERVISOR})


class RolePermissionBackend:
    def authenticate(self, request: Any, **credentials: Any) -> None:
        return None

    def get_user(self, user_id: Any) -> None:
        return None

    def has_perm(self, user: Any, perm: str, obj: Any = None) -> bool:
        if not user.is_active or not user.is_authenticated:
            return False
        app_label, _, codename = perm.partition(".")
        if app_label == "audit":
            return codename.startswith("view_") and user.has_role(*LEDGER_READERS)
        return app_label in ADMINISTRATOR_APPS and user.has_role(Role.ADMINISTRATOR)

    def has_module_perms(self, user: Any, app_label: str) -> bool:
        if not user.is_active or not user.is_authenticated:
            return False
        if app_label == "audit":
            return user.has_role(*LEDGER_READERS)
        return app_label in ADMINISTRATOR_APPS and user.has_role(Role.ADMINISTRATOR)
