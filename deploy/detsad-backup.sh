#!/usr/bin/env bash
# Nightly backup of a Detsad installation (deploy/systemd/detsad-backup.{service,timer}).
#
# Writes into $BACKUP_DIR, named by date and time:
#   detsad-YYYYmmdd-HHMM.dump      PostgreSQL custom-format dump (pg_restore reads it), or
#   detsad-YYYYmmdd-HHMM.sqlite3   an online copy of the SQLite database;
#   media-YYYYmmdd-HHMM.tar.gz     the uploaded files (MEDIA_ROOT), when there are any.
# Keeps $BACKUP_KEEP_DAYS days (30 by default). Restore: docs/deployment.md, «Резервные копии».
# Reads DATABASE_URL, MEDIA_ROOT, BACKUP_DIR, BACKUP_KEEP_DAYS from the environment
# (/etc/detsad/detsad.env). Exits non-zero on any failure, so systemd marks the run failed.
set -euo pipefail

: "${DATABASE_URL:?DATABASE_URL не задан}"
BACKUP_DIR=${BACKUP_DIR:-/var/backups/detsad}
KEEP=${BACKUP_KEEP_DAYS:-30}
APP_DIR=$(cd "$(dirname "$0")/.." && pwd)
PY=${PYTHON:-$APP_DIR/.venv/bin/python}
stamp=$(date +%Y%m%d-%H%M)
mkdir -p "$BACKUP_DIR"
umask 077

case "$DATABASE_URL" in
  postgres://*|postgresql://*)
    out="$BACKUP_DIR/detsad-$stamp.dump"
    # A libpq URI: pg_dump connects with the same role as the application.
    pg_dump --format=custom --compress=6 --no-owner --file="$out.part" "$DATABASE_URL"
    pg_restore --list "$out.part" >/dev/null   # the dump is readable
    mv "$out.part" "$out"
    ;;
  sqlite://*)
    out="$BACKUP_DIR/detsad-$stamp.sqlite3"
    db_path=${DATABASE_URL#sqlite://}
    # Online backup API: consistent even while the site writes.
    "$PY" - "$db_path" "$out.part" <<'PY'
import sqlite3, sys
src = sqlite3.connect(sys.argv[1])
dst = sqlite3.connect(sys.argv[2])
with dst:
    src.backup(dst)
# the copy opens and lists the tables (integrity_check would need Django's SQL functions)
assert dst.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0] > 0
dst.close(); src.close()
PY
    mv "$out.part" "$out"
    ;;
  *)
    echo "Неизвестная база в DATABASE_URL: $DATABASE_URL" >&2
    exit 1
    ;;
esac
echo "База: $out ($(du -h "$out" | cut -f1))"

if [ -n "${MEDIA_ROOT:-}" ] && [ -d "$MEDIA_ROOT" ] && [ -n "$(ls -A "$MEDIA_ROOT")" ]; then
  media="$BACKUP_DIR/media-$stamp.tar.gz"
  tar -czf "$media.part" -C "$MEDIA_ROOT" .
  mv "$media.part" "$media"
  echo "Файлы: $media ($(du -h "$media" | cut -f1))"
fi

find "$BACKUP_DIR" -maxdepth 1 -type f \( -name 'detsad-*' -o -name 'media-*' \) \
  -mtime +"$KEEP" -print -delete
