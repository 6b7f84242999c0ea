"""Django model permissions derived from roles, so role assignments are the one place access is granted.

- Every administrator may manage the organisation in the admin; what they see and change is limited to their
  scope by the admin classes (``org.admin.ScopedEditMixin``) and the selectors behind them.
- Only platform administrators (no unit, no area) manage accounts, roles, two-factor devices and lockouts:
  a district administrator who could edit accounts could take over any other account.
- Only inspectors and platform administrators may view the audit ledger in the admin. Nobody may change it."""

from typing import Any

from .permissions import is_platform_admin
from .roles import Role

ORG_APPS = frozenset({"org"})
PLATFORM_APPS = frozenset(
    {"accounts", "appeals", "consultations", "notifications", "django_otp", "otp_totp", "axes", "core"}
)


def may_read_ledger(user: Any) -> bool:
    return bool(user.has_role(Role.INSPECTOR) or is_platform_admin(user))


class RolePermissionBackend:
    def authenticate(self, request: Any, **credentials: Any) -> None:
        return None

    def get_user(self, user_id: Any) -> None:
        return None

    def has_perm(self, user: Any, perm: str, obj: Any = None) -> bool:
        app_label, _, codename = perm.partition(".")
        if app_label == "audit":
            return codename.startswith("view_") and self.has_module_perms(user, app_label)
        return self.has_module_perms(user, app_label)

    def has_module_perms(self, user: Any, app_label: str) -> bool:
        if not user.is_active or not user.is_authenticated:
            return False
        if app_label == "audit":
            return may_read_ledger(user)
        if app_label in ORG_APPS:
            return user.has_role(Role.ADMINISTRATOR)
        if app_label in PLATFORM_APPS:
            return is_platform_admin(user)
        return False
