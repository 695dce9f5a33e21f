"""Password issuance: slips for a group's parents and for new staff, one-click guardian
account, e-mail links, the issue log; passwords never stored in clear text."""

import datetime as dt
import io
import re

from django.core import mail
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from detsad.accounts import credentials
from detsad.accounts.models import Membership, PasswordIssue, User
from detsad.core.models import AuditRecord
from detsad.people.models import Guardian, Staff


def _slips(pdf: bytes) -> list[tuple[str, str]]:
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    return re.findall(r"Логин:\s*(\S+)\s*Пароль:\s*([a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4})", text)


def test_login_and_password_shapes():
    assert credentials.translit("Пётр-Щукин") == "petrshchukin"
    assert credentials.login_base("Иванова", "Мария", "Сергеевна") == "ivanova.ms"
    assert credentials.login_base("Ёлкина", "", "") == "elkina"
    password = credentials.temporary_password()
    assert re.fullmatch(r"[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}", password)
    assert not set(password) & set("01lio")


def test_unique_login_takes_the_next_number(world):
    User.objects.create(username="ivanova.ms")
    User.objects.create(username="ivanova.ms2")
    assert credentials.unique_login("ivanova.ms") == "ivanova.ms3"
    assert credentials.unique_login("petrov.ii") == "petrov.ii"


def test_slips_for_a_groups_parents(world, as_role):
    """«Солнышко» of A has c1 (mother: account a_parent, never logged in) and c2 (mother
    without an account): both get slips; c2's mother gets a new account with the parent
    role; nothing else of the district changes."""
    sun = world.a.groups["sun"]
    response = as_role("sysadmin").post(
        reverse("accounts:slips"), {"which": "group", "g-group": sun.pk, "g-delivery": "slip"}
    )
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    slips = _slips(response.content)
    mother2 = Guardian.objects.get(pk=world.a.guardians["c2"].pk)
    assert mother2.user is not None and mother2.user.username == "petrova.mc"
    assert sorted(login for login, _ in slips) == ["a_parent", "petrova.mc"]
    assert Membership.objects.get(user=mother2.user).role == "parent"
    issues = PasswordIssue.objects.order_by("username")
    assert [(i.username, i.new_account, i.method) for i in issues] == [
        ("a_parent", False, "slip"),
        ("petrova.mc", True, "slip"),
    ]
    assert len({i.batch for i in issues}) == 1
    for login, password in slips:
        user = User.objects.get(username=login)
        assert user.must_change_password
        assert password not in user.password  # only the hash
        assert not any(password in str(v) for v in PasswordIssue.objects.values_list())
        assert not AuditRecord.objects.filter(changes__icontains=password).exists()
    # the new parent logs in with the slip and sees their own child only
    client = Client()
    login, password = next(s for s in slips if s[0] == "petrova.mc")
    client.post("/accounts/login/", {"username": login, "password": password})
    client.post(
        reverse("accounts:password_change"),
        {"new_password1": "Солнце-над-садом-7", "new_password2": "Солнце-над-садом-7"},
    )
    c2, c1 = world.a.children["c2"], world.a.children["c1"]
    assert client.get(reverse("people:child_detail", args=[c2.pk])).status_code == 200
    assert client.get(reverse("people:child_detail", args=[c1.pk])).status_code == 404


def test_parents_already_using_their_account_are_skipped(world, as_role):
    User.objects.filter(username="a_parent").update(last_login="2026-11-01T09:00:00+03:00")
    response = as_role("sysadmin").post(
        reverse("accounts:slips"),
        {"which": "group", "g-group": world.a.groups["sun"].pk, "g-delivery": "slip"},
    )
    assert [login for login, _ in _slips(response.content)] == ["petrova.mc"]


