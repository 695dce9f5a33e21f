"""The benchmark's own database: a fresh SQLite file or a fresh PostgreSQL database.

Never the database the developer works in: SQLite files live in var/bench/, and on
PostgreSQL (when ``DATABASE_URL`` points to a server) the benchmark uses the database
``<name>_bench_<scale>`` on the same server, dropped and created anew unless reused.
Django must not be set up before `choose()` has exported ``DATABASE_URL``.
"""

from __future__ import annotations

import os
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var" / "bench"


@dataclass
class BenchDatabase:
    url: str
    vendor: str  # "sqlite" | "postgresql"
    label: str  # file path or database name, for the report

    @property
    def is_postgres(self) -> bool:
        return self.vendor == "postgresql"


def choose(*, scale: str, engine: str = "auto", name: str | None = None) -> BenchDatabase:
    """Pick the benchmark database (nothing is created yet).

    `engine`: ``auto`` (PostgreSQL when DATABASE_URL is a postgres:// URL, else SQLite),
    ``sqlite`` or ``postgres``. `name`: the SQLite file / PostgreSQL database name.
    """
    env_url = os.environ.get("DATABASE_URL", "")
    pg = env_url.startswith(("postgres://", "postgresql://"))
    if engine == "postgres" and not pg:
        raise SystemExit("Для PostgreSQL задайте DATABASE_URL=postgres://user@host:port/db")
    if engine == "postgres" or (engine == "auto" and pg):
        parsed = urllib.parse.urlparse(env_url)
        db = name or f"{parsed.path.lstrip('/') or 'detsad'}_bench_{scale}"
        return BenchDatabase(parsed._replace(path=f"/{db}").geturl(), "postgresql", db)
    path = Path(name) if name and "/" in name else VAR / f"{name or f'bench-{scale}'}.sqlite3"
    return BenchDatabase(f"sqlite:///{path.resolve()}", "sqlite", str(path))


def _admin_url(db: BenchDatabase) -> str:
    return urllib.parse.urlparse(db.url)._replace(path="/postgres").geturl()


def _pg_name(db: BenchDatabase) -> str:
    return urllib.parse.urlparse(db.url).path.lstrip("/")


def exists_with_data(db: BenchDatabase) -> bool:
    """True when the database exists and holds a built district (a municipality)."""
    if db.is_postgres:
        import psycopg

        try:
            with psycopg.connect(db.url, connect_timeout=5) as conn:
                row = conn.execute("SELECT to_regclass('core_municipality') IS NOT NULL").fetchone()
                if not row[0]:
                    return False
                return conn.execute("SELECT EXISTS (SELECT 1 FROM core_municipality)").fetchone()[0]
        except psycopg.OperationalError:
            return False
    import sqlite3

    path = Path(db.label)
    if not path.exists():
        return False
    with sqlite3.connect(path) as conn:
        try:
            return bool(
                conn.execute("SELECT EXISTS (SELECT 1 FROM core_municipality)").fetchone()[0]
            )
        except sqlite3.OperationalError:
            return False


def recreate(db: BenchDatabase) -> None:
    """Drop the benchmark database (if any) and create it empty."""
    if db.is_postgres:
        import psycopg

        name = _pg_name(db)
        with psycopg.connect(_admin_url(db), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
        return
    path = Path(db.label)
    path.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def drop(db: BenchDatabase) -> None:
    """Remove the benchmark database (after a throw-away run such as the CI check)."""
    if db.is_postgres:
        import psycopg

        with psycopg.connect(_admin_url(db), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{_pg_name(db)}" WITH (FORCE)')
        return
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{db.label}{suffix}").unlink(missing_ok=True)


def export(db: BenchDatabase) -> None:
    """Point this process (and the processes it starts) at the benchmark database."""
    os.environ["DATABASE_URL"] = db.url
    # The settings a server runs with (not the test settings pytest may have exported).
    os.environ["DJANGO_SETTINGS_MODULE"] = os.environ.get("BENCH_SETTINGS", "detsad.settings")
    os.environ["DEBUG"] = "false"  # no SQL log, no debug pages: as on a server
    os.environ.setdefault("SECRET_KEY", "detsad-bench-not-secret")


def build(db: BenchDatabase, *, scale: str, reuse: bool, log=print) -> float | None:
    """Migrate and load the demo district at `scale` (in this process; Django set up by
    the caller after `export`). Returns the build time in seconds, or None when an
    existing database was reused."""
    from django.core.management import call_command

    if reuse and exists_with_data(db):
        log(f"База {db.label} уже заполнена: используется как есть.")
        call_command("migrate", "--noinput", verbosity=0)
        return None
    recreate(db)
    from django.db import connections

    connections.close_all()
    log(f"Создаю базу {db.label} ({db.vendor}) и данные масштаба {scale}…")
    call_command("migrate", "--noinput", verbosity=0)
    started = time.monotonic()
    call_command("demo_district", scale=scale, quiet=True)
    elapsed = time.monotonic() - started
    log(f"Данные построены за {elapsed:.1f} с.")
    return elapsed
