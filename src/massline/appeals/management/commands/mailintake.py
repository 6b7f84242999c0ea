"""``massline mailintake [--dir PATH]``: read the e-mail intake once (for cron, or to import a folder of
``.eml`` files)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from massline.appeals.mail_intake import mail_intake_configured, mail_intake_run


class Command(BaseCommand):
    help = (
        "Turn e-mail into appeals: the .eml files of --dir (moved to done/ or failed/), or the configured "
        "MASSLINE_MAIL_INTAKE_* mailbox and directory. Reading a message twice never makes a second appeal."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dir", dest="directory", help="a directory of .eml files to read instead")

    def handle(self, *args: Any, **options: Any) -> None:
        directory = options.get("directory")
        if directory is None and not mail_intake_configured():
            raise CommandError("No mailbox configured: set MASSLINE_MAIL_INTAKE_HOST or _DIR, or pass --dir.")
        report = mail_intake_run(directory)
        self.stdout.write(f"created {report.created}, already known {report.duplicates}, failed {report.failed}")
        for failure in report.failures:
            self.stderr.write(f"failed: {failure}")
