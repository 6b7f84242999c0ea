"""``massline residents import COMMITTEE FILE.csv [--as USERNAME]``: put residents on a village's or community's
register from a CSV file (columns ``name,id_number,household,adult,representative,phone``; the last three
optional). Every row goes through ``resident_register``: identity numbers are kept only as keyed digests, and
a bad row is reported with its line number while the good ones are kept."""

from __future__ import annotations

import csv
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from massline.core.errors import DomainError

TRUE = {"1", "yes", "y", "true", "是"}


class Command(BaseCommand):
    help = "Import residents onto a village's or community's register from CSV."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["import"])
        parser.add_argument("committee", help="Code of the village or residents' committee (org Unit.code).")
        parser.add_argument("file", help="CSV file, UTF-8, with a header row.")
        parser.add_argument("--as", dest="username", default="", help="Record the import as this staff member.")

    def handle(self, *args: Any, **options: Any) -> None:
        from massline.accounts.models import User
        from massline.org.models import Unit

        from ...services import resident_register

        committee = Unit.objects.filter(code=options["committee"]).first()
        if committee is None:
            raise CommandError(f"no unit has the code {options['committee']!r}")
        actor = None
        if options["username"]:
            actor = User.objects.filter(username=options["username"]).first()
            if actor is None:
                raise CommandError(f"no user is called {options['username']!r}")
        else:
            actor = User.objects.filter(is_superuser=True).order_by("id").first()
            if actor is None:
                raise CommandError("give --as USERNAME: no administrator account exists to record the import")
        added, refused = 0, 0
        try:
            with open(options["file"], encoding="utf-8-sig", newline="") as handle:
                reader = csv.DictReader(handle)
                missing = {"name", "id_number", "household"} - set(reader.fieldnames or [])
                if missing:
                    raise CommandError(f"{options['file']}: missing column(s) {', '.join(sorted(missing))}")
                for row in reader:
                    try:
                        resident_register(
                            actor=actor,
                            committee=committee,
                            name=row.get("name") or "",
                            id_number=row.get("id_number") or "",
                            household=row.get("household") or "",
                            is_adult=(row.get("adult") or "1").strip().lower() in TRUE,
                            is_representative=(row.get("representative") or "").strip().lower() in TRUE,
                            phone=row.get("phone") or "",
                        )
                    except DomainError as error:
                        refused += 1
                        self.stderr.write(f"line {reader.line_num}: {error.message}")
                    else:
                        added += 1
        except (OSError, UnicodeDecodeError, csv.Error) as error:
            raise CommandError(f"{options['file']}: {error}") from error
        self.stdout.write(f"{added} residents registered, {refused} refused")
        if refused:
            raise SystemExit(2)
