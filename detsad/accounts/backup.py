"""Backups: the database and the uploaded files in one timestamped archive, and back.

An archive ``detsad-YYYYMMDD-HHMMSS.tar.gz`` holds:

- ``manifest.json`` — format, time, database engine, Django version, applied migrations,
  number of media files;
- ``database.sqlite3`` (SQLite online backup API: a consistent copy while the site runs)
  or ``database.dump`` (``pg_dump --format=custom`` on PostgreSQL);
- ``media/`` — a copy of MEDIA_ROOT (uploaded files).

`restore_archive` loads it into a database (SQLite backup API in the other direction;
``pg_restore --clean --if-exists --single-transaction`` on PostgreSQL) and puts the media
files back. Used by ``manage.py backup`` and ``manage.py restore``.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

import django
from django.conf import settings
from django.db import connections
from django.utils import timezone

FORMAT = 1


class BackupError(Exception):
    """A backup or restore could not be done (the message says why, in Russian)."""


def _engine(settings_dict: dict) -> str:
    engine = settings_dict["ENGINE"]
    if engine.endswith("sqlite3"):
        return "sqlite"
    if "postgresql" in engine:
        return "postgresql"
    raise BackupError(f"Резервное копирование не поддерживает базу {engine}.")


def _pg_env(settings_dict: dict) -> tuple[list[str], dict]:
    """Connection arguments and environment for pg_dump / pg_restore."""
    args = []
    if settings_dict.get("HOST"):
        args += ["--host", str(settings_dict["HOST"])]
    if settings_dict.get("PORT"):
        args += ["--port", str(settings_dict["PORT"])]
    if settings_dict.get("USER"):
        args += ["--username", str(settings_dict["USER"])]
    env = {**os.environ}
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings_dict["PASSWORD"])
    return args, env


def _run(cmd: list[str], env: dict) -> None:
    result = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(f"{cmd[0]} завершился с ошибкой: {result.stderr.strip()[:2000]}")


def dump_database(alias: str, dest: Path) -> Path:
    """Write a consistent copy of database `alias` into the folder `dest`; returns the file."""
    connection = connections[alias]
    settings_dict = connection.settings_dict
    if _engine(settings_dict) == "sqlite":
        connection.ensure_connection()
        target = dest / "database.sqlite3"
        out = sqlite3.connect(target)
        try:
            connection.connection.backup(out)
        finally:
            out.close()
        return target
    target = dest / "database.dump"
    args, env = _pg_env(settings_dict)
    _run(
        [
            "pg_dump",
            *args,
            "--format=custom",
            "--no-owner",
            "--no-privileges",
            "--file",
            str(target),
            settings_dict["NAME"],
        ],
        env,
    )
    return target


def load_database(source: Path, settings_dict: dict, connection=None) -> None:
    """Replace the content of the database described by `settings_dict` with `source`.

    `connection` (a Django connection to that database) is used for SQLite when given, so
    an in-memory database can be restored too.
    """
    if _engine(settings_dict) == "sqlite":
        if source.suffix != ".sqlite3":
            raise BackupError("Архив сделан на PostgreSQL, а база — SQLite.")
        src = sqlite3.connect(source)
        try:
            if connection is not None:
                connection.ensure_connection()
                src.backup(connection.connection)
            else:
                dst = sqlite3.connect(settings_dict["NAME"])
                try:
                    src.backup(dst)
                finally:
                    dst.close()
        finally:
            src.close()
        return
    if source.suffix != ".dump":
        raise BackupError("Архив сделан на SQLite, а база — PostgreSQL.")
    args, env = _pg_env(settings_dict)
    _run(
        [
            "pg_restore",
            *args,
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--dbname",
            settings_dict["NAME"],
            str(source),
        ],
        env,
    )


def _applied_migrations(alias: str) -> dict[str, str]:
    from django.db.migrations.recorder import MigrationRecorder

    latest: dict[str, str] = {}
    for app, name in MigrationRecorder(connections[alias]).migration_qs.values_list("app", "name"):
        latest[app] = max(latest.get(app, ""), name)
    return latest


def create_archive(
    directory: Path | None = None, *, alias: str = "default", media_root: Path | None = None
) -> Path:
    """Write ``detsad-<timestamp>.tar.gz`` into `directory` (settings.BACKUP_DIR)."""
    directory = Path(directory or settings.BACKUP_DIR)
    media_root = Path(media_root or settings.MEDIA_ROOT)
    directory.mkdir(parents=True, exist_ok=True)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    archive = directory / f"detsad-{stamp}.tar.gz"
    n = 2
    while archive.exists():
        archive = directory / f"detsad-{stamp}-{n}.tar.gz"
        n += 1
    with tempfile.TemporaryDirectory() as tmp:
        db_file = dump_database(alias, Path(tmp))
        media_files = (
            sorted(p for p in media_root.rglob("*") if p.is_file()) if media_root.exists() else []
        )
        manifest = {
            "format": FORMAT,
            "created_at": timezone.now().isoformat(timespec="seconds"),
            "engine": _engine(connections[alias].settings_dict),
            "database_file": db_file.name,
            "django": django.get_version(),
            "migrations": _applied_migrations(alias),
            "media_files": len(media_files),
        }
        (Path(tmp) / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2))
        partial = archive.with_suffix(".partial")
        with tarfile.open(partial, "w:gz") as tar:
            tar.add(Path(tmp) / "manifest.json", arcname="manifest.json")
            tar.add(db_file, arcname=db_file.name)
            for path in media_files:
                tar.add(path, arcname=f"media/{path.relative_to(media_root).as_posix()}")
        partial.rename(archive)
    os.chmod(archive, 0o600)
    return archive


def read_manifest(archive: Path) -> dict:
    with tarfile.open(archive, "r:gz") as tar:
        member = tar.extractfile("manifest.json")
        if member is None:
            raise BackupError("В архиве нет manifest.json: это не резервная копия Детсада.")
        return json.loads(member.read())


def restore_archive(
    archive: Path,
    *,
    settings_dict: dict | None = None,
    connection=None,
    media_root: Path | None = None,
) -> dict:
    """Load `archive` into a database (default: the site's) and MEDIA_ROOT.

    The media folder is replaced by the archive's copy. Returns the manifest.
    Raises BackupError for a foreign or damaged archive or a failing pg_restore.
    """
    archive = Path(archive)
    if not archive.exists():
        raise BackupError(f"Файл {archive} не найден.")
    manifest = read_manifest(archive)
    if manifest.get("format") != FORMAT:
        raise BackupError("Неизвестный формат резервной копии.")
    if settings_dict is None:
        connection = connection or connections["default"]
        settings_dict = connection.settings_dict
    media_root = Path(media_root or settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory() as tmp, tarfile.open(archive, "r:gz") as tar:
        tar.extractall(tmp, filter="data")  # refuses absolute paths, "..", links outside
        load_database(Path(tmp) / manifest["database_file"], settings_dict, connection)
        extracted = Path(tmp) / "media"
        if media_root.exists():
            shutil.rmtree(media_root)
        if extracted.exists():
            shutil.copytree(extracted, media_root)
        else:
            media_root.mkdir(parents=True, exist_ok=True)
    return manifest
