"""gunicorn settings for Detsad (``gunicorn -c deploy/gunicorn.conf.py detsad.wsgi``).

Every value can be overridden by an environment variable (the systemd unit reads them
from /etc/detsad/detsad.env) or on the command line (bench/load.py and the smoke test do).
"""

import multiprocessing
import os

# nginx proxies to this address; never expose gunicorn itself.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8001")
# Sync workers with a few threads each: pages wait on PostgreSQL, not on the CPU.
# 2 × cores + 1 is gunicorn's rule of thumb; at least 2 so a slow request never blocks all.
workers = int(os.environ.get("GUNICORN_WORKERS", max(2, multiprocessing.cpu_count() * 2 + 1)))
threads = int(os.environ.get("GUNICORN_THREADS", 2))
worker_class = "gthread"
# Long PDFs and XLSX batches run as background tasks (db_worker); a page gets 60 s at most.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 60))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then (guards against slow leaks in third-party libraries).
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 2000))
max_requests_jitter = 200
# Trust X-Forwarded-* only from nginx on the same host.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
# gunicorn ≥ 27 opens a control socket; keep it in the service's runtime directory.
control_socket = os.environ.get("GUNICORN_CONTROL_SOCKET", "/run/detsad/gunicorn.ctl")
accesslog = os.environ.get("GUNICORN_ACCESSLOG", "-")  # journald through stdout
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "info")
proc_name = "detsad"
