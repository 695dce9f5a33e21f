"""Deployment smoke test: the production settings under gunicorn against PostgreSQL.

A fresh PostgreSQL database is migrated and gets the demo district; static files are
collected (manifest storage); ``check --deploy`` reports no error; gunicorn starts with
deploy/gunicorn.conf.py and two workers on 127.0.0.1. Then, speaking HTTP as nginx would
(``X-Forwarded-Proto: https``), a demo account logs in through the form and opens the home
page and a static file; without the proxy header the app redirects to HTTPS. When nginx
is installed, the same visit goes through deploy/nginx-detsad.conf over HTTPS (a
self-signed certificate, loopback ports), static files served by nginx itself.

Runs in ``make test`` whenever PostgreSQL is reachable: DATABASE_URL when it points to
PostgreSQL, else postgres://postgres@127.0.0.1:5432 (skipped when neither answers, and in
CI's SQLite pass, since its PostgreSQL pass runs it).
"""

from __future__ import annotations

import http.client
import os
import re
import secrets
import shutil
import socket
import ssl
import subprocess
import sys
import time
import urllib.parse
from http.cookies import SimpleCookie
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/postgres"


def _server_url() -> str | None:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        if os.environ.get("CI"):
            return None  # CI's PostgreSQL pass runs it; no need to run it twice
        url = DEFAULT_PG
    try:
        import psycopg

        with psycopg.connect(
            urllib.parse.urlparse(url)._replace(path="/postgres").geturl(), connect_timeout=3
        ):
            return url
    except Exception:  # any failure means "not reachable here"
        return None


class Browser:
    """A minimal HTTP client keeping cookies itself (they are Secure: a stock client over
    plain HTTP would drop them). ``tls=False`` talks to gunicorn directly as nginx forwards
    a browser's HTTPS request (X-Forwarded-Proto); ``tls=True`` talks HTTPS to nginx."""

    def __init__(self, port: int, *, tls: bool = False):
        self.port, self.tls = port, tls
        self.host = f"127.0.0.1:{port}"
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: str = "", *, https: bool = True):
        if self.tls:
            context = ssl.create_default_context()
            context.check_hostname, context.verify_mode = False, ssl.CERT_NONE  # self-signed
            conn = http.client.HTTPSConnection("127.0.0.1", self.port, timeout=30, context=context)
        else:
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Host": self.host}
        if https and not self.tls:
            headers["X-Forwarded-Proto"] = "https"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if method == "POST":
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = f"https://{self.host}"
            headers["Referer"] = f"https://{self.host}{path}"
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        text = response.read().decode("utf-8", "replace")
        for header in response.headers.get_all("Set-Cookie") or []:
            for key, morsel in SimpleCookie(header).items():
                self.cookies[key] = morsel.value
        conn.close()
        return response, text

    def log_in_and_open_home(self) -> str:
        """The login form, the coordinator's login, the home page; returns the page."""
        response, page = self.request("GET", "/accounts/login/")
        assert response.status == 200
        assert "Вход в Детсад" in page
        body = urllib.parse.urlencode(
            {
                "csrfmiddlewaretoken": self.cookies["csrftoken"],
                "username": "coordinator",
                "password": "detsad2026",
            }
        )
        response, _ = self.request("POST", "/accounts/login/", body)
        assert response.status == 302, "вход не удался"
        assert response.headers["Location"] == "/"
        assert "sessionid" in self.cookies
        response, page = self.request("GET", "/")
        assert response.status == 200
        assert "МБДОУ д/с № 24" in page
        assert response.headers["Strict-Transport-Security"].startswith("max-age=")
        return page


def static_url(page: str) -> str:
    """A hashed stylesheet URL from the page (manifest storage after collectstatic)."""
    css = re.search(r'href="(/static/[^"]+\.[0-9a-f]{12}\.css)"', page)
    assert css, "в странице нет хешированных ссылок на статику"
    return css.group(1)


