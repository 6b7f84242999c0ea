"""The outbox: one row per message to one recipient on one channel, rendered when it is created, delivered at
least once by the delivery task and never twice (the unique ``key``). Staff read their in-app rows on
``/notifications/``; each staff member chooses whether e-mail comes at once or in a daily digest."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from massline.core.models import _now


class Channel(models.TextChoices):
    EMAIL = "email", _("e-mail")
    SMS = "sms", _("text message")
    INAPP = "inapp", _("in the workspace")


class Audience(models.TextChoices):
    CITIZEN = "citizen", _("the citizen")
    STAFF = "staff", _("staff")


class OutboxState(models.TextChoices):
    PENDING = "pending", _("waiting to be sent")
    SENT = "sent", _("sent")
    FAILED = "failed", _("failed")
    DIGESTED = "digested", _("included in a digest")


class Delivery(models.TextChoices):
    IMMEDIATE = "immediate", _("at once")
    DIGEST = "digest", _("in one daily summary")


class OutboxMessage(models.Model):
    key = models.CharField(
        _("de-duplication key"),
        max_length=120,
        unique=True,
        help_text=_("Event, recipient and channel: the same notification is never created twice."),
    )
    appeal = models.ForeignKey(
        "appeals.Appeal", null=True, blank=True, on_delete=models.CASCADE, related_name="notifications"
    )
    event = models.ForeignKey(
        "appeals.AppealEvent", null=True, blank=True, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=30)
    audience = models.CharField(_("audience"), max_length=10, choices=Audience.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    # Only the one address this channel needs; emptied once the message is sent or has finally failed.
    address = models.CharField(_("address"), max_length=254, blank=True)
    language = models.CharField(_("language"), max_length=10)
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("text"))
    url = models.CharField(_("link"), max_length=300, blank=True)
    urgent = models.BooleanField(_("urgent"), default=False)
    hold_for_digest = models.BooleanField(_("waits for the daily digest"), default=False)
    digest = models.ForeignKey(
        "self",
        verbose_name=_("sent in digest"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="digested_messages",
    )
    state = models.CharField(_("state"), max_length=10, choices=OutboxState.choices, default=OutboxState.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=_now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [
            # The delivery sweep reads only rows waiting to be sent, in due order.
            models.Index(
                fields=["next_attempt_at"],
                name="outbox_pending_due",
                condition=Q(state="pending", hold_for_digest=False),
            ),
            models.Index(
                fields=["user"], name="outbox_waiting_digest", condition=Q(state="pending", hold_for_digest=True)
            ),
            models.Index(fields=["user", "channel", "created_at"], name="outbox_user_inbox"),
            models.Index(fields=["user"], name="outbox_unread", condition=Q(channel="inapp", read_at__isnull=True)),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.audience} ({self.channel}, {self.state})"


class NotificationPreference(models.Model):
    """How a staff member wants notices by e-mail. In-app notices always appear at once."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    routine = models.CharField(
        _("routine notices (new cases, returns, reopenings…)"),
        max_length=10,
        choices=Delivery.choices,
        default=Delivery.DIGEST,
    )
    urgent = models.CharField(
        _("urgent notices (deadline near, overdue, supervision orders)"),
        max_length=10,
        choices=Delivery.choices,
        default=Delivery.IMMEDIATE,
    )

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return f"{self.user_id}: {self.routine}/{self.urgent}"
