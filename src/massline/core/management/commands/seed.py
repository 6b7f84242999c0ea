"""``massline seed``: create the demo city and what each app adds to it. Idempotent."""

import os
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from massline.core.seeding import SeedContext, ordered_seeders


class Command(BaseCommand):
    help = "Seed the demo city (idempotent). Each app registers its seeders in its seed.py."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--only", nargs="*", help="Run only these seeders (and nothing else).")
        parser.add_argument("--list", action="store_true", help="List the seeders in the order they run.")
        parser.add_argument(
            "--password",
            default=os.environ.get("MASSLINE_DEMO_PASSWORD", "massline-demo-2026"),
            help="Password given to the demo staff accounts.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        seeders = ordered_seeders()
        if options["list"]:
            for item in seeders:
                self.stdout.write(item.name)
            return
        context = SeedContext(write=self.stdout.write, demo_password=options["password"])
        only = set(options["only"] or [])
        unknown = only - {item.name for item in seeders}
        if unknown:
            self.stderr.write(f"unknown seeder(s): {', '.join(sorted(unknown))}")
            raise SystemExit(2)
        for item in seeders:
            if only and item.name not in only:
                continue
            with transaction.atomic():
                item.function(context)
        self.stdout.write(self.style.SUCCESS(f"seeded: {', '.join(s.name for s in seeders)}"))
        for role, username, description in context.logins:
            self.stdout.write(f"  {role:<14} {username:<14} {description}")