def nginx_conf(tmp: Path, *, http_port: int, https_port: int, app_port: int, static: str) -> Path:
    """deploy/nginx-detsad.conf adapted to loopback ports, a self-signed certificate and
    temporary paths, wrapped in a minimal nginx.conf."""
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
            "-subj", "/CN=127.0.0.1", "-keyout", str(tmp / "key.pem"), "-out", str(tmp / "cert.pem"),
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    site = (ROOT / "deploy" / "nginx-detsad.conf").read_text()
    for old, new in [
        ("listen 80;", f"listen 127.0.0.1:{http_port};"),
        ("listen [::]:80;", ""),
        ("listen 443 ssl http2;", f"listen 127.0.0.1:{https_port} ssl http2;"),
        ("listen [::]:443 ssl http2;", ""),
        ("server 127.0.0.1:8001", f"server 127.0.0.1:{app_port}"),
        ("/etc/letsencrypt/live/detsad.kavkaz-edu.ru/fullchain.pem", str(tmp / "cert.pem")),
        ("/etc/letsencrypt/live/detsad.kavkaz-edu.ru/privkey.pem", str(tmp / "key.pem")),
        ("/srv/detsad/static/", static.rstrip("/") + "/"),
        ("/var/log/nginx/", f"{tmp}/"),
    ]:
        assert old in site, old
        site = site.replace(old, new)
    (tmp / "site.conf").write_text(site)
    conf = tmp / "nginx.conf"
    conf.write_text(
        ("user root;\n" if os.geteuid() == 0 else "")
        + f"worker_processes 1;\npid {tmp}/nginx.pid;\nerror_log {tmp}/error.log;\n"
        + "events {}\nhttp {\n  include /etc/nginx/mime.types;\n"
        + "".join(
            f"  {kind}_temp_path {tmp}/{kind};\n"
            for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
        )
        + f"  access_log {tmp}/access.log;\n  include {tmp}/site.conf;\n}}\n"
    )
    return conf


@pytest.fixture
def production(tmp_path):
    """Environment of a fresh production-like installation on a new PostgreSQL database."""
    url = _server_url()
    if url is None:
        pytest.skip("PostgreSQL недоступен: smoke-тест развёртывания пропущен")
    import psycopg

    name = f"detsad_smoke_{os.getpid()}"
    admin = urllib.parse.urlparse(url)._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    env = {
        # not the test process's Django variables (conftest allows async-unsafe calls)
        **{
            k: v
            for k, v in os.environ.items()
            if k not in ("DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE")
        },
        "DJANGO_SETTINGS_MODULE": "detsad.settings.production",
        "DATABASE_URL": urllib.parse.urlparse(url)._replace(path=f"/{name}").geturl(),
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "STATIC_ROOT": str(tmp_path / "static"),
        "MEDIA_ROOT": str(tmp_path / "media"),
        "EMAIL_URL": "smtp://127.0.0.1:25",
        "PYTHONPATH": str(ROOT),
    }
    yield env
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


INSTALL = """
import django
from django.core.management import call_command

django.setup()
call_command("migrate", interactive=False, verbosity=0)
call_command("demo_district", quiet=True)
call_command("collectstatic", interactive=False, verbosity=0)
call_command("check", deploy=True, fail_level="ERROR")
"""


def _install(env) -> None:
    """What docs/deployment.md has an administrator run, in one interpreter (faster)."""
    out = subprocess.run(
        [sys.executable, "-c", INSTALL],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 0, f"установка не удалась:\n{out.stdout}\n{out.stderr}"


def test_gunicorn_serves_login_and_home_behind_the_proxy(production, tmp_path):
    from bench.load import free_port, start_gunicorn, stop

    _install(production)
    port = free_port()
    server = start_gunicorn(production, port, tmp_path / "gunicorn.log", workers=2, threads=2)
    try:
        browser = Browser(port)
        # plain HTTP without nginx's header: redirected to HTTPS
        response, _ = browser.request("GET", "/accounts/login/", https=False)
        assert response.status == 301
        assert response.headers["Location"] == f"https://127.0.0.1:{port}/accounts/login/"
        page = browser.log_in_and_open_home()
        response, _ = browser.request("GET", static_url(page))
        assert response.status == 200  # whitenoise, when no nginx is in front
        if shutil.which("nginx") and shutil.which("openssl"):
            _through_nginx(tmp_path, port, production["STATIC_ROOT"])
    finally:
        stop(server)
    log = (tmp_path / "gunicorn.log").read_text()
    assert "Traceback" not in log, log[-3000:]


def _through_nginx(tmp_path: Path, app_port: int, static_root: str) -> None:
    """The same visit through nginx with deploy/nginx-detsad.conf (when nginx is installed)."""
    from bench.load import free_port, stop

    work = tmp_path / "nginx"
    work.mkdir()
    http_port, https_port = free_port(), free_port()
    conf = nginx_conf(
        work, http_port=http_port, https_port=https_port, app_port=app_port, static=static_root
    )
    nginx = subprocess.Popen(
        [shutil.which("nginx"), "-p", str(work), "-c", str(conf), "-g", "daemon off;"],
        stdout=subprocess.DEVNULL,
        stderr=(work / "stderr.log").open("w"),
    )
    try:
        for _ in range(50):
            try:
                socket.create_connection(("127.0.0.1", https_port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        plain = Browser(http_port)
        response, _ = plain.request("GET", "/accounts/login/", https=False)
        assert response.status == 301
        assert response.headers["Location"] == "https://127.0.0.1/accounts/login/"
        browser = Browser(https_port, tls=True)
        page = browser.log_in_and_open_home()
        response, _ = browser.request("GET", static_url(page))
        assert response.status == 200
        # nginx served it: whitenoise words its header differently
        assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    finally:
        stop(nginx)
