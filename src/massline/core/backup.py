"""Backups and the restore drill (docs/deploy.md, decision 0012).

A backup is one directory, ``massline-<UTC time>/``, holding the database (``database.pgdump``, pg_dump's custom
format, or ``database.sqlite3``, SQLite's online backup), one tar archive per file tree (uploaded files,
trained routers, open-data exports) and ``manifest.json``: what was backed up, the audit chain head and the
latest migration of every app as the database copy holds them, and the SHA-256 of every part. It is written as
``<name>.partial/`` and renamed when complete, so a backup that stopped half way never looks like one.

The database is copied first and the files after it: attachments are only ever added, so every file the copy
refers to is in the archive (which may hold a few newer ones as well).

The drill restores a backup into a FRESH database and a fresh directory, then runs ``massline backup check``
against them in a separate process, exactly as a restored deployment would start: unapplied migrations, the
audit chain (``audit verify``), the chain head against the manifest, and every attachment's file and hash.
Whatever it created is removed afterwards unless it is asked to keep it, which is how a real restore is done."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tarfile
import time
import urllib.parse
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, transaction

from . import clock

MANIFEST = "manifest.json"
FORMAT = 1
PG_DUMP_FILE = "database.pgdump"
SQLITE_FILE = "database.sqlite3"
PREFIX = "massline-"


class BackupError(Exception):
    """A backup or a drill could not be done; the message says what to do about it."""


def file_trees() -> dict[str, Path]:
    """The directories a backup archives, by name: uploaded files (attachments, required for a working restore),
    trained routers (their versions are rows in the database) and the open-data exports already published."""
    return {
        "media": Path(settings.MEDIA_ROOT),
        "models": Path(settings.MASSLINE_MODEL_DIR),
        "open-data": Path(settings.MASSLINE_OPEN_DATA_DIR),
    }


# The settings (environment variables) that point a process at each tree, for the drill's check process.
TREE_ENVIRONMENT = {"media": "MEDIA_ROOT", "models": "MASSLINE_MODEL_DIR", "open-data": "MASSLINE_OPEN_DATA_DIR"}


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()


# ---------------------------------------------------------------------------------------------------- backups


@dataclass(frozen=True)
class BackupResult:
    path: Path
    manifest: dict[str, Any]
    seconds: float
    removed: list[Path] = field(default_factory=list)


_STATE_QUERIES = {
    "audit_head": "SELECT seq, hash FROM audit_chainhead WHERE id = 1",
    "audit_records": "SELECT count(*) FROM audit_auditrecord",
    "attachments": "SELECT count(*) FROM appeals_attachment",
    "migrations": "SELECT app, max(name) FROM django_migrations GROUP BY app ORDER BY app",
}


def _state(execute: Callable[[str], list[tuple[Any, ...]]]) -> dict[str, Any]:
    """What the database copy holds, read from the copy itself (SQLite) or from the dump's own snapshot."""
    head = execute(_STATE_QUERIES["audit_head"])
    return {
        "audit_head": {"seq": int(head[0][0]), "hash": str(head[0][1])} if head else None,
        "audit_records": int(execute(_STATE_QUERIES["audit_records"])[0][0]),
        "attachments": int(execute(_STATE_QUERIES["attachments"])[0][0]),
        "migrations": {str(app): str(name) for app, name in execute(_STATE_QUERIES["migrations"])},
    }


def _pg_environment(config: dict[str, Any]) -> dict[str, str]:
    """libpq's variables for a database of Django's form, so the password never appears on a command line."""
    env = dict(os.environ)
    for variable, key in (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER"), ("PGPASSWORD", "PASSWORD")):
        if config.get(key):
            env[variable] = str(config[key])
    env["PGDATABASE"] = str(config["NAME"])
    return env


def _run(argv: list[str], *, env: dict[str, str] | None = None) -> None:
    try:
        result = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)
    except FileNotFoundError:
        raise BackupError(f"{argv[0]} is not installed (Debian: apt-get install postgresql-client)") from None
    if result.returncode != 0:
        raise BackupError(f"{' '.join(argv[:2])} … failed ({result.returncode}): {result.stderr.strip()[-2000:]}")


