"""``massline webhook add NAME URL [--step S …]`` subscribes a partner's address to public steps of appeals and
prints the signing secret as the last line (shown only this once); ``webhook list``; ``webhook deliveries
[--failed]`` shows the delivery log; ``webhook replay ID`` sends a delivery again; ``webhook remove ID`` stops a
subscription."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from massline.core.errors import ValidationFailed

from ...models import DeliveryState, WebhookDelivery, WebhookSubscription
from ...webhooks import PUBLIC_ACTIONS, webhook_replay, webhook_subscribe, webhook_unsubscribe


class Command(BaseCommand):
    help = "Webhook subscriptions for partners: add, list, remove; the delivery log and replay."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        add = actions.add_parser("add", help="subscribe an address; the signing secret is the last line")
        add.add_argument("name")
        add.add_argument("url")
        add.add_argument(
            "--step", action="append", choices=[str(a) for a in PUBLIC_ACTIONS], help="repeat; default all"
        )
        actions.add_parser("list")
        deliveries = actions.add_parser("deliveries", help="the newest 50 deliveries")
        deliveries.add_argument("--failed", action="store_true", help="only those given up")
        replay = actions.add_parser("replay", help="send a delivery again")
        replay.add_argument("delivery_id", type=int)
        remove = actions.add_parser("remove", help="stop a subscription (its log stays)")
        remove.add_argument("subscription_id", type=int)

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        try:
            if action == "add":
                subscription, secret = webhook_subscribe(
                    actor=None, name=options["name"], url=options["url"], actions=options["step"] or ()
                )
                steps = ", ".join(subscription.actions) or "every public step"
                self.stdout.write(f"subscribed #{subscription.pk} {subscription.url} to {steps}. Signing secret:")
                self.stdout.write(secret)
            elif action == "list":
                for subscription in WebhookSubscription.objects.order_by("pk"):
                    state = "active" if subscription.is_active else "stopped"
                    steps = ", ".join(subscription.actions) or "all"
                    self.stdout.write(
                        f"#{subscription.pk}  {state:7}  {subscription.name}  {subscription.url}  [{steps}]"
                    )
            elif action == "deliveries":
                rows = WebhookDelivery.objects.select_related("subscription").order_by("-id")
                if options["failed"]:
                    rows = rows.filter(state=DeliveryState.FAILED)
                for row in rows[:50]:
                    self.stdout.write(
                        f"{row.pk}  {row.state:9}  {row.event_type:16}  #{row.subscription_id}  attempts {row.attempts}  "
                        f"status {row.last_status or '-'}  {row.last_error}"
                    )
            elif action == "replay":
                found = WebhookDelivery.objects.filter(pk=options["delivery_id"]).first()
                if found is None:
                    raise CommandError(f"no delivery {options['delivery_id']}")
                replayed = webhook_replay(actor=None, delivery=found)
                self.stdout.write(f"delivery {replayed.pk}: {replayed.state}")
            else:
                stopping = WebhookSubscription.objects.filter(pk=options["subscription_id"]).first()
                if stopping is None:
                    raise CommandError(f"no subscription {options['subscription_id']}")
                webhook_unsubscribe(actor=None, subscription=stopping)
                self.stdout.write(f"stopped #{stopping.pk}")
        except ValidationFailed as error:
            raise CommandError(str(error.message)) from error
