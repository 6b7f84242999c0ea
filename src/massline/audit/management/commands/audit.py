"""``massline audit verify``: check the whole ledger; exit 1 naming the first broken record."""

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from massline.audit.verify import chain_verify


class Command(BaseCommand):
    help = "Audit ledger tools."

    def add_arguments(self, parser: CommandParser) -> None:
        subcommands = parser.add_subparsers(dest="subcommand", required=True)
        verify = subcommands.add_parser("verify", help="Verify the hash chain of the whole ledger.")
        verify.add_argument("--batch-size", type=int, default=5000)

    def handle(self, *args: Any, **options: Any) -> None:
        report = chain_verify(batch_size=options["batch_size"])
        if report.ok:
            self.stdout.write(self.style.SUCCESS(f"audit ledger intact: {report.checked} records verified"))
            return
        where = f"record seq={report.broken_seq} (id={report.broken_id})" if report.broken_seq else "chain head"
        self.stderr.write(
            self.style.ERROR(
                f"audit ledger BROKEN at {where}: {report.problem}; {report.checked} records before it are intact"
            )
        )
        sys.exit(1)
