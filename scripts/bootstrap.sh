#!/usr/bin/env bash
# Creates .venv with a Python >= 3.12 and installs the locked dependencies (uv.lock).
set -euo pipefail
cd "$(dirname "$0")/.."
pick() {
  for c in "${PYTHON:-}" python3.13 python3.12 python3 python; do
    [ -n "$c" ] || continue
    command -v "$c" >/dev/null 2>&1 || continue
    if "$c" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null; then
      command -v "$c"; return 0
    fi
  done
  if command -v pyenv >/dev/null 2>&1; then
    v=$(pyenv versions --bare 2>/dev/null | grep -E '^3\.1[2-9](\.|$)' | sort -V | tail -n1)
    if [ -n "$v" ]; then echo "$(pyenv root)/versions/$v/bin/python"; return 0; fi
  fi
  return 1
}
if [ ! -x .venv/bin/python ] || ! .venv/bin/python -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)'; then
  py=$(pick) || { echo "Нужен Python 3.12 или новее / Python >= 3.12 is required (apt install python3.12, or pyenv install 3.12)" >&2; exit 1; }
  echo "Создаю .venv на $py"
  rm -rf .venv
  "$py" -m venv .venv
fi
[ -x .venv/bin/uv ] || .venv/bin/python -m pip install -q --disable-pip-version-check "uv==0.13.9"
UV_PROJECT_ENVIRONMENT=.venv .venv/bin/uv sync --locked --inexact --quiet
