"""``massline backup create|drill|check``: back up the database and the uploaded files, prove a backup restores,
check a restored deployment (docs/deploy.md, decision 0012)."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path
from typing import Any

import dj_database_url
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from massline.core import backup


def default_destination() -> str:
    return os.environ.get("MASSLINE_BACKUP_DIR") or str(Path(settings.VAR_DIR) / "backups")


def without_password(url: str) -> str:
    """The URL as it may be printed (and so kept in the journal): any password replaced by ``***``."""
    return re.sub(r"^([a-z0-9+]+://[^:/@]*):[^@]*@", r"\1:***@", url)


class Command(BaseCommand):
    help = "Back up the database and files (create), restore a backup into a fresh database and check it (drill)."
    leave_locale_alone = True  # the ledger's messages in the deployment's language (LANGUAGE_CODE)

    def add_arguments(self, parser: CommandParser) -> None:
        subcommands = parser.add_subparsers(dest="subcommand", required=True)
        create = subcommands.add_parser("create", help="Write a new backup directory; prints its path last.")
        create.add_argument(
            "--dest", default=None, help="Where backups are kept (MASSLINE_BACKUP_DIR, or var/backups)."
        )
        create.add_argument("--keep-last", type=int, default=None, help="Then remove all but the newest N backups.")

        drill = subcommands.add_parser(
            "drill", help="Restore a backup into a fresh database and directory, check it, remove it again."
        )
        drill.add_argument("backup", nargs="?", help="A backup directory (massline-YYYYMMDDTHHMMSSZ).")
        drill.add_argument("--latest", action="store_true", help="Drill the newest complete backup in --dest.")
        drill.add_argument("--dest", default=None, help="Where backups are kept, for --latest (as for create).")
        drill.add_argument(
            "--into",
            default=None,
            help="The database URL to restore into; it must not exist yet. Default: a new database beside the "
            "configured one (PostgreSQL) or a file in --workdir (SQLite).",
        )
        drill.add_argument("--workdir", default=None, help="A new or empty directory for the restored files.")
        drill.add_argument("--keep", action="store_true", help="Keep the restored database and files (a restore).")
        drill.add_argument("--migrate", action="store_true", help="Apply migrations newer than the backup first.")

        check = subcommands.add_parser(
            "check", help="Check this deployment: migrations applied, audit chain intact, every attachment present."
        )
        check.add_argument("--expect-head", default=None, help="SEQ:HASH the audit chain must end at.")
        check.add_argument("--migrate", action="store_true", help="Apply unapplied migrations first.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, f"_{options['subcommand']}")(options)
        except backup.BackupError as error:
            self.stderr.write(self.style.ERROR(f"backup {options['subcommand']} FAILED: {error}"))
            sys.exit(1)

    def _create(self, options: dict[str, Any]) -> None:
        result = backup.backup_create(
            destination=Path(options["dest"] or default_destination()), keep_last=options["keep_last"]
        )
        manifest = result.manifest
        size = sum(part["bytes"] for part in manifest["parts"].values())
        head = manifest["audit_head"] or {"seq": 0}
        files = ", ".join(f"{name} {tree['files']}" for name, tree in manifest["trees"].items())
        self.stdout.write(
            f"backed up {manifest['engine']} database {manifest['database_name']} "
            f"(audit ledger to seq {head['seq']}, {manifest['attachments']} attachments) and files ({files}): "
            f"{size / 1e6:.1f} MB in {result.seconds:.1f} s"
        )
        for path in result.removed:
            self.stdout.write(f"removed old backup {path}")
        self.stdout.write(str(result.path))

    def _drill(self, options: dict[str, Any]) -> None:
        if bool(options["backup"]) == bool(options["latest"]):
            raise backup.BackupError("name one backup directory, or --latest")
        if options["latest"]:
            complete = backup.complete_backups(Path(options["dest"] or default_destination()))
            if not complete:
                raise backup.BackupError(f"no complete backup in {options['dest'] or default_destination()}")
            source = complete[-1].resolve()
        else:
            source = Path(options["backup"]).resolve()
        stamp = source.name.removeprefix(backup.PREFIX)
        workdir = Path(options["workdir"] or Path(settings.VAR_DIR) / f"drill-{stamp}-{os.getpid()}").resolve()
        result = backup.backup_drill(
            backup=source, workdir=workdir, into=options["into"], keep=options["keep"], migrate=options["migrate"]
        )
        for line in result.lines:
            (self.stdout if line.startswith("ok") else self.stderr).write(f"  {line}")
        name = dj_database_url.parse(result.database_url)["NAME"]
        if result.kept:
            self.stdout.write(
                f"kept: DATABASE_URL={without_password(result.database_url)} MEDIA_ROOT={result.workdir / 'media'} "
                f"MASSLINE_MODEL_DIR={result.workdir / 'models'} MASSLINE_OPEN_DATA_DIR={result.workdir / 'open-data'}"
            )
        else:
            self.stdout.write(f"removed the scratch database {name} and {result.workdir}")
        if not result.ok:
            self.stderr.write(self.style.ERROR(f"RESTORE DRILL FAILED for {source.name}: see the FAILED lines above"))
            sys.exit(1)
        self.stdout.write(self.style.SUCCESS(f"restore drill passed for {source.name} in {result.seconds:.1f} s"))

    def _check(self, options: dict[str, Any]) -> None:
        if options["migrate"]:
            call_command("migrate", interactive=False, verbosity=0)
        lines = [self._migrations(), *self._ledger(options["expect_head"]), self._attachments(), self._routers()]
        for line in lines:
            label = "ok    " if line.ok else "FAILED"
            out = self.stdout if line.ok else self.stderr
            out.write(f"{label} {line.what}: {line.detail}")
        if not all(line.ok for line in lines):
            sys.exit(1)

    def _migrations(self) -> backup.CheckLine:
        executor = MigrationExecutor(connection)
        unapplied = [f"{m.app_label}.{m.name}" for m, _ in executor.migration_plan(executor.loader.graph.leaf_nodes())]
        unknown = sorted(
            f"{app}.{name}"
            for app, name in executor.loader.applied_migrations
            if (app, name) not in executor.loader.graph.nodes
        )
        if unknown:
            return backup.CheckLine(
                False,
                "migrations",
                f"applied but unknown to this code (a newer release's backup): {', '.join(unknown[:5])}",
            )
        if unapplied:
            return backup.CheckLine(
                False, "migrations", f"{len(unapplied)} not applied (run with --migrate): {', '.join(unapplied[:5])}"
            )
        return backup.CheckLine(True, "migrations", "all applied")

    def _ledger(self, expect_head: str | None) -> list[backup.CheckLine]:
        from massline.audit.models import ChainHead
        from massline.audit.verify import chain_verify

        report = chain_verify()
        if not report.ok:
            where = f"record seq={report.broken_seq}" if report.broken_seq else "the chain head"
            return [
                backup.CheckLine(
                    False,
                    "audit ledger",
                    f"AUDIT CHAIN BROKEN at {where}: {report.problem}; {report.checked} records before it are intact",
                )
            ]
        lines = [backup.CheckLine(True, "audit ledger", f"intact, {report.checked} records verified")]
        if expect_head:
            seq, _, digest = expect_head.partition(":")
            head = ChainHead.objects.filter(pk=1).values_list("seq", "hash").first() or (0, "0" * 64)
            same = (head[0], head[1]) == (int(seq), digest)
            lines.append(
                backup.CheckLine(
                    same,
                    "audit head",
                    f"seq {head[0]} as in the manifest"
                    if same
                    else f"seq {head[0]} {head[1][:12]}…, but the manifest says seq {seq} {digest[:12]}…",
                )
            )
        return lines

    def _attachments(self) -> backup.CheckLine:
        checked, problems = backup.missing_attachment_files()
        if problems:
            return backup.CheckLine(
                False, "attachments", f"{len(problems)} of {checked} files wrong: {'; '.join(problems[:5])}"
            )
        return backup.CheckLine(True, "attachments", f"{checked} files present, every hash matches")

    def _routers(self) -> backup.CheckLine:
        missing = backup.missing_router_versions()
        if missing:
            return backup.CheckLine(False, "router models", "; ".join(missing[:5]))
        return backup.CheckLine(True, "router models", "every version's files present")
