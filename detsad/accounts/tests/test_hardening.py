"""Web hardening: CSP and other headers, CSRF, no inline scripts, uploads, production
settings (`check --deploy`), escaping of user text (cases C18, C19)."""

import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook

from detsad.accounts.models import Membership, User
from detsad.core.uploads import UploadValidator, serve_upload
from detsad.people.models import Guardian

ROOT = Path(settings.BASE_DIR)
SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"


def test_security_headers_on_every_page(world, as_role):
    response = as_role("coordinator").get("/")
    csp = response["Content-Security-Policy"]
    for part in (
        "default-src 'self'",
        "script-src 'self'",
        "object-src 'none'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
    ):
        assert part in csp
    assert "unsafe-inline" not in csp.split("style-src-attr")[0]  # scripts and <style>: never
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_no_inline_scripts_or_event_handlers_in_templates():
    offenders = []
    for path in (ROOT / "detsad").rglob("templates/**/*.html"):
        text = path.read_text(encoding="utf-8")
        for m in re.finditer(r"<script(?![^>]*\bsrc=)[^>]*>", text):
            offenders.append(f"{path.relative_to(ROOT)}: {m.group(0)}")
        for m in re.finditer(r"\son[a-z]+\s*=\s*[\"']", text):
            offenders.append(f"{path.relative_to(ROOT)}: {m.group(0)}")
    assert not offenders, offenders


def test_form_posts_need_the_csrf_token(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.a.users["sysadmin"])
    response = client.post(reverse("accounts:user_block", args=[world.a.users["hr"].pk]))
    assert response.status_code == 403
    assert User.objects.get(pk=world.a.users["hr"].pk).blocked_at is None


def test_production_settings_pass_check_deploy():
    env = {
        **os.environ,
        "SECRET_KEY": "x" * 20 + "Детсад-prod-key-with-enough-entropy-9f8e7d6c5b4a",
        "ALLOWED_HOSTS": "detsad.example.ru",
        "DATABASE_URL": "sqlite:////tmp/detsad-check-deploy.sqlite3",
        "DJANGO_SETTINGS_MODULE": "detsad.settings.production",
    }
    env.pop("EMAIL_URL", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the test conftest only
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def _xlsx() -> bytes:
    buf = io.BytesIO()
    Workbook().save(buf)
    return buf.getvalue()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("приказ.pdf", b"%PDF-1.7\n..."),
        ("фото.PNG", b"\x89PNG\r\n\x1a\n...."),
        ("фото.jpg", b"\xff\xd8\xff\xe0JFIF"),
        ("дети.xlsx", None),
        ("дети.csv", "Фамилия;Имя\nИванов;Иван\n".encode("cp1251")),
    ],
)
def test_uploads_of_real_files_pass(name, content):
    UploadValidator()(SimpleUploadedFile(name, content if content is not None else _xlsx()))


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("photo.jpg.html", b"<html><script>alert(1)</script>", "такие файлы не принимаются"),
        (
            "картинка.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "такие файлы не принимаются",
        ),
        ("приказ.pdf", b"<html><body>not a pdf</body></html>", "не похоже на PDF"),
        ("дети.xlsx", b"PK\x03\x04not really a workbook", "не похоже на Excel"),
        ("список.csv", b"<script>alert(1)</script>", "не похоже на CSV"),
        ("архив.zip", b"PK\x03\x04", "такие файлы не принимаются"),
    ],
)
def test_dangerous_or_mislabelled_uploads_are_refused(name, content, message):
    with pytest.raises(ValidationError) as exc:
        UploadValidator()(SimpleUploadedFile(name, content))
    assert message in exc.value.messages[0] and name in exc.value.messages[0]


def test_oversized_upload_is_refused(settings):
    settings.UPLOAD_MAX_BYTES = 1024
    with pytest.raises(ValidationError) as exc:
        UploadValidator()(SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * 2048))
    assert "слишком большой" in exc.value.messages[0]


def test_validator_refuses_to_allow_markup():
    with pytest.raises(ValueError):
        UploadValidator(kinds=("svg",))


