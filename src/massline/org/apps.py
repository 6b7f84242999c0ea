from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "massline.org"
    label = "org"
    verbose_name = _("Organisation")

    def ready(self) -> None:
        from .calendar import OVERRIDES
        from .models import CalendarOverride

        OVERRIDES.invalidated_by(CalendarOverride)
