"""``massline org import KIND FILE`` and ``massline org export KIND [FILE]``: the organisation as CSV.

KIND is one of areas, units, categories, rules, posts. The import validates the whole file first and, unless
``--partial`` is given, writes nothing when any row has an error; errors go to stderr as
``line N, column C: message`` and the command exits with status 1."""

import io
import sys
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandParser

from massline.org.csv_format import KINDS
from massline.org.selectors.csv_export import org_csv_export
from massline.org.services.csv_import import org_csv_import


class Command(BaseCommand):
    help = "Import or export the organisation (areas, units, categories, rules, posts) as CSV."
    leave_locale_alone = True  # messages in the deployment's language (LANGUAGE_CODE)

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="{import,export}")
        importing = actions.add_parser("import", help="Import a CSV file (all or nothing unless --partial).")
        importing.add_argument("kind", choices=KINDS)
        importing.add_argument("file", help="The CSV file (UTF-8, with or without BOM); - reads stdin.")
        importing.add_argument(
            "--partial", action="store_true", help="Import the valid rows even when other rows have errors."
        )
        importing.add_argument(
            "--dry-run", action="store_true", help="Validate and report what would change; write nothing."
        )
        importing.add_argument("--actor", help="Username recorded as the actor in the audit ledger.")
        exporting = actions.add_parser("export", help="Export as CSV.")
        exporting.add_argument("kind", choices=KINDS)
        exporting.add_argument(
            "file", nargs="?", default="-", help="Where to write (UTF-8 with BOM); - or nothing for stdout."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "import":
            self._import(options)
        else:
            self._export(options)

    def _import(self, options: dict[str, Any]) -> None:
        actor = None
        if options.get("actor"):
            actor = get_user_model()._default_manager.filter(username=options["actor"]).first()
            if actor is None:
                self.stderr.write(f"unknown user: {options['actor']}")
                raise SystemExit(2)
        path = options["file"]
        try:
            data = sys.stdin.buffer.read() if path == "-" else Path(path).read_bytes()
        except OSError as exc:
            self.stderr.write(f"cannot read {path}: {exc.strerror}")
            raise SystemExit(2) from exc
        result = org_csv_import(
            actor=actor,
            kind=options["kind"],
            source=data,
            partial=options["partial"],
            dry_run=options["dry_run"],
        )
        for error in result.errors:
            self.stderr.write(str(error))
        wrote = result.written or result.dry_run
        summary = (
            f"{result.kind}: {result.created} created, {result.updated} updated, {result.unchanged} unchanged, "
            f"{len(result.error_lines)} line(s) with errors"
        )
        if result.dry_run:
            summary = f"dry run, nothing written — would be {summary}"
        elif not wrote:
            summary = f"nothing imported — {summary}"
        self.stdout.write(summary)
        if result.errors:
            raise SystemExit(1)

    def _export(self, options: dict[str, Any]) -> None:
        path = options["file"]
        if path == "-":
            buffer = io.StringIO()
            count = org_csv_export(kind=options["kind"], out=buffer)
            self.stdout.write(buffer.getvalue(), ending="")
        else:
            # The BOM lets Excel open the Chinese names correctly; the import accepts it.
            with open(path, "w", encoding="utf-8-sig", newline="") as handle:
                count = org_csv_export(kind=options["kind"], out=handle)
            self.stdout.write(f"{options['kind']}: {count} row(s) written to {path}")
