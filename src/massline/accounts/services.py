"""Account use cases: creating staff, granting roles, two-factor devices. Each is atomic and audited."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from massline.audit.services import audit_record
from massline.core.compiled import CompiledValues
from massline.core.errors import ValidationFailed

from .models import ApiKey, RoleAssignment, User
from .roles import Role

# Every write through a key reads it: compiled once per process (core/compiled.py). Only what callers use.
_ACTIVE_KEY = CompiledValues(
    lambda prefix: (
        ApiKey.objects.filter(prefix=prefix, revoked_at__isnull=True)
        .order_by()
        .values("id", "prefix", "secret_hash", "scopes", "rate_per_minute", "user_id")
    )
)


@transaction.atomic
def user_create(
    *,
    actor: Any,
    username: str,
    password: str | None,
    display_name: str = "",
    email: str = "",
    phone: str = "",
) -> User:
    """Create a person's account (password hashed with Argon2)."""
    if User.objects.filter(username=username).exists():
        raise ValidationFailed(
            _("The username %(username)s is already taken.") % {"username": username},
            code="username_taken",
            field="username",
        )
    user = User(username=username, display_name=display_name, email=email, phone=phone)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    audit_record(
        event="accounts.user.created",
        actor=actor,
        target=user,
        after={"username": username, "display_name": display_name},
    )
    return user


@transaction.atomic
def role_grant(*, actor: Any, user: User, role: str, unit: Any = None, area: Any = None) -> RoleAssignment:
    """Give ``user`` a role scoped to a unit and/or area. Only the administrator role opens the Django admin
    (``is_staff``); every other staff role works through massline's own pages."""
    if role not in Role.values:
        raise ValidationFailed(code="unknown_role", field="role")
    assignment, created = RoleAssignment.objects.get_or_create(user=user, role=role, unit=unit, area=area)
    if created:
        staff_flag_sync(user=user)
        audit_record(
            event="accounts.role.granted",
            actor=actor,
            target=user,
            after={"role": role, "unit": getattr(unit, "code", None), "area": getattr(area, "code", None)},
        )
    user.__dict__.pop("_role_cache", None)
    user.__dict__.pop("_scope_cache", None)
    return assignment


@transaction.atomic
def role_revoke(*, actor: Any, assignment: RoleAssignment, reason: str) -> None:
    user = assignment.user
    before = {"role": assignment.role, "unit_id": assignment.unit_id, "area_id": assignment.area_id}
    assignment.delete()
    staff_flag_sync(user=user)
    audit_record(event="accounts.role.revoked", actor=actor, target=user, before=before, reason=reason)


@transaction.atomic
def totp_device_start(*, user: User) -> TOTPDevice:
    """A new unconfirmed TOTP device for ``user``; earlier unconfirmed ones are discarded."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)


@transaction.atomic
def totp_device_confirm(*, user: User, device: TOTPDevice, token: str) -> bool:
    """Confirm a device by a correct token from the authenticator app. Returns False on a wrong token."""
    if not device.verify_token(token):
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    audit_record(event="accounts.two_factor.enabled", actor=user, target=user, after={"device": device.pk})
    return True


def staff_flag_sync(*, user: User) -> None:
    """Django's ``is_staff`` (admin access) follows the roles: superusers and administrators only."""
    should_be_staff = user.is_superuser or user.role_assignments.filter(role=Role.ADMINISTRATOR).exists()
    if user.is_staff != should_be_staff:
        User.objects.filter(pk=user.pk).update(is_staff=should_be_staff)
        user.is_staff = should_be_staff


API_SCOPES = ("open311:write", "open311:read", "api:write", "api:read")
DEFAULT_API_SCOPES = ("open311:write", "open311:read")


