"""The roles people hold on the platform."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CITIZEN = "citizen", _("citizen")
    OPERATOR = "operator", _("hotline operator")
    DISPATCHER = "dispatcher", _("dispatcher")
    HANDLER = "handler", _("handler")
    UNIT_LEADER = "unit_leader", _("unit leader")
    SUPERVISOR = "supervisor", _("supervisor")
    MEDIATOR = "mediator", _("mediator")
    INSPECTOR = "inspector", _("discipline inspector")
    ANALYST = "analyst", _("analyst")
    ADMINISTRATOR = "administrator", _("administrator")


STAFF_ROLES = frozenset(role for role in Role if role != Role.CITIZEN)
# Roles whose scope is a unit (they act for it); the others are scoped by area.
UNIT_SCOPED_ROLES = frozenset({Role.HANDLER, Role.UNIT_LEADER, Role.OPERATOR, Role.DISPATCHER})
