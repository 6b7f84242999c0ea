"""``massline apikey create NAME [--scope S …] [--rate N]`` makes a key for a partner application and prints it as
the last line of its output (it is shown only this once); ``apikey list`` shows the keys with their use;
``apikey revoke PREFIX`` stops one at once."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from massline.core.errors import ValidationFailed

from ...models import ApiKey, User
from ...services import API_SCOPES, DEFAULT_API_SCOPES, api_key_create, api_key_revoke


class Command(BaseCommand):
    help = "Create, list and revoke API keys for partner applications (Open311 clients, the native API)."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create", help="make a key; the key is the last line of the output")
        create.add_argument("name")
        create.add_argument(
            "--scope",
            action="append",
            choices=API_SCOPES,
            help=f"repeat for several (default: {', '.join(DEFAULT_API_SCOPES)})",
        )
        create.add_argument("--rate", type=int, default=600, help="requests per minute (default 600)")
        create.add_argument("--user", help="for the staff API (api:read, api:write): the username the key acts as")
        actions.add_parser("list", help="the keys, their scopes and use")
        revoke = actions.add_parser("revoke", help="stop a key at once")
        revoke.add_argument("prefix")
        revoke.add_argument("--reason", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        try:
            if action == "create":
                user = None
                if options["user"]:
                    user = User.objects.filter(username=options["user"]).first()
                    if user is None:
                        raise CommandError(f"no user {options['user']}")
                key, secret = api_key_create(
                    actor=None,
                    name=options["name"],
                    scopes=options["scope"] or DEFAULT_API_SCOPES,
                    rate_per_minute=options["rate"],
                    user=user,
                )
                self.stdout.write(
                    f"created {key.name}: prefix {key.prefix}, scopes {', '.join(key.scopes)}, "
                    f"{key.rate_per_minute}/min. Keep the key now; it cannot be shown again:"
                )
                self.stdout.write(secret)
            elif action == "list":
                for key in ApiKey.objects.order_by("name"):
                    state = "revoked" if key.revoked_at else "active"
                    used = key.last_used_at.isoformat() if key.last_used_at else "never"
                    self.stdout.write(
                        f"{key.prefix}  {state:7}  {key.name}  [{', '.join(key.scopes)}]  "
                        f"{key.rate_per_minute}/min  uses {key.uses}  last used {used}"
                    )
            else:
                found = ApiKey.objects.filter(prefix=options["prefix"]).first()
                if found is None:
                    raise CommandError(f"no key with prefix {options['prefix']}")
                api_key_revoke(actor=None, key=found, reason=options["reason"])
                self.stdout.write(f"revoked {found.name} ({found.prefix})")
        except ValidationFailed as error:
            raise CommandError(str(error.message)) from error
