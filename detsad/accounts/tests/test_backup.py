"""Backup → restore into an empty database is lossless: every table, every row, and the
uploaded files (SQLite always; PostgreSQL when the tests run on it)."""

import os
import sqlite3
import tarfile
import uuid

import pytest
from django.core.management import call_command
from django.db import connection

from detsad.accounts.backup import BackupError, create_archive, read_manifest, restore_archive


def _media(tmp_path):
    media = tmp_path / "media"
    (media / "orders").mkdir(parents=True)
    (media / "orders" / "приказ-1.pdf").write_bytes(b"%PDF-1.4 test order")
    (media / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\nfake")
    return media


def _sqlite_rows(conn, table):
    cols = [r[1] for r in conn.execute(f'PRAGMA table_info("{table}")')]
    return sorted(
        tuple(repr(v) for v in row)
        for row in conn.execute(
            f'SELECT {", ".join(chr(34) + c + chr(34) for c in cols)} FROM "{table}"'
        )
    )


# Transactional: SQLite's online backup cannot read an in-memory database while the test's
# own transaction holds it (on a real server the command runs in autocommit).
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "sqlite",
    reason="SQLite online-backup path; CI's PostgreSQL pass runs the pg_dump round trip",
)
def test_sqlite_backup_restores_into_an_empty_database(world, tmp_path, settings):
    media = _media(tmp_path)
    settings.MEDIA_ROOT = media
    archive = create_archive(tmp_path / "backups")
    assert archive.name.startswith("detsad-") and archive.name.endswith(".tar.gz")
    assert oct(os.stat(archive).st_mode)[-3:] == "600"
    manifest = read_manifest(archive)
    assert manifest["engine"] == "sqlite" and manifest["media_files"] == 2
    assert manifest["migrations"]["accounts"].startswith("0003")

    target = tmp_path / "restored.sqlite3"
    restored_media = tmp_path / "restored-media"
    restore_archive(
        archive,
        settings_dict={"ENGINE": "django.db.backends.sqlite3", "NAME": str(target)},
        media_root=restored_media,
    )
    name = connection.settings_dict["NAME"]
    src = sqlite3.connect(name, uri=str(name).startswith("file:"))  # plain, no converters
    dst = sqlite3.connect(target)
    tables = connection.introspection.table_names()
    assert len(tables) > 30
    for table in tables:
        assert _sqlite_rows(src, table) == _sqlite_rows(dst, table), table
    assert (restored_media / "orders" / "приказ-1.pdf").read_bytes() == b"%PDF-1.4 test order"
    assert (restored_media / "photo.png").exists()


def test_restore_refuses_a_foreign_archive(tmp_path):
    bogus = tmp_path / "x.tar.gz"
    with tarfile.open(bogus, "w:gz") as tar:
        note = tmp_path / "note.txt"
        note.write_text("hello")
        tar.add(note, arcname="note.txt")
    with pytest.raises((BackupError, KeyError)):
        restore_archive(
            bogus,
            settings_dict={"ENGINE": "django.db.backends.sqlite3", "NAME": str(tmp_path / "t.db")},
        )


@pytest.mark.django_db(transaction=True)
def test_backup_command_prints_the_archive(world, tmp_path, settings, capsys):
    settings.MEDIA_ROOT = tmp_path / "empty-media"
    call_command("backup", "--dir", str(tmp_path))
    path = capsys.readouterr().out.strip()
    assert path.endswith(".tar.gz") and os.path.exists(path)


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="pg_dump path; CI's SQLite pass runs the online-backup round trip",
)
def test_postgresql_backup_restores_into_an_empty_database(world, tmp_path, settings):
    """pg_dump sees committed rows: the world built at session start (the test's own
    transaction is invisible to it), so both sides are read through fresh connections."""
    import psycopg

    settings.MEDIA_ROOT = _media(tmp_path)
    archive = create_archive(tmp_path / "backups")
    assert read_manifest(archive)["engine"] == "postgresql"
    src = dict(connection.settings_dict)
    name = f"restore_{uuid.uuid4().hex[:8]}"

    def connect(db):
        return psycopg.connect(
            dbname=db,
            user=src.get("USER") or None,
            password=src.get("PASSWORD") or None,
            host=src.get("HOST") or None,
            port=src.get("PORT") or None,
            autocommit=True,
        )

    with connect(src["NAME"]) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        restore_archive(archive, settings_dict={**src, "NAME": name}, media_root=tmp_path / "m2")
        with connect(src["NAME"]) as a, connect(name) as b:
            tables = [
                r[0]
                for r in a.execute(
                    "SELECT tablename FROM pg_tables WHERE schemaname='public' ORDER BY 1"
                )
            ]
            assert len(tables) > 30
            for table in tables:
                query = f'SELECT * FROM "{table}" ORDER BY 1'
                rows_a = [tuple(map(repr, r)) for r in a.execute(query)]
                rows_b = [tuple(map(repr, r)) for r in b.execute(query)]
                assert sorted(rows_a) == sorted(rows_b), table
    finally:
        with connect(src["NAME"]) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "sqlite",
    reason="restores over the live test database file; on PostgreSQL the round trip test "
    "restores into a separate database instead",
)
def test_restore_command_brings_the_site_back(world, tmp_path, settings):
    from detsad.people.models import Child

    settings.MEDIA_ROOT = _media(tmp_path)
    archive = create_archive(tmp_path / "backups")
    child = world.a.children["c1"]
    Child.objects.filter(pk=child.pk).update(last_name="Испорчено")
    (settings.MEDIA_ROOT / "photo.png").unlink()
    call_command("restore", str(archive), "--yes")
    assert Child.objects.get(pk=child.pk).last_name == "Иванов"
    assert (settings.MEDIA_ROOT / "photo.png").exists()
