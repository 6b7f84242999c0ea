"""System checks that tell an administrator what the deployment is missing."""

from typing import Any

from django.core import checks
from django.db import DatabaseError


@checks.register(checks.Tags.compatibility, deploy=True)
def holiday_data_check(app_configs: Any, **kwargs: Any) -> list[checks.CheckMessage]:
    """Shown by ``check --deploy``, on the system status page and by ``massline demo`` (not on every command,
    where it would bury the command's own output)."""
    from massline.org.calendar import missing_holiday_years

    from . import clock

    try:
        missing = missing_holiday_years(clock.today())
    except DatabaseError:  # not migrated yet: nothing to say about its calendar
        return []
    return [
        checks.Warning(
            f"No statutory holiday schedule for {year}: working days that year count weekends only until the "
            "State Council schedule is entered as calendar overrides or chinese-calendar is upgraded.",
            id="massline.W001",
        )
        for year in missing
    ]
