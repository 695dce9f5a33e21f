#!/usr/bin/env bash
# manage.py with the installation's environment (/etc/detsad/detsad.env), e.g.
#   sudo -u detsad /srv/detsad/app/deploy/manage.sh migrate
#   sudo -u detsad /srv/detsad/app/deploy/manage.sh createsuperuser
set -euo pipefail
cd "$(dirname "$0")/.."
set -a
# shellcheck disable=SC1090
. "${DETSAD_ENV:-/etc/detsad/detsad.env}"
set +a
exec .venv/bin/python manage.py "$@"
