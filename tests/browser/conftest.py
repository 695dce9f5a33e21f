"""Browser tests: the real app served on loopback with the demo district, driven by the
system Chromium through Playwright (never a downloaded browser).

A session fixture builds a fresh database (a temporary SQLite file, or a new PostgreSQL
database when DATABASE_URL points to PostgreSQL), applies migrations, loads the demo
district and starts ``manage.py runserver`` on a free port. Tests act as people do, with
the demo logins. ``shot(page, name)`` saves a screenshot into docs/img/ for the guides.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# Screenshots go to docs/img/ (the guides' pictures) when DOCS_SCREENSHOTS=1 (`make screenshots`);
# otherwise to var/screenshots/, so an ordinary `make test` leaves the checkout clean.
DOCS_IMG = (
    ROOT / "docs" / "img" if os.environ.get("DOCS_SCREENSHOTS") else ROOT / "var" / "screenshots"
)
DEMO_PASSWORD = "detsad2026"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
    "--disable-dev-shm-usage",
]

pytestmark = pytest.mark.browser


def pytest_collection_modifyitems(items):
    # This hook sees every collected item of the session: mark only the browser tests.
    here = Path(__file__).resolve().parent
    for item in items:
        if Path(str(item.path)).resolve().is_relative_to(here):
            item.add_marker(pytest.mark.browser)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _database_url(tmp: Path) -> tuple[str, callable]:
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        import psycopg

        parsed = urllib.parse.urlparse(url)
        name = f"detsad_browser_{os.getpid()}"
        admin = parsed._replace(path="/postgres").geturl()
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')

        def drop():
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

        return parsed._replace(path=f"/{name}").geturl(), drop
    return f"sqlite:///{tmp / 'browser.sqlite3'}", lambda: None


@pytest.fixture(scope="session")
def server_env(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("browser")
    url, drop = _database_url(tmp)
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "detsad.settings",
        "DEBUG": "true",
        "MEDIA_ROOT": str(tmp / "media"),
        "PYTHONUNBUFFERED": "1",
        "LOGIN_FAILURE_LIMIT": "50",
    }
    py = sys.executable
    subprocess.run(
        [py, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True
    )
    subprocess.run([py, "manage.py", "demo_district", "--quiet"], cwd=ROOT, env=env, check=True)
    yield env
    drop()


@pytest.fixture(scope="session")
def base_url(server_env, tmp_path_factory):
    port = _free_port()
    log = open(tmp_path_factory.mktemp("log") / "server.log", "w")  # noqa: SIM115
    proc = subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "runserver",
            f"127.0.0.1:{port}",
            "--noreload",
            "--nothreading",
        ],
        cwd=ROOT,
        env=server_env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    # the task worker, as `make run` starts it: fee runs are queued and executed by it
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--interval", "0.5", "--no-reload", "-v", "0"],
        cwd=ROOT,
        env=server_env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(f"{url}/accounts/login/", timeout=1)
            break
        except OSError:
            time.sleep(0.2)
    else:
        proc.kill()
        worker.kill()
        raise RuntimeError("сервер не запустился")
    yield url
    for p in (proc, worker):
        p.terminate()
        p.wait(timeout=10)
    log.close()


@pytest.fixture(scope="session")
def manage(server_env):
    """Run a management command against the browser tests' database; returns stdout."""

    def _run(*args: str) -> str:
        out = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=server_env,
            check=True,
            capture_output=True,
            text=True,
        )
        return out.stdout

    return _run


@pytest.fixture(scope="session")
def browser_type_launch_args():
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        pytest.fail(
            "Chromium не установлен: запустите scripts/setup-system.sh (make test делает это сам)"
        )
    return {"executable_path": path, "args": CHROMIUM_ARGS, "headless": True}


@pytest.fixture(scope="session")
def browser_context_args():
    return {
        "locale": "ru-RU",
        "timezone_id": "Europe/Moscow",
        "viewport": {"width": 1366, "height": 900},
    }


@pytest.fixture
def login_as(page, base_url):
    """``login_as("coordinator")`` logs the page in through the real login form."""

    def _login(username: str, password: str = DEMO_PASSWORD):
        page.goto(f"{base_url}/accounts/login/")
        page.get_by_label("Логин или e-mail").fill(username)
        page.get_by_label("Пароль").fill(password)
        page.get_by_role("button", name="Войти").click()
        page.wait_for_load_state("networkidle")
        return page

    return _login


@pytest.fixture
def shot():
    """``shot(page, "coordinator-dashboard")`` saves docs/img/coordinator-dashboard.png."""
    DOCS_IMG.mkdir(parents=True, exist_ok=True)

    def _shot(page, name: str, full_page: bool = False):
        page.screenshot(path=str(DOCS_IMG / f"{name}.png"), full_page=full_page)

    return _shot


@pytest.fixture
def samples_dir() -> Path:
    """The shared sample files (copied into tests/data when the shared folder is absent)."""
    shared = ROOT.parent / "shared" / "samples"
    return shared if shared.exists() else ROOT / "tests" / "data"


@pytest.fixture(autouse=True)
def _tmp_downloads(tmp_path):
    yield tempfile.gettempdir()


@pytest.fixture(autouse=True)
def _patient_page(request):
    """Generous timeouts: PDFs of a whole group are rendered while CI runs other work."""
    if "page" in request.fixturenames:
        page = request.getfixturevalue("page")
        page.set_default_timeout(90_000)
        page.set_default_navigation_timeout(90_000)
