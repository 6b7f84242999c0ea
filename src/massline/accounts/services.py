"""Account use cases: creating staff, granting roles, two-factor devices. Each is atomic and audited."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from massline.audit.services import audit_record
from massline.core.errors import ValidationFailed

from .models import RoleAssignment, User
from .roles import Role


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
