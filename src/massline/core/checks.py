"""System checks that tell an administrator what the deployment is missing."""

from typing import Any

from django.core import checks


@checks.register(checks.Tags.compatibility, deploy=True)
def holiday_data_check(app_configs: Any, **kwargs: Any) -> list[checks.CheckMessage]:
    from massline.org.calendar import holiday_data_years

    from . import clock

    year = clock.today().year
    messages: list[checks.CheckMessage] = []
    for needed in (year, year + 1):
        if needed not in holiday_data_years():
            messages.append(
                checks.Info(
                    f"No statutory holiday data for {needed}: working days that year count weekends only "
                    "until the State Council schedule is entered as calendar overrides or chinese-calendar "
                    "is upgraded.",
                    id="massline.I001",
                )
            )
    return messages
