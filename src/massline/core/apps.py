from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _create_cache_tables(using: str = "default", **kwargs: Any) -> None:
    """Database caches (the rate-limit counters without Redis) need their table: every `migrate` makes sure
    it exists, so no deployment step can be forgotten. Existing tables are left alone."""
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=0)


class CoreConfig(AppConfig):
    name = "massline.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from . import checks  # noqa: F401

        post_migrate.connect(_create_cache_tables, sender=self, dispatch_uid="massline.core.cache_tables")
