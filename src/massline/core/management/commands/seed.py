"""``massline seed``: create the demo city and what each app adds to it. Idempotent.

``massline seed --appeals N`` instead adds N generated appeals (``massline.appeals.scale``: two years of a
working hotline, written with COPY on PostgreSQL) for load tests and benchmarks, seeding the city, its staff
and the policy first when they are missing. Generated appeals have no audit records: never on a database that
serves people."""

import os
import sys
import time
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
        parser.add_argument(
            "--appeals",
            type=int,
            metavar="N",
            help="Add N generated appeals for load tests (no audit records; not for a database that serves people). "
            "Seeds only the city, staff and policy first, unless --only names seeders.",
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
        if options["appeals"] is not None:
            if options["appeals"] < 1:
                self.stderr.write("--appeals must be at least 1")
                raise SystemExit(2)
            if not only:
                only = {"org.city", "accounts.staff", "appeals.policy"}
        for item in seeders:
            if only and item.name not in only:
                continue
            with transaction.atomic():
                item.function(context)
        ran = [item.name for item in seeders if not only or item.name in only]
        self.stdout.write(self.style.SUCCESS(f"seeded: {', '.join(ran)}"))
        for role, username, description in context.logins:
            self.stdout.write(f"  {role:<14} {username:<14} {description}")
        if options["appeals"] is not None:
            self._generate(options["appeals"])

    def _generate(self, count: int) -> None:
        from massline.appeals.scale import generate_appeals
        from massline.core import clock

        last = [time.monotonic()]

        def progress(done: int, total: int) -> None:
            if time.monotonic() - last[0] >= 30 or done == total:
                last[0] = time.monotonic()
                sys.stderr.write(f"  generated {done:,} / {total:,}\n")

        result = generate_appeals(count=count, now=clock.now(), progress=progress)
        states = ", ".join(f"{state} {n:,}" for state, n in sorted(result.counts.items(), key=lambda item: -item[1]))
        self.stdout.write(
            self.style.SUCCESS(
                f"generated {result.appeals:,} appeals in {result.seconds:.0f} s "
                f"({result.events:,} events, {result.assignments:,} assignments, {result.contacts:,} contacts)"
            )
        )
        self.stdout.write(f"  {states}")
