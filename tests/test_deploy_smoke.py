"""Deployment smoke test: the production settings under gunicorn against PostgreSQL.

A fresh PostgreSQL database is migrated and gets the demo district; static files are
collected (manifest storage); ``check --deploy`` reports no error; gunicorn starts with
deploy/gunicorn.conf.py and two workers on 127.0.0.1. Then, speaking HTTP as nginx would
(``X-Forwarded-Proto: https``, deploy/nginx-detsad.conf), a demo account logs in through
the form and opens the home page and a static file. Without the proxy header the app
redirects to HTTPS.

Runs in ``make test`` whenever PostgreSQL is reachable: DATABASE_URL when it points to
PostgreSQL, else postgres://postgres@127.0.0.1:5432 (skipped when neither answers).
"""

from __future__ import annotations

import http.client
import os
import re
import secrets
import subprocess
import sys
import urllib.parse
from http.cookies import SimpleCookie
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/postgres"


def _server_url() -> str | None:
    url = os.environ.get("DATABASE_URL", "")
    url = url if url.startswith(("postgres://", "postgresql://")) else DEFAULT_PG
    try:
        import psycopg

        with psycopg.connect(
            urllib.parse.urlparse(url)._replace(path="/postgres").geturl(), connect_timeout=3
        ):
            return url
    except Exception:  # any failure means "not reachable here"
        return None


class Browser:
    """A minimal HTTP client that talks to gunicorn as nginx forwards a browser's HTTPS
    requests: it keeps cookies itself (they are Secure, so a stock client over plain HTTP
    would drop them) and sends Host, X-Forwarded-Proto and Origin/Referer like nginx does."""

    def __init__(self, port: int):
        self.port = port
        self.host = f"127.0.0.1:{port}"
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: str = "", *, https: bool = True):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Host": self.host}
        if https:
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
            cookie = SimpleCookie(header)
            for key, morsel in cookie.items():
                self.cookies[key] = morsel.value
        conn.close()
        return response, text


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

        response, page = browser.request("GET", "/accounts/login/")
        assert response.status == 200
        assert "Вход в Детсад" in page
        token = browser.cookies["csrftoken"]
        body = urllib.parse.urlencode(
            {"csrfmiddlewaretoken": token, "username": "coordinator", "password": "detsad2026"}
        )
        response, _ = browser.request("POST", "/accounts/login/", body)
        assert response.status == 302, "вход не удался"
        assert response.headers["Location"] == "/"
        assert "sessionid" in browser.cookies

        response, page = browser.request("GET", "/")
        assert response.status == 200
        assert "МБДОУ д/с № 24" in page
        assert response.headers["Strict-Transport-Security"].startswith("max-age=")
        # static files: hashed names from the manifest, served (whitenoise here, nginx there)
        css = re.search(r'href="(/static/[^"]+\.[0-9a-f]{12}\.css)"', page)
        assert css, "в странице нет хешированных ссылок на статику"
        response, _ = browser.request("GET", css.group(1))
        assert response.status == 200
    finally:
        stop(server)
    log = (tmp_path / "gunicorn.log").read_text()
    assert "Traceback" not in log, log[-3000:]
