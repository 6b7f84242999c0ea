"""People and the roles they hold, each role scoped to a unit and/or an area."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from massline.core.models import BaseModel

from .roles import STAFF_ROLES, Role


class User(AbstractUser):
    """A person with a login. Citizens need no account to submit or track; those who make one are citizens."""

    display_name = models.CharField(_("display name"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    preferred_language = models.CharField(_("preferred language"), max_length=10, blank=True)

    class Meta(AbstractUser.Meta):
        verbose_name = _("user")  # type: ignore[assignment]
        verbose_name_plural = _("users")  # type: ignore[assignment]

    def __str__(self) -> str:
        return self.display_name or self.get_username()

    def role_set(self) -> frozenset[str]:
        """The roles this person holds (cached on the instance for the request)."""
        cached = getattr(self, "_role_cache", None)
        if cached is None:
            cached = frozenset(self.role_assignments.values_list("role", flat=True))
            self._role_cache = cached
        return cached

    def has_role(self, *roles: str) -> bool:
        return bool(self.role_set() & set(roles))

    @property
    def is_official(self) -> bool:
        """Holds at least one staff role."""
        return bool(self.role_set() & STAFF_ROLES)


class RoleAssignment(BaseModel):
    """A role held by a person, scoped to a unit (and everything under it) and/or an area (and everything
    under it). An administrator with neither is a platform administrator and sees everything."""

    user = models.ForeignKey(User, verbose_name=_("person"), on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="role_assignments",
    )
    area = models.ForeignKey(
        "org.Area",
        verbose_name=_("area"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="role_assignments",
    )

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [models.UniqueConstraint(fields=["user", "role", "unit", "area"], name="accounts_role_unique")]

    def __str__(self) -> str:
        where = self.unit or self.area or _("everywhere")
        return f"{self.user} · {self.get_role_display()} · {where}"


class ApiKey(BaseModel):
    """A key for a partner application (Open311 clients, the native API). Only a hash of its secret is kept; the
    key itself is shown once, when it is made. ``prefix`` finds the row, the hash proves the rest."""

    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=16, unique=True)
    secret_hash = models.CharField(_("secret hash"), max_length=64)
    scopes = models.JSONField(_("scopes"), default=list, blank=True)
    rate_per_minute = models.PositiveIntegerField(_("requests per minute"), default=600)
    uses = models.PositiveBigIntegerField(_("uses"), default=0)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    created_by = models.ForeignKey(
        User, verbose_name=_("created by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # A personal key (scopes api:read / api:write) acts as this person, within their roles and scope; a
    # partner's key (open311:*) acts for nobody.
    user = models.ForeignKey(
        User, verbose_name=_("acts as"), null=True, blank=True, on_delete=models.CASCADE, related_name="api_keys"
    )

    class Meta:
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