def _secret_hash(secret: str) -> str:
    import hashlib

    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def api_key_create(
    *,
    actor: Any,
    name: str,
    scopes: tuple[str, ...] | list[str] = DEFAULT_API_SCOPES,
    rate_per_minute: int = 600,
    user: User | None = None,
) -> tuple[ApiKey, str]:
    """Make a key for a partner application and return it with the key itself, ``ml_<prefix>_<secret>``, which
    is never stored and cannot be shown again (only the SHA-256 of the secret is kept: the secret is 256 random
    bits, so a slow hash adds nothing)."""
    import secrets

    name = name.strip()
    if not name:
        raise ValidationFailed(_("Give the key a name."), field="name")
    unknown = sorted(set(scopes) - set(API_SCOPES))
    if unknown:
        raise ValidationFailed(
            _("Unknown scope: %(scopes)s. Known: %(known)s.")
            % {"scopes": ", ".join(unknown), "known": ", ".join(API_SCOPES)},
            field="scopes",
        )
    if rate_per_minute < 1:
        raise ValidationFailed(_("The rate must be at least one request a minute."), field="rate_per_minute")
    personal = any(scope.startswith("api:") for scope in scopes)
    if personal and (user is None or not user.is_active or not user.is_official):
        raise ValidationFailed(_("A key for the staff API acts as a member of staff: name one (--user)."), field="user")
    if not personal and user is not None:
        raise ValidationFailed(_("Partner keys act for nobody: leave the user out."), field="user")
    prefix = secrets.token_hex(4)
    secret = secrets.token_urlsafe(32)
    key = ApiKey.objects.create(
        name=name,
        prefix=prefix,
        secret_hash=_secret_hash(secret),
        scopes=sorted(set(scopes)),
        rate_per_minute=rate_per_minute,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        user=user,
    )
    audit_record(
        event="accounts.api_key.create",
        actor=actor,
        target=key,
        after={
            "name": key.name,
            "prefix": prefix,
            "scopes": key.scopes,
            "rate_per_minute": rate_per_minute,
            "user": user.get_username() if user else None,
        },
    )
    return key, f"ml_{prefix}_{secret}"


@transaction.atomic
def api_key_revoke(*, actor: Any, key: ApiKey, reason: str = "") -> ApiKey:
    """Stop a key from working, at once and for good; its usage history stays."""
    from massline.core import clock

    locked = ApiKey.objects.select_for_update().get(pk=key.pk)
    if locked.revoked_at is not None:
        return locked
    locked.revoked_at = clock.now()
    locked.save(update_fields=["revoked_at", "updated_at"])
    audit_record(
        event="accounts.api_key.revoke", actor=actor, target=locked, after={"prefix": locked.prefix}, reason=reason
    )
    return locked


def api_key_check(presented: str, *, scope: str) -> ApiKey | None:
    """The active key ``presented`` is, when it holds ``scope``; None for anything else (unknown, malformed,
    revoked, or without the scope), so callers answer every case alike. The key's ``user`` is read when asked
    for (the native API's keys act as a person; Open311's do not)."""
    import hmac

    parts = presented.split("_", 2) if presented else []
    if len(parts) != 3 or parts[0] != "ml":
        return None
    rows = _ACTIVE_KEY.rows(parts[1])  # the prefix is unique: one row or none
    if not rows or not hmac.compare_digest(rows[0]["secret_hash"], _secret_hash(parts[2])):
        return None
    key = ApiKey.from_db(ApiKey.objects.db, list(rows[0]), list(rows[0].values()))
    return key if scope in key.scopes else None


def api_key_used(*, key: ApiKey) -> None:
    """Count one use of ``key``: one plain UPDATE, no read (decision 0018: it runs for every write through a
    key, and the ORM cost several times what the database does)."""
    from django.db import connection

    from massline.core import clock

    sql = f"UPDATE {ApiKey._meta.db_table} SET uses = uses + 1, last_used_at = %s WHERE id = %s"  # noqa: S608 — our table
    with connection.cursor() as cursor:
        cursor.execute(sql, [connection.ops.adapt_datetimefield_value(clock.now()), key.pk])
