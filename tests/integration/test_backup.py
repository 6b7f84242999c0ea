"""Backups and the restore drill, for real: ``massline backup create`` copies the database the suite runs on
(SQLite through the online backup API, PostgreSQL through pg_dump) and the uploaded files; ``massline backup
drill`` restores that copy into a fresh database, checks it in a new process and removes it again. A ledger
changed behind the application's back, a missing upload and a backup changed after it was made all fail the
drill loudly."""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import sqlite3
import subprocess
import sys
import tarfile
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from PIL import Image

from massline.appeals.attachments import attachments_check
from massline.appeals.models import Attachment
from massline.appeals.services import appeal_submit
from massline.audit.models import AuditRecord

from .test_worker import database_url

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "massline.settings.production",
    "SECRET_KEY": "backup-drill-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
    "ALLOWED_HOSTS": "hotline.example.org",
}


def png() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (6, 6), (20, 120, 200)).save(out, format="PNG")
    return SimpleUploadedFile("photo.png", out.getvalue(), content_type="image/png")


@pytest.fixture
def deployment(tmp_path: Path, settings: Any, small_city: Any) -> dict[str, str]:
    """A small city with one appeal carrying a photo and a PDF, its files in this test's own directories; the
    environment a production process needs to reach the same database and files."""
    trees = {"MEDIA_ROOT": tmp_path / "media", "MASSLINE_MODEL_DIR": tmp_path / "models"}
    trees["MASSLINE_OPEN_DATA_DIR"] = tmp_path / "open-data"
    settings.MEDIA_ROOT = str(trees["MEDIA_ROOT"])
    appeal_submit(
        actor=None,
        kind="complaint",
        channel="web",
        title="和平路有个大坑",
        description="和平路与东风路口有一个很深的坑。",
        area=small_city.community_a,
        attachments=attachments_check(
            [png(), SimpleUploadedFile("letter.pdf", b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n")]
        ),
        route_after_commit=False,
    )
    assert Attachment.objects.count() == 2
    return {
        **{k: v for k, v in os.environ.items() if k != "DATABASE_URL"},
        **PRODUCTION,
        "DATABASE_URL": database_url(),
        **{name: str(path) for name, path in trees.items()},
    }


def massline(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "massline.cli", *args], env=env, capture_output=True, text=True, timeout=300, check=False
    )


def backup_create(env: dict[str, str], dest: Path) -> Path:
    result = massline(env, "backup", "create", "--dest", str(dest))
    assert result.returncode == 0, result.stdout + result.stderr
    return Path(result.stdout.strip().splitlines()[-1])


def drill(env: dict[str, str], backup: Path, workdir: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return massline(env, "backup", "drill", str(backup), "--workdir", str(workdir), *extra)


def scratch_database(output: str) -> str:
    """The name of the database the drill restored into, from its report."""
    match = re.search(r"removed the scratch database (\S+) and ", output)
    assert match, output
    return match.group(1)


def database_exists(name: str) -> bool:
    if connection.vendor == "sqlite":
        return Path(name).exists()
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        return cursor.fetchone() is not None


def tamper_ledger(seq: int) -> None:
    """Change one audit record behind the application's back, as someone with database access would."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditrecord DISABLE TRIGGER audit_ledger_append_only")
        cursor.execute("UPDATE audit_auditrecord SET reason = 'nothing happened' WHERE seq = %s", [seq])
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditrecord ENABLE TRIGGER audit_ledger_append_only")


def test_a_backup_restores_into_a_fresh_database_and_passes_the_drill(deployment, tmp_path) -> None:  # type: ignore[no-untyped-def]
    backup = backup_create(deployment, tmp_path / "backups")
    manifest = json.loads((backup / "manifest.json").read_text())
    records = AuditRecord.objects.count()
    assert manifest["engine"] == connection.vendor
    assert manifest["audit_head"]["seq"] == records > 0
    assert manifest["attachments"] == 2
    with tarfile.open(backup / "media.tar") as media:
        stored = {Path(name).name for name in media.getnames()}
    assert stored == {f"{a.sha256}{a.extension}" for a in Attachment.objects.all()}
    assert oct(backup.stat().st_mode & 0o777) == "0o700"  # citizens' personal data: the owner's only

    workdir = tmp_path / "drill"
    result = drill(deployment, backup, workdir)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert f"ok     audit ledger: intact, {records} records verified" in output
    assert f"ok     audit head: seq {records} as in the manifest" in output
    assert "ok     attachments: 2 files present, every hash matches" in output
    assert "ok     migrations: all applied" in output
    assert "restore drill passed" in output
    assert not workdir.exists()
    assert not database_exists(scratch_database(output))


def test_a_kept_drill_is_a_restore_with_the_citizens_files(deployment, tmp_path) -> None:  # type: ignore[no-untyped-def]
    backup = backup_create(deployment, tmp_path / "backups")
    workdir = tmp_path / "restored"
    result = drill(deployment, backup, workdir, "--keep")
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    url = re.search(r"DATABASE_URL=(\S+)", output).group(1)  # type: ignore[union-attr]
    try:
        for attachment in Attachment.objects.all():
            restored = workdir / "media" / attachment.file.name
            assert hashlib.sha256(restored.read_bytes()).hexdigest() == attachment.sha256
        read_back = "from massline.appeals.models import Appeal; print(Appeal.objects.get().title)"
        check = massline({**deployment, "DATABASE_URL": url}, "shell", "-c", read_back)
        assert check.stdout.strip().splitlines()[-1] == "和平路有个大坑", check.stderr
    finally:
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[-1]}" WITH (FORCE)')


def test_the_drill_fails_loudly_on_a_broken_audit_chain_and_a_missing_upload(deployment, tmp_path) -> None:  # type: ignore[no-untyped-def]
    tamper_ledger(seq=3)
    lost = Attachment.objects.order_by("pk").first()
    (Path(deployment["MEDIA_ROOT"]) / lost.file.name).unlink()
    backup = backup_create(deployment, tmp_path / "backups")

    workdir = tmp_path / "drill"
    result = drill(deployment, backup, workdir)
    assert result.returncode == 1
    assert "FAILED audit ledger: AUDIT CHAIN BROKEN at record seq=3" in result.stderr
    assert "2 records before it are intact" in result.stderr
    assert f"FAILED attachments: 1 of 2 files wrong: {lost.file.name}: missing" in result.stderr
    assert "RESTORE DRILL FAILED" in result.stderr
    assert not workdir.exists()  # a failed drill cleans up as well
    assert not database_exists(scratch_database(result.stdout))


def test_the_drill_refuses_a_backup_changed_after_it_was_made(deployment, tmp_path) -> None:  # type: ignore[no-untyped-def]
    backup = backup_create(deployment, tmp_path / "backups")
    database = next(path for path in backup.iterdir() if path.name.startswith("database."))
    content = bytearray(database.read_bytes())
    content[len(content) // 2] ^= 0xFF
    database.write_bytes(bytes(content))

    workdir = tmp_path / "drill"
    result = drill(deployment, backup, workdir)
    assert result.returncode == 1
    assert f"backup changed or damaged since it was made: database ({database.name} does not match its checksum)" in (
        result.stderr
    )
    assert not workdir.exists()


def rewrite_backup_database(database: Path, statement: str) -> None:
    """Change the database inside a backup, as someone who can write to the backups would: SQLite's copy in
    place; pg_dump's through a scratch database restored from it and dumped again."""
    if connection.vendor == "sqlite":
        copy = sqlite3.connect(database)
        with copy:
            copy.execute(statement)
        copy.close()
        return
    config = connection.settings_dict
    scratch = f"{config['NAME']}_rewrite_{os.getpid()}"
    env = {**os.environ, "PGHOST": config["HOST"] or "127.0.0.1", "PGPORT": str(config["PORT"] or 5432)}
    env |= {"PGUSER": config["USER"], "PGPASSWORD": config["PASSWORD"] or ""}
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{scratch}"')
    try:
        subprocess.run(["pg_restore", "--no-owner", "-d", scratch, str(database)], env=env, check=True)
        tamper = f"ALTER TABLE audit_auditrecord DISABLE TRIGGER audit_ledger_append_only; {statement}"
        subprocess.run(["psql", "-q", "-v", "ON_ERROR_STOP=1", "-d", scratch, "-c", tamper], env=env, check=True)
        subprocess.run(["pg_dump", "--format=custom", f"--file={database}", scratch], env=env, check=True)
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')


def test_a_backup_rewritten_with_its_manifest_still_fails_on_the_chain(deployment, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Someone who can write to the backups rewrites a record and the manifest's checksum to match: the
    checksum no longer helps, the chain still does."""
    backup = backup_create(deployment, tmp_path / "backups")
    database = next(path for path in backup.iterdir() if path.name.startswith("database."))
    rewrite_backup_database(database, "UPDATE audit_auditrecord SET reason = 'nothing happened' WHERE seq = 2")
    manifest = json.loads((backup / "manifest.json").read_text())
    manifest["parts"]["database"].update(
        bytes=database.stat().st_size, sha256=hashlib.sha256(database.read_bytes()).hexdigest()
    )
    (backup / "manifest.json").write_text(json.dumps(manifest))

    result = drill(deployment, backup, tmp_path / "drill")
    assert result.returncode == 1
    assert "AUDIT CHAIN BROKEN at record seq=2" in result.stderr
    assert "RESTORE DRILL FAILED" in result.stderr