def _dump_postgresql(target: Path) -> dict[str, Any]:
    """pg_dump in custom format, inside a snapshot exported from this connection: the manifest's figures
    (chain head, migrations) are read in that same snapshot, so they describe exactly what was dumped."""
    config = connection.settings_dict
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]  # type: ignore[index]

        def execute(sql: str) -> list[tuple[Any, ...]]:
            cursor.execute(sql)
            return list(cursor.fetchall())

        state = _state(execute)
        _run(
            ["pg_dump", "--format=custom", f"--snapshot={snapshot}", f"--file={target}", "--no-password"],
            env=_pg_environment(config),
        )
    return state


def _dump_sqlite(target: Path) -> dict[str, Any]:
    """SQLite's online backup API: a consistent copy while the web and the worker go on writing."""
    connection.ensure_connection()
    source = connection.connection
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)  # type: ignore[union-attr]
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
        state = _state(lambda sql: list(copy.execute(sql).fetchall()))
    finally:
        copy.close()
    return state


def _archive(tree: Path, target: Path) -> int:
    """The tree as an uncompressed tar (photos and PDFs are compressed already); returns the number of files.
    A missing tree is an empty archive: nothing was ever written there."""
    count = 0
    with tarfile.open(target, "w") as archive:
        if tree.is_dir():
            for path in sorted(tree.rglob("*")):
                if path.is_file() and not path.is_symlink():
                    archive.add(path, arcname=str(path.relative_to(tree)), recursive=False)
                    count += 1
    return count