def test_uploads_are_served_as_downloads(tmp_path):
    from django.core.files import File

    path = tmp_path / "фото.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n")
    with path.open("rb") as fh:
        response = serve_upload(File(fh, name=str(path)))
        assert response["Content-Type"] == "image/png"
        assert response["Content-Disposition"].startswith("attachment;")
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "sandbox" in response["Content-Security-Policy"]


@pytest.mark.parametrize(
    ("url_name", "data"),
    [
        ("fees:payment_import", {}),
        ("movement:template_list", {"kind": "order_enroll"}),
    ],
)
@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("photo.jpg.html", b"<html><script>alert(1)</script></html>", "такие файлы не принимаются"),
        ("x.svg", b"<svg><script>alert(1)</script></svg>", "такие файлы не принимаются"),
        ("выписка.txt", b"<html><body><script>alert(1)</script>", "не похоже"),
        ("шаблон.docx", b"<html>renamed page</html>", "не похоже"),
    ],
)
def test_every_upload_form_checks_the_file(world, as_role, url_name, data, name, content, message):
    """The bank file and document template forms run the same validator: markup is refused
    by extension and by content, with the file named. (The children list has its own reader
    checks with more specific messages: movement/tests/test_import_views.py.)"""
    response = as_role("coordinator").post(
        reverse(url_name), {**data, "file": SimpleUploadedFile(name, content)}
    )
    assert response.status_code == 200  # the form again, with the error
    body = response.content.decode()
    allowed = {
        "fees:payment_import": {"txt"},
        "movement:template_list": {"docx"},
    }[url_name]
    suffix = name.rsplit(".", 1)[1]
    expected = message if suffix in allowed or message.startswith("такие") else "не принимаются"
    assert expected in body and f"«{name}»" in body, body[:2000]


# --- case C19: stored script in user-entered text -----------------------------------------


def test_guardian_named_with_markup_renders_as_text_everywhere(world, as_role):
    guardian = world.a.guardians["c1"]
    Guardian.objects.filter(pk=guardian.pk).update(last_name=SCRIPT, first_name=IMG)
    user = world.a.users["parent"]
    User.objects.filter(pk=user.pk).update(last_name=SCRIPT, first_name=IMG)
    from detsad.people.services import guardian_update

    guardian.refresh_from_db()
    guardian_update(actor=world.a.actor("coordinator"), guardian=guardian, address=SCRIPT)
    admin = as_role("sysadmin")
    pages = [
        reverse("people:child_detail", args=[world.a.children["c1"].pk]),
        reverse("people:guardian_list"),
        reverse("people:guardian_detail", args=[guardian.pk]),
        reverse("accounts:user_list"),
        reverse("accounts:user_detail", args=[user.pk]),
        reverse("core:audit_list"),
    ]
    for url in pages:
        body = admin.get(url).content.decode()
        assert SCRIPT not in body and "<img src=x" not in body, url
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body, url


# --- case C18: the object scope on every action, page and export --------------------------


def test_parent_requests_another_familys_child_card_and_api(world, as_role):
    client = as_role("parent")
    other = world.a.children["c2"]
    for url in (
        reverse("people:child_detail", args=[other.pk]),
        reverse("privacy:child_export_json", args=[other.pk]),
        reverse("api:child-detail", args=[other.pk]),
        reverse("api:child-events", args=[other.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "Петрова" not in response.content.decode()


def test_sysadmin_of_another_kindergarten_cannot_act_on_our_people(world, as_role):
    target = world.a.users["educator"]
    membership = Membership.objects.get(user=target)
    client = as_role("sysadmin", org="b")
    for url in (
        reverse("accounts:user_block", args=[target.pk]),
        reverse("accounts:user_reset", args=[target.pk]),
        reverse("accounts:membership_remove", args=[target.pk, membership.pk]),
        reverse("accounts:guardian_account", args=[world.a.guardians["c2"].pk]),
    ):
        assert client.post(url).status_code == 404, url
    target.refresh_from_db()
    membership.refresh_from_db()
    assert target.blocked_at is None and membership.is_active
    assert not Guardian.objects.get(pk=world.a.guardians["c2"].pk).user_id
