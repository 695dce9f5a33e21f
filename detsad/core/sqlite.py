"""Unicode-aware LIKE for SQLite.

SQLite's built-in LIKE folds case for ASCII letters only, so ``icontains``/``iexact``
searches miss Cyrillic («иванов» does not find «Иванов»). On every new SQLite connection we
replace LIKE with a Python implementation that folds case for all of Unicode (the same
semantics PostgreSQL gives through UPPER(...) LIKE UPPER(...)). Searches are small
(names, account numbers), so the cost is negligible.
"""

from __future__ import annotations

import re
from functools import lru_cache


@lru_cache(maxsize=512)
def _compile(pattern: str, escape: str | None) -> re.Pattern:
    out, i = [], 0
    while i < len(pattern):
        ch = pattern[i]
        if escape and ch == escape and i + 1 < len(pattern):
            out.append(re.escape(pattern[i + 1]))
            i += 2
            continue
        out.append(".*" if ch == "%" else "." if ch == "_" else re.escape(ch))
        i += 1
    return re.compile("".join(out), re.IGNORECASE | re.DOTALL)


def unicode_like(pattern, value, escape=None):
    """SQL ``value LIKE pattern [ESCAPE escape]`` with Unicode case folding."""
    if pattern is None or value is None:
        return None
    return _compile(str(pattern), escape).fullmatch(str(value)) is not None


def install(sender, connection, **kwargs) -> None:
    """connection_created handler: register the function on SQLite connections."""
    if connection.vendor != "sqlite":
        return
    raw = connection.connection
    raw.create_function("like", 2, unicode_like, deterministic=True)
    raw.create_function("like", 3, unicode_like, deterministic=True)
