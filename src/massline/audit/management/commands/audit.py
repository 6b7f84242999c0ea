"""``massline audit verify``: check the whole ledger; exit 1 naming the first broken record."""

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from massline.audit.verify import chain_verify


class Command(BaseCommand):
    help = "Audit ledger tools."
    leave_locale_alone = True  # messages in the deployment's language (LANGUAGE_CODE)

    def add_arguments(self, parser: CommandParser) -> None:
        subcommands = parser.add_subparsers(dest="subcommand", required=True)
        verify = subcommands.add_parser("verify", help="Verify the hash chain of the whole ledger.")
        verify.add_argument("--batch-size", type=int, default=5000)

    def handle(self, *args: Any, **options: Any) -> None:
        report = chain_verify(batch_size=options["batch_size"])
        if report.ok:
            self.stdout.write(
                self.style.SUCCESS(_("audit ledger intact: %(count)d records verified") % {"count": report.checked})
            )
            return
        where = (
            _("record seq=%(seq)d (id=%(id)d)") % {"seq": report.broken_seq, "id": report.broken_id}
            if report.broken_seq
            else _("chain head")
        )
        self.stderr.write(
            self.style.ERROR(
                _("audit ledger BROKEN at %(where)s: %(problem)s; %(count)d records before it are intact")
                % {"where": where, "problem": report.problem, "count": report.checked}
            )
        )
        sys.exit(1)
