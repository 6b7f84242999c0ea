"""The appeal (诉求): one matter raised by one person through one channel, from receipt to closing."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from massline.core.models import BaseModel, _now

from ..choices import AppealKind, Channel, Outcome, Satisfaction, SpecialRoute, Track, Urgency
from ..transitions import Group, State


class Appeal(BaseModel):
    # Unique by the constraints in Meta, not ``unique=True``: on PostgreSQL that would add a second index per
    # column (``varchar_pattern_ops``, for LIKE 'abc%'), which nothing queries and every submission writes.
    tracking_code = models.CharField(_("tracking code"), max_length=20)
    passphrase_hash = models.CharField(_("passphrase"), max_length=128, blank=True)
    # NULL, not "", when there is none: unique, and many appeals come without one.
    idempotency_key = models.CharField(_("idempotency key"), max_length=100, null=True, blank=True)  # noqa: DJ001
    kind = models.CharField(_("type"), max_length=20, choices=AppealKind.choices)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    urgency = models.CharField(_("urgency"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL)
    track = models.CharField(_("track"), max_length=10, choices=Track.choices, default=Track.HOTLINE)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"))
    location_text = models.CharField(_("location"), max_length=300, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    area = models.ForeignKey("org.Area", verbose_name=_("area"), null=True, blank=True, on_delete=models.PROTECT)
    category = models.ForeignKey(
        "org.Category", verbose_name=_("category"), null=True, blank=True, on_delete=models.PROTECT
    )
    anonymous = models.BooleanField(_("anonymous"), default=False)
    contact_confidential = models.BooleanField(_("keep my contact details confidential"), default=False)
    publish_consent = models.BooleanField(
        _("may be shown on the public case wall"),
        default=False,
        help_text=_("Shown only with personal details masked, and only when the citizen agreed."),
    )
    visitor_count = models.PositiveIntegerField(_("people in the visit"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("submitted by"), null=True, blank=True, on_delete=models.SET_NULL
    )

    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.RECEIVED)
    state_group = models.CharField(_("status"), max_length=10, choices=Group.choices, default=Group.OPEN)
    policy = models.ForeignKey("appeals.AppealPolicy", verbose_name=_("policy"), on_delete=models.PROTECT)
    lead_unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("lead unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # ``appeal_unit_state`` starts with it
    )
    received_at = models.DateTimeField(_("received at"), default=_now)
    due_at = models.DateTimeField(_("answer due"), null=True, blank=True)
    warn_at = models.DateTimeField(_("deadline warning from"), null=True, blank=True)
    contacted_at = models.DateTimeField(_("citizen first contacted at"), null=True, blank=True)
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    round = models.PositiveSmallIntegerField(_("handling round"), default=1)
    bounce_count = models.PositiveSmallIntegerField(_("times returned"), default=0)
    extended_days = models.PositiveSmallIntegerField(_("days of extension granted"), default=0)
    warned_at = models.DateTimeField(_("deadline warning sent at"), null=True, blank=True)
    escalation_level = models.PositiveSmallIntegerField(
        _("escalation level"), default=0, help_text=_("0 none, 1 unit leader told, 2 supervisor told")
    )
    escalated_at = models.DateTimeField(_("last escalated at"), null=True, blank=True)
    special_route = models.CharField(_("special route"), max_length=20, choices=SpecialRoute.choices, blank=True)
    special_route_detail = models.CharField(_("special route detail"), max_length=30, blank=True)
    linked_to = models.ForeignKey(
        "self",
        verbose_name=_("same matter as"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="linked_appeals",
    )

    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    reply_text = models.TextField(_("reply"), blank=True)
    satisfaction = models.CharField(_("satisfaction"), max_length=20, choices=Satisfaction.choices, blank=True)
    solved = models.BooleanField(_("solved"), null=True, blank=True)
    rated_at = models.DateTimeField(_("rated at"), null=True, blank=True)

    class Meta:
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")
        ordering = ["-received_at"]
        constraints = [
            models.UniqueConstraint(fields=["tracking_code"], name="appeal_tracking_code_unique"),
            models.UniqueConstraint(fields=["idempotency_key"], name="appeal_idempotency_key_unique"),
        ]
        indexes = [
            models.Index(fields=["state", "received_at"], name="appeal_state_received"),
            models.Index(fields=["lead_unit", "state"], name="appeal_unit_state"),
            # The deadline sweep reads only open appeals with a deadline, in deadline order.
            models.Index(
                fields=["due_at"], name="appeal_open_due", condition=Q(state_group="open", due_at__isnull=False)
            ),
            # Scorecards group a month of appeals by the month they were received.
            models.Index(fields=["received_at"], name="appeal_received"),
            models.Index(
                fields=["warn_at"], name="appeal_open_warn", condition=Q(state_group="open", warned_at__isnull=True)
            ),
            # The "answered, awaiting rating" and "callbacks due" queues read only answered appeals, by reply
            # time; without it either page scans the whole table (docs/performance.md).
            models.Index(
                fields=["replied_at", "id"], name="appeal_resolved_replied", condition=Q(state_group="resolved")
            ),
            # The public case wall: published answers, newest first (without it, a scan and a sort of every
            # published appeal on each page, 160 ms at 100,000 appeals). Its condition holds only terms that
            # the ORM writes without parameters: SQLite cannot match a partial index's `special_route = ''`
            # with the query's `special_route = ?`, and scanned the table instead. The wall's other terms are
            # checked on the rows read in index order, nearly all of which pass them.
            models.Index(
                fields=["replied_at", "id"],
                name="appeal_wall",
                condition=Q(publish_consent=True, replied_at__isnull=False),
            ),
            # Similar open appeals (the operator's console, possible duplicates) of a street or a topic, newest
            # first, within a window.
            models.Index(fields=["area", "received_at"], name="appeal_open_area", condition=Q(state_group="open")),
            models.Index(
                fields=["category", "received_at"], name="appeal_open_category", condition=Q(state_group="open")
            ),
        ]

    def __str__(self) -> str:
        return f"{self.tracking_code} {self.title}"


class AppealContact(models.Model):
    """Who raised the appeal. Kept apart from the appeal so that no query for the case brings the person with
    it: only the selectors in ``selectors.contact`` read it, and never for the unit complained about."""

    appeal = models.OneToOneField(Appeal, on_delete=models.CASCADE, related_name="contact", primary_key=True)
    name = models.CharField(_("name"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("appeal contact")
        verbose_name_plural = _("appeal contacts")
        # The hotline console finds a caller's earlier appeals by phone number.
        indexes = [models.Index(fields=["phone"], name="appeal_contact_phone")]

    def __str__(self) -> str:
        return f"contact of {self.appeal_id}"