def test_group_parents_by_email_link(world, as_role, django_capture_on_commit_callbacks):
    Guardian.objects.filter(pk=world.a.guardians["c2"].pk).update(email="petrova@example.ru")
    client = as_role("sysadmin")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts:slips"),
            {"which": "group", "g-group": world.a.groups["sun"].pk, "g-delivery": "email"},
        )
    # c1's mother has no e-mail: she still gets a slip; c2's mother gets a link
    assert [login for login, _ in _slips(response.content)] == ["a_parent"]
    assert len(mail.outbox) == 1
    letter = mail.outbox[0]
    assert letter.to == ["petrova@example.ru"] and "petrova.mc" in letter.body
    link = re.search(r"http://\S+/accounts/password/set/\S+/", letter.body).group(0)
    path = link.split("8000", 1)[1] if "8000" in link else "/" + link.split("/", 3)[3]
    person = Client()
    form = person.get(path, follow=True)
    assert "Установка пароля" in form.content.decode()
    done = person.post(
        form.redirect_chain[-1][0],
        {"new_password1": "Звёздочка-2026-х", "new_password2": "Звёздочка-2026-х"},
    )
    assert done.status_code == 302
    again = Client().get(path, follow=True)
    assert "Ссылка недействительна" in again.content.decode()  # the link works once
    assert (
        Client()
        .post("/accounts/login/", {"username": "petrova.mc", "password": "Звёздочка-2026-х"})
        .status_code
        == 302
    )
    assert PasswordIssue.objects.get(username="petrova.mc").method == "email"
    assert AuditRecord.objects.filter(note="пароль установлен по ссылке из письма").count() == 1


def test_slips_for_new_staff_without_login(world, as_role):
    org = world.a.org
    cook = Staff.objects.create(
        organization=org,
        last_name="Соколова",
        first_name="Анна",
        position="Воспитатель",
        hire_date=dt.date(2026, 9, 1),
    )
    Staff.objects.create(
        organization=org,
        last_name="Уволенная",
        first_name="Ирина",
        position="Повар",
        hire_date=dt.date(2020, 9, 1),
        dismissal_date=dt.date(2026, 1, 10),
    )
    client = as_role("sysadmin")
    page = client.get(reverse("accounts:slips")).content.decode()
    assert "Соколова" in page and "Уволенная" not in page
    response = client.post(
        reverse("accounts:slips"),
        {"which": "staff", "s-staff": [cook.pk], "s-role": "educator", "s-delivery": "slip"},
    )
    assert [login for login, _ in _slips(response.content)] == ["sokolova.a"]
    cook.refresh_from_db()
    assert cook.user.username == "sokolova.a"
    assert Membership.objects.get(user=cook.user).role == "educator"


def test_guardian_account_in_one_click_from_the_file(world, as_role):
    guardian = world.a.guardians["c3"]
    client = as_role("sysadmin")
    page = client.get(reverse("people:guardian_detail", args=[guardian.pk])).content.decode()
    assert "Создать и напечатать листок" in page
    response = client.post(
        reverse("accounts:guardian_account", args=[guardian.pk]), {"delivery": "slip"}
    )
    assert response["Content-Type"] == "application/pdf"
    guardian.refresh_from_db()
    assert [login for login, _ in _slips(response.content)] == [guardian.user.username]
    assert AuditRecord.objects.filter(
        kind="people.guardian", object_id=str(guardian.pk), action="update"
    ).exists()
    # head sees the block but cannot create
    head = as_role("head")
    assert (
        head.post(
            reverse("accounts:guardian_account", args=[world.a.guardians["c2"].pk])
        ).status_code
        == 403
    )


def test_slips_pdf_carries_the_site_address_and_instruction(world, as_role, settings):
    settings.SITE_URL = "https://detsad.kavkaz.example.ru"
    response = as_role("sysadmin").post(
        reverse("accounts:user_reset", args=[world.a.users["hr"].pk])
    )
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "https://detsad.kavkaz.example.ru" in text
    flat = " ".join(text.split())
    assert "действует один раз" in flat and "не короче 8 символов" in flat
