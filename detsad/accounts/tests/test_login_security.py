"""Login security: lockouts and unlock, one-time temporary passwords, password rules,
blocking, «log out everywhere», session expiry, the second factor."""

import io
import re
import time

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from detsad.accounts.models import User
from detsad.core.models import AuditRecord
from detsad.testing import PASSWORD

LOGIN = "/accounts/login/"


def _login(client, username, password, ip="127.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def _slip_password(pdf: bytes) -> tuple[str, str]:
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    login = re.search(r"Логин:\s*(\S+)", text).group(1)
    password = re.search(r"Пароль:\s*([a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4})", text).group(1)
    return login, password


def test_account_is_locked_after_n_failures_with_a_russian_message(world):
    client = Client()
    limit = settings.AXES_FAILURE_LIMIT
    for _ in range(limit - 1):
        response = _login(client, "a_hr", "wrong-password")
        assert "Неверный логин или пароль" in response.content.decode()
    assert _login(client, "a_hr", "wrong-password").status_code == 429  # the N-th failure
    response = _login(client, "a_hr", PASSWORD)  # the right password, but locked now
    assert response.status_code == 429
    assert "Вход временно заблокирован" in response.content.decode()
    # another address is refused too: the lock is on the account
    assert _login(Client(), "a_hr", PASSWORD, ip="10.1.1.1").status_code == 429


def test_an_address_is_locked_after_its_own_limit_of_failures_on_different_accounts(world):
    limit = settings.LOGIN_ADDRESS_FAILURE_LIMIT
    assert limit > settings.AXES_FAILURE_LIMIT  # 30 vs 5 by default
    for i in range(limit - 1):
        response = _login(Client(), f"nobody{i}", "wrong-password", ip="10.2.2.2")
        assert response.status_code == 200, i  # not locked at 5, 6, … limit − 1
        assert "Неверный логин или пароль" in response.content.decode()
    assert _login(Client(), "a_head", "wrong", ip="10.2.2.2").status_code == 429  # limit-th
    assert _login(Client(), "a_head", PASSWORD, ip="10.2.2.2").status_code == 429
    assert _login(Client(), "a_head", PASSWORD, ip="10.3.3.3").status_code == 302


def test_a_shared_kindergarten_address_survives_a_few_typos_of_several_people(world):
    """Three educators behind one NAT address mistype twice each (6 failures > the
    account limit of 5): nobody is locked, each still logs in (accounts/lockout.py)."""
    for name in ("a_hr", "a_head", "a_educator"):
        for _ in range(2):
            _login(Client(), name, "wrong-password", ip="10.9.9.9")
    for name in ("a_hr", "a_head", "a_educator", "a_coordinator"):
        assert _login(Client(), name, PASSWORD, ip="10.9.9.9").status_code == 302, name


def test_sysadmin_unlocks_an_account(world, as_role):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(Client(), "a_hr", "wrong-password", ip="10.4.4.4")
    assert _login(Client(), "a_hr", PASSWORD, ip="10.4.4.4").status_code == 429
    admin = as_role("sysadmin")
    page = admin.get(reverse("accounts:lockouts")).content.decode()
    assert "a_hr" in page and "заблокирован" in page
    admin.post(reverse("accounts:user_unlock", args=[world.a.users["hr"].pk]))
    assert _login(Client(), "a_hr", PASSWORD, ip="10.4.4.4").status_code == 302
    assert AuditRecord.objects.filter(
        kind="accounts.user", note__startswith="снята блокировка входа"
    ).exists()


def test_sysadmin_unlocks_an_address_locked_by_failures_on_other_logins(world, as_role):
    for i in range(settings.LOGIN_ADDRESS_FAILURE_LIMIT):
        _login(Client(), f"nobody{i}", "wrong-password", ip="10.5.5.5")
    assert _login(Client(), "a_head", PASSWORD, ip="10.5.5.5").status_code == 429
    admin = as_role("sysadmin")
    page = admin.get(reverse("accounts:lockouts")).content.decode()
    assert "10.5.5.5" in page and "nobody0" not in page  # other logins are not disclosed
    response = admin.post(reverse("accounts:address_unlock"), {"ip": "10.5.5.5"})
    assert response.status_code == 302
    assert _login(Client(), "a_head", PASSWORD, ip="10.5.5.5").status_code == 302
    assert AuditRecord.objects.filter(
        kind="accounts.address", object_id="10.5.5.5", note__startswith="снята блокировка"
    ).exists()


def test_address_unlock_is_for_the_sysadmin_only_and_checks_the_address(world, as_role):
    assert as_role("head").post(
        reverse("accounts:address_unlock"), {"ip": "10.5.5.5"}
    ).status_code in (403, 404)
    admin = as_role("sysadmin")
    admin.post(reverse("accounts:address_unlock"), {"ip": "не адрес"})
    page = admin.get(reverse("accounts:lockouts")).content.decode()
    assert "IP-адрес: неверный формат." in page
    assert not AuditRecord.objects.filter(kind="accounts.address").exists()


def test_behind_nginx_the_lock_follows_x_real_ip_only_when_trusted(world, settings):
    limit = settings.LOGIN_ADDRESS_FAILURE_LIMIT
    # Not trusted (default): a forged X-Real-IP is ignored, the connection address counts.
    settings.TRUST_X_REAL_IP = False
    for i in range(limit):
        Client().post(
            LOGIN,
            {"username": f"nobody{i}", "password": "x"},
            REMOTE_ADDR="10.6.6.6",
            HTTP_X_REAL_IP=f"192.0.2.{i}",
        )
    assert _login(Client(), "a_head", PASSWORD, ip="10.6.6.6").status_code == 429

    # Trusted: every request comes from nginx (127.0.0.1); each client is its X-Real-IP.
    settings.TRUST_X_REAL_IP = True
    for i in range(limit):
        Client().post(
            LOGIN,
            {"username": f"other{i}", "password": "x"},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_REAL_IP="198.51.100.7",
        )
    locked = Client().post(
        LOGIN,
        {"username": "a_head", "password": PASSWORD},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_REAL_IP="198.51.100.7",
    )
    assert locked.status_code == 429
    assert "Вход временно заблокирован" in locked.content.decode()
    other = Client().post(
        LOGIN,
        {"username": "a_head", "password": PASSWORD},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_REAL_IP="198.51.100.8",
    )
    assert other.status_code == 302  # another person behind the same proxy is not locked
    # A malformed header falls back to the connection address.
    from axes.models import AccessAttempt

    Client().post(
        LOGIN,
        {"username": "junk", "password": "x"},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_REAL_IP="<script>",
    )
    assert AccessAttempt.objects.filter(username="junk", ip_address="127.0.0.1").exists()


def test_temporary_password_works_once_and_forces_a_change(world, as_role):
    target = world.a.users["hr"]
    response = as_role("sysadmin").post(reverse("accounts:user_reset", args=[target.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "no-store"
    login, password = _slip_password(response.content)
    assert login == "a_hr"
    target.refresh_from_db()
    assert target.must_change_password and password not in target.password

    person = Client()
    assert _login(person, login, password).status_code == 302
    assert person.get("/").url == reverse("accounts:password_change")
    target.refresh_from_db()
    assert not target.has_usable_password()  # the slip no longer opens the account
    assert "Неверный логин или пароль" in _login(Client(), login, password).content.decode()

    page = person.get(reverse("accounts:password_change")).content.decode()
    assert "old_password" not in page  # no old password asked after a temporary one
    response = person.post(
        reverse("accounts:password_change"),
        {"new_password1": "Ромашка-2026-сад", "new_password2": "Ромашка-2026-сад"},
    )
    assert response.status_code == 302
    assert person.get("/").status_code == 200
    assert _login(Client(), login, "Ромашка-2026-сад").status_code == 302


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("abc12", "слишком короткий"),
        ("password123", "слишком широко распространён"),
        ("a_coordinator1", "слишком похож"),
        ("84737261839", "состоит только из цифр"),
    ],
)
def test_password_rules_in_russian(world, login, password, message):
    client = login(world.a.users["coordinator"])
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": password, "new_password2": password},
    )
    assert message in response.content.decode()


def test_blocked_person_is_logged_out_at_once_and_told_why_at_login(world, as_role, login):
    person = Client()
    person.force_login(world.a.users["hr"])
    assert person.get("/").status_code == 200
    as_role("sysadmin").post(reverse("accounts:user_block", args=[world.a.users["hr"].pk]))
    assert person.get("/").status_code == 302  # session ended
    body = _login(Client(), "a_hr", PASSWORD).content.decode()
    assert "Учётная запись заблокирована" in body
    assert "заблокирована" not in _login(Client(), "a_hr", "wrong").content.decode()


def test_log_out_everywhere_ends_other_sessions_only(world):
    user = world.a.users["hr"]
    here, elsewhere = Client(), Client()
    for c in (here, elsewhere):
        assert _login(c, "a_hr", PASSWORD).status_code == 302
    here.post(reverse("accounts:logout_everywhere"))
    assert here.get("/").status_code == 200
    assert elsewhere.get("/").status_code == 302
    user.refresh_from_db()
    assert user.session_version == 1


def test_sysadmin_ends_all_sessions_of_a_person(world, as_role):
    person = Client()
    person.force_login(world.a.users["educator"])
    as_role("sysadmin").post(reverse("accounts:user_logout", args=[world.a.users["educator"].pk]))
    assert person.get("/").status_code == 302


def test_session_is_renewed_once_a_minute_not_on_every_request(world, login, monkeypatch):
    """The inactivity deadline (SESSION_COOKIE_AGE) moves while the person works, but the
    session row is written at most once per SESSION_TOUCH_SECONDS (60): the login counts as
    a touch, pages within the minute send no new cookie; one after 61 s renews it for the
    full SESSION_COOKIE_AGE."""
    import time as clock

    start = clock.time()
    monkeypatch.setattr(clock, "time", lambda: start)
    client = login(world.a.users["hr"])
    assert settings.SESSION_COOKIE_NAME not in client.get("/").cookies  # same minute
    assert settings.SESSION_COOKIE_NAME not in client.get("/").cookies
    monkeypatch.setattr(clock, "time", lambda: start + 61)
    renewed = client.get("/").cookies[settings.SESSION_COOKIE_NAME]
    assert int(renewed["max-age"]) == settings.SESSION_COOKIE_AGE
    assert settings.SESSION_COOKIE_NAME not in client.get("/").cookies


def _token(device, ahead=0):
    from django_otp.oath import TOTP

    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def test_second_factor_setup_and_login(world):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client = Client()
    _login(client, "a_sysadmin", PASSWORD)
    page = client.get(reverse("accounts:otp_setup")).content.decode()
    assert 'src="data:image/svg+xml' in page
    device = TOTPDevice.objects.get(user=world.a.users["sysadmin"])
    wrong = client.post(reverse("accounts:otp_setup"), {"token": "00000"})
    assert "Код не подошёл" in wrong.content.decode()
    TOTPDevice.objects.update(throttling_failure_count=0, throttling_failure_timestamp=None)
    client.post(reverse("accounts:otp_setup"), {"token": _token(device)})
    device.refresh_from_db()
    assert device.confirmed and User.objects.get(username="a_sysadmin").totp_enabled

    fresh = Client()
    assert _login(fresh, "a_sysadmin", PASSWORD).status_code == 302
    response = fresh.get(reverse("accounts:user_list"))
    assert response.url.startswith(reverse("accounts:otp_verify"))
    bad = fresh.post(reverse("accounts:otp_verify"), {"token": "12345"})
    assert "Неверный код" in bad.content.decode()
    TOTPDevice.objects.update(throttling_failure_count=0, throttling_failure_timestamp=None)
    ok = fresh.post(reverse("accounts:otp_verify"), {"token": _token(device, ahead=1)})
    assert ok.status_code == 302
    assert fresh.get(reverse("accounts:user_list")).status_code == 200


def test_sysadmin_must_set_up_the_second_factor_when_required(world, settings):
    settings.TOTP_REQUIRED_FOR_SYSADMIN = True
    client = Client()
    _login(client, "a_sysadmin", PASSWORD)
    assert client.get("/").url == reverse("accounts:otp_setup")
    other = Client()
    _login(other, "a_hr", PASSWORD)
    assert other.get("/").status_code == 200  # other roles: optional
