"""The base model every domain model extends."""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from . import clock


def _now():  # a callable default, so migrations do not freeze a time
    return clock.now()


class BaseModel(models.Model):
    """Created/updated stamps from the injectable clock."""

    created_at = models.DateTimeField(_("created at"), default=_now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), default=_now, editable=False)

    class Meta:
        abstract = True


class BilingualNameMixin(models.Model):
    """A name kept in Chinese and English; ``label`` picks the one for the active language."""

    name_zh = models.CharField(_("name (Chinese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return bilingual(self.name_zh, self.name_en)


def bilingual(name_zh: str, name_en: str | None) -> str:
    """The name for the active language: the English one when English is active and there is one."""
    if name_en and (get_language() or "zh-hans").lower().startswith("en"):
        return name_en
    return name_zh


class PeriodicRun(models.Model):
    """One row per periodic job per time slot: the guard that makes scheduling idempotent."""

    job = models.CharField(_("job"), max_length=100)
    slot = models.DateTimeField(_("slot"))
    enqueued_at = models.DateTimeField(_("enqueued at"))

    class Meta:
        verbose_name = _("periodic run")
        verbose_name_plural = _("periodic runs")
        constraints = [models.UniqueConstraint(fields=["job", "slot"], name="core_periodicrun_once_per_slot")]

    def __str__(self) -> str:
        return f"{self.job}@{self.slot.isoformat()}"


class Heartbeat(models.Model):
    """The last time a process of a kind (``worker``, ``scheduler``) proved it was alive."""

    name = models.CharField(_("name"), max_length=50, unique=True)
    last_seen = models.DateTimeField(_("last seen"))
    pid = models.IntegerField(_("process id"))
    host = models.CharField(_("host"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("heartbeat")
        verbose_name_plural = _("heartbeats")

    def __str__(self) -> str:
        return f"{self.name}@{self.host}:{self.pid}"