def backup_create(*, destination: Path, keep_last: int | None = None) -> BackupResult:
    """Back up the configured database and the file trees into a new directory under ``destination``.

    The directory is readable by its owner only (it holds citizens' personal data). With ``keep_last``, older
    complete backups beyond the newest ``keep_last`` are removed afterwards, never before the new one is
    complete."""
    started = time.monotonic()
    vendor = connection.vendor
    if vendor not in ("postgresql", "sqlite"):
        raise BackupError(f"backups support PostgreSQL and SQLite, not {vendor}")
    moment = clock.now()
    name = PREFIX + moment.strftime("%Y%m%dT%H%M%SZ")
    destination.mkdir(parents=True, exist_ok=True)
    final = destination / name
    partial = destination / f"{name}.partial"
    if final.exists() or partial.exists():
        raise BackupError(f"{final} already exists; wait a second and run again")
    partial.mkdir(mode=0o700)
    old_umask = os.umask(0o077)
    try:
        database_file = PG_DUMP_FILE if vendor == "postgresql" else SQLITE_FILE
        state = (_dump_postgresql if vendor == "postgresql" else _dump_sqlite)(partial / database_file)
        parts: dict[str, dict[str, Any]] = {"database": {"file": database_file}}
        trees: dict[str, Any] = {}
        for tree_name, tree in file_trees().items():
            archive = f"{tree_name}.tar"
            trees[tree_name] = {"file": archive, "files": _archive(tree, partial / archive)}
            parts[tree_name] = {"file": archive}
        for part in parts.values():
            path = partial / part["file"]
            part["bytes"] = path.stat().st_size
            part["sha256"] = sha256_of(path)
        manifest = {
            "format": FORMAT,
            "created_at": moment.isoformat(),
            "engine": vendor,
            "database_name": str(connection.settings_dict["NAME"]),
            "parts": parts,
            "trees": trees,
            **state,
        }
        (partial / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        partial.rename(final)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    finally:
        os.umask(old_umask)
    removed = _prune(destination, keep_last) if keep_last else []
    return BackupResult(final, manifest, time.monotonic() - started, removed)


def complete_backups(destination: Path) -> list[Path]:
    """The complete backups in ``destination``, oldest first (their names sort by time)."""
    return sorted(
        path
        for path in destination.glob(f"{PREFIX}*")
        if path.is_dir() and not path.name.endswith(".partial") and (path / MANIFEST).is_file()
    )


def _prune(destination: Path, keep_last: int) -> list[Path]:
    complete = complete_backups(destination)
    doomed = complete[:-keep_last] if keep_last > 0 else []
    for path in doomed:
        shutil.rmtree(path)
    return doomed


# ------------------------------------------------------------------------------------------------ the drill


@dataclass
class DrillResult:
    ok: bool
    lines: list[str]
    database_url: str
    workdir: Path
    kept: bool
    seconds: float


def read_manifest(backup: Path) -> dict[str, Any]:
    path = backup / MANIFEST
    if not path.is_file():
        raise BackupError(f"{backup} is not a complete backup: {MANIFEST} is missing")
    manifest: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{backup}: backup format {manifest.get('format')!r} is not {FORMAT}")
    return manifest


def damaged_parts(backup: Path, manifest: dict[str, Any]) -> list[str]:
    """The parts whose size or SHA-256 differ from the manifest: changed or damaged since the backup."""
    damaged = []
    for name, part in sorted(manifest["parts"].items()):
        path = backup / part["file"]
        if not path.is_file():
            damaged.append(f"{name} ({part['file']} is missing)")
        elif path.stat().st_size != part["bytes"] or sha256_of(path) != part["sha256"]:
            damaged.append(f"{name} ({part['file']} does not match its checksum)")
    return damaged


def _scratch_name(base: str, moment_text: str) -> str:
    return f"{base[:30]}_drill_{moment_text}_{os.getpid()}"


def scratch_database_url(*, engine: str, workdir: Path, into: str | None) -> str:
    """Where the drill restores: ``into`` when given; otherwise a new database beside the configured one
    (PostgreSQL, same server and role) or a file in the drill's directory (SQLite)."""
    if into:
        return into
    if engine == "sqlite":
        return f"sqlite:///{workdir / SQLITE_FILE}"
    if connection.vendor != "postgresql":
        raise BackupError("this backup is of a PostgreSQL database: name the database to restore into with --into")
    config = connection.settings_dict
    name = _scratch_name(str(config["NAME"]), clock.now().strftime("%Y%m%d%H%M%S"))
    user = urllib.parse.quote(str(config.get("USER") or ""), safe="")
    password = f":{urllib.parse.quote(str(config['PASSWORD']), safe='')}" if config.get("PASSWORD") else ""
    host = config.get("HOST") or "localhost"
    port = config.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{name}"


def _pg_config(url: str) -> dict[str, Any]:
    import dj_database_url

    config = dict(dj_database_url.parse(url))
    if config["ENGINE"] != "django.db.backends.postgresql":
        raise BackupError(f"{url.split('@')[-1]} is not a PostgreSQL database, but the backup is of one")
    return config


@contextmanager
def _pg_admin(config: dict[str, Any]) -> Iterator[Any]:
    """A connection to the server's maintenance database, to create and drop the scratch database."""
    import psycopg

    params = {
        "host": config.get("HOST") or None,
        "port": config.get("PORT") or None,
        "user": config.get("USER") or None,
        "password": config.get("PASSWORD") or None,
        "dbname": "postgres",
    }
    conninfo = psycopg.conninfo.make_conninfo(**{k: str(v) for k, v in params.items() if v is not None})
    with psycopg.connect(conninfo, autocommit=True) as admin:
        yield admin


def _create_fresh_database(engine: str, url: str) -> None:
    if engine == "sqlite":
        if not url.startswith("sqlite:///"):
            raise BackupError("this backup is of a SQLite database: --into must be a sqlite:/// URL")
        path = Path(url.removeprefix("sqlite:///"))
        if path.exists():
            raise BackupError(f"{path} exists: the drill restores into a fresh database only")
        path.parent.mkdir(parents=True, exist_ok=True)
        return
    from psycopg import errors, sql

    config = _pg_config(url)
    with _pg_admin(config) as admin:
        try:
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(config["NAME"])))
        except errors.DuplicateDatabase:
            raise BackupError(
                f"database {config['NAME']} exists: the drill restores into a fresh database only"
            ) from None
        except errors.InsufficientPrivilege:
            raise BackupError(
                f"the role {config.get('USER')} may not create databases: grant it CREATEDB or give --into "
                "a server where it may"
            ) from None


