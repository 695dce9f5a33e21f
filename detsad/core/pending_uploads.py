"""Uploaded files that wait between a preview and its confirmation.

An import page previews an uploaded file and writes it only when the user confirms. The
file must not ride in the session (sessions live in the database and are not meant for
megabytes of personal data), so it is kept here as a temporary file with a random name,
and the session keeps only the token:

- ``pending_save(content, meta)`` → token: writes ``<token>.bin`` (the bytes) and
  ``<token>.json`` (small metadata: who uploaded it, the organization, the file's name, the
  options) into ``settings.UPLOAD_TMP_DIR`` (default ``var/tmp/uploads``; not under
  MEDIA, so never served); files are readable by the server user only;
- ``pending_load(token)`` → (bytes, meta) or None (unknown, malformed or expired token);
- ``pending_discard(token)``: after the commit or a cancel;
- ``pending_cleanup()``: removes files older than ``PENDING_MAX_AGE`` (a day); every save
  runs it, so a preview that was never confirmed does not stay longer than that.

The token is 32 URL-safe characters from ``secrets``; anything else is refused before it
touches the file system, so a token cannot name a path.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import secrets
import time
from pathlib import Path

from django.conf import settings

PENDING_MAX_AGE = dt.timedelta(days=1)
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{32}$")


def pending_dir() -> Path:
    """The directory of waiting uploads (created on first use, mode 0700)."""
    default = Path(settings.VAR_DIR) / "tmp" / "uploads"
    path = Path(getattr(settings, "UPLOAD_TMP_DIR", default))
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def _paths(token: str) -> tuple[Path, Path] | None:
    if not isinstance(token, str) or not _TOKEN.match(token):
        return None
    base = pending_dir()
    return base / f"{token}.bin", base / f"{token}.json"


def _write(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(data)


def pending_save(content: bytes, meta: dict) -> str:
    """Keep `content` with JSON-serialisable `meta`; return the token (32 characters)."""
    pending_cleanup()
    token = secrets.token_urlsafe(24)
    data_path, meta_path = _paths(token)
    _write(data_path, content)
    _write(meta_path, json.dumps(meta, ensure_ascii=False).encode())
    return token


def pending_load(token: str) -> tuple[bytes, dict] | None:
    """The bytes and metadata saved under `token`, or None when there are none (unknown,
    malformed, discarded or older than a day)."""
    paths = _paths(token)
    if paths is None:
        return None
    data_path, meta_path = paths
    try:
        if time.time() - data_path.stat().st_mtime > PENDING_MAX_AGE.total_seconds():
            pending_discard(token)
            return None
        return data_path.read_bytes(), json.loads(meta_path.read_text())
    except (OSError, ValueError):
        return None


def pending_discard(token: str) -> None:
    """Remove the files of `token` (nothing happens when there are none)."""
    paths = _paths(token)
    for path in paths or ():
        path.unlink(missing_ok=True)


def pending_cleanup(max_age: dt.timedelta = PENDING_MAX_AGE) -> int:
    """Remove waiting files older than `max_age`; returns how many files were removed."""
    limit = time.time() - max_age.total_seconds()
    removed = 0
    for path in pending_dir().iterdir():
        try:
            if path.is_file() and path.stat().st_mtime < limit:
                path.unlink()
                removed += 1
        except OSError:
            continue
    return removed