def _drop_database(engine: str, url: str) -> None:
    if engine == "sqlite":
        return  # the file lives in the drill's directory, removed with it
    from psycopg import sql

    config = _pg_config(url)
    with _pg_admin(config) as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(config["NAME"])))


def _restore_database(engine: str, backup: Path, manifest: dict[str, Any], url: str) -> None:
    source = backup / manifest["parts"]["database"]["file"]
    if engine == "sqlite":
        shutil.copyfile(source, Path(url.removeprefix("sqlite:///")))
        return
    config = _pg_config(url)
    _run(
        [
            "pg_restore",
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--no-password",
            f"--dbname={config['NAME']}",
            str(source),
        ],
        env=_pg_environment(config),
    )


def _extract(archive: Path, target: Path) -> None:
    target.mkdir(parents=True, exist_ok=True)
    with tarfile.open(archive) as tar:
        tar.extractall(target, filter="data")  # refuses absolute paths, links out of the tree and devices


def backup_drill(
    *,
    backup: Path,
    workdir: Path,
    into: str | None = None,
    keep: bool = False,
    migrate: bool = False,
) -> DrillResult:
    """Restore ``backup`` into a fresh database and ``workdir``, then check the restored deployment in a new
    process: migrations applied, the audit chain intact and ending where the manifest says, every attachment
    present with its hash. Raises ``BackupError`` when the backup cannot even be restored; otherwise returns
    the verdict and the check's report. Removes what it created unless ``keep``."""
    started = time.monotonic()
    manifest = read_manifest(backup)
    damaged = damaged_parts(backup, manifest)
    if damaged:
        raise BackupError("backup changed or damaged since it was made: " + "; ".join(damaged))
    engine = manifest["engine"]
    if workdir.exists() and any(workdir.iterdir()):
        raise BackupError(f"{workdir} is not empty: the drill restores into a fresh directory only")
    url = scratch_database_url(engine=engine, workdir=workdir, into=into)
    workdir.mkdir(parents=True, exist_ok=True, mode=0o700)
    created = False
    try:
        _create_fresh_database(engine, url)
        created = True
        _restore_database(engine, backup, manifest, url)
        env = {**os.environ, "DATABASE_URL": url}
        for tree_name, tree in manifest["trees"].items():
            _extract(backup / tree["file"], workdir / tree_name)
            env[TREE_ENVIRONMENT[tree_name]] = str(workdir / tree_name)
        head = manifest.get("audit_head") or {"seq": 0, "hash": "0" * 64}
        argv = [
            sys.executable,
            "-m",
            "massline.cli",
            "backup",
            "check",
            "--expect-head",
            f"{head['seq']}:{head['hash']}",
        ]
        if migrate:
            argv.append("--migrate")
        check = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)
        lines = [line for line in (check.stdout + check.stderr).splitlines() if line.strip()]
        ok = check.returncode == 0
    finally:
        if not keep:
            if created:
                _drop_database(engine, url)
            shutil.rmtree(workdir, ignore_errors=True)
    return DrillResult(ok, lines, url, workdir, keep, time.monotonic() - started)


# ------------------------------------------------------------------------------- checking a restored system


@dataclass(frozen=True)
class CheckLine:
    ok: bool
    what: str
    detail: str


def missing_attachment_files() -> tuple[int, list[str]]:
    """Every attachment's stored file must exist with the SHA-256 recorded when it was stored."""
    from massline.appeals.models import Attachment

    storage_root = Path(settings.MEDIA_ROOT)
    checked = 0
    problems = []
    for name, digest in Attachment.objects.order_by("pk").values_list("file", "sha256").iterator():
        path = storage_root / name
        checked += 1
        if not path.is_file():
            problems.append(f"{name}: missing")
        elif sha256_of(path) != digest:
            problems.append(f"{name}: content does not match its hash")
    return checked, problems


def missing_router_versions() -> list[str]:
    from massline.intelligence.models import RouterVersion

    root = Path(settings.MASSLINE_MODEL_DIR)
    return [
        f"router v{version}: {directory} missing"
        for version, directory in RouterVersion.objects.order_by("version").values_list("version", "directory")
        if not (root / directory).is_dir()
    ]
