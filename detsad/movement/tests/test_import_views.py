"""The import pages: upload → preview (nothing written) → confirm → result; upload checks;
rights; the command."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from detsad.people.importing import MAX_BYTES
from detsad.people.models import Child, Guardian

from .import_support import DATA, TODAY, ds24, sample  # noqa: F401

URL = reverse("movement:children_import")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def today(monkeypatch):
    """Pin «today» of every actor (the sample files are checked against 29.11.2026)."""
    monkeypatch.setattr("detsad.core.access.local_today", lambda municipality=None: TODAY)


@pytest.fixture
def coordinator(ds24, login, today):  # noqa: F811
    return login(ds24.users["coordinator"], f"org:{ds24.pk}")


def upload(client, name="children.xlsx", content=None, **fields):
    data = {
        "basis": "order",
        "order_number": "150-в",
        "order_date": "01.09.2026",
        "file": SimpleUploadedFile(name, content if content is not None else sample(name)),
        **fields,
    }
    return client.post(URL, data)


def test_upload_page_offers_the_form_and_the_template(coordinator):
    response = coordinator.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Загрузка списка детей" in html and 'enctype="multipart/form-data"' in html
    template = coordinator.get(reverse("movement:children_import_template"))
    assert template["Content-Type"] == XLSX_TYPE
    sheet = openpyxl.load_workbook(io.BytesIO(template.content)).worksheets[0]
    assert [c.value for c in sheet[3]][:6] == [
        "№ п/п",
        "Фамилия",
        "Имя",
        "Отчество",
        "Дата рождения",
        "Пол",
    ]


def test_the_children_list_links_to_the_import(coordinator):
    html = coordinator.get(reverse("people:child_list")).content.decode()
    assert f'href="{URL}"' in html


def test_preview_then_confirm(coordinator, ds24):  # noqa: F811
    response = upload(coordinator)
    assert response.status_code == 200
    assert response.templates[0].name == "movement/import_preview.html"
    report = response.context["report"]
    assert report.counts["children"] == 40 and report.ready
    html = response.content.decode()
    assert html.count("будет добавлен") == 40
    assert "Приказ о зачислении № 150-в от 01.09.2026: 34." in html
    assert Child.objects.filter(organization=ds24).count() == 0  # the preview writes nothing

    response = coordinator.post(URL, {"step": "confirm", "token": response.context["token"]})
    assert response.status_code == 302 and response.url == reverse("movement:children_import_done")
    done = coordinator.get(response.url).content.decode()
    assert "Начальные данные от 01.09.2025: 6." in done
    assert "Начальные данные (начальные данные" not in done
    assert Child.objects.filter(organization=ds24).count() == 40
    assert Guardian.objects.filter(organization=ds24).count() == 66
    done = coordinator.get(response.url).content.decode()
    assert "Добавлено детей: <strong>40</strong>" in done
    assert "Группа «Капелька»: 8" in done

    again = coordinator.post(URL, {"step": "confirm", "token": "anything"})
    assert again.status_code == 302 and again.url == URL  # the token is used up


def test_broken_file_shows_every_fault_and_no_confirm_button(coordinator, ds24):  # noqa: F811
    response = upload(coordinator, "children_broken.xlsx")
    html = response.content.decode()
    assert len(response.context["report"].faults) == 9
    assert 'data-testid="import-confirm"' not in html
    assert "Ничего не будет записано" in html
    assert "<td>16</td><td>Свидетельство о рождении: номер</td>" in html
    assert Child.objects.filter(organization=ds24).count() == 0


def test_broken_file_with_only_valid_rows(coordinator, ds24):  # noqa: F811
    response = upload(coordinator, "children_broken.xlsx", valid_only="on")
    assert 'data-testid="import-confirm"' in response.content.decode()
    response = coordinator.post(URL, {"step": "confirm", "token": response.context["token"]})
    assert response.status_code == 302
    assert Child.objects.filter(organization=ds24).count() == 3
    done = coordinator.get(response.url).content.decode()
    assert "Пропущены строки с ошибками" in done and "строка 8, столбец «Группа»" in done


def test_capacity_warning_must_be_confirmed(coordinator, ds24):  # noqa: F811
    ds24.groups.filter(name="Капелька").update(capacity=5)
    response = upload(coordinator)
    token = response.context["token"]
    assert "Подтверждаю превышение наполняемости" in response.content.decode()

    refused = coordinator.post(URL, {"step": "confirm", "token": token})
    assert refused.status_code == 422
    assert Child.objects.filter(organization=ds24).count() == 0

    accepted = coordinator.post(
        URL, {"step": "confirm", "token": token, "confirm_over_capacity": "1"}
    )
    assert accepted.status_code == 302
    assert Child.objects.filter(organization=ds24).count() == 40


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("list.xls", b"\xd0\xcf\x11\xe0", "Excel 97–2003 (.xls) не поддерживается"),
        ("list.pdf", b"%PDF-1.4", "только таблицу .xlsx или .csv"),
        ("list.xlsx", b"not a zip file", "не похож на книгу Excel"),
        ("list.csv", b"", "Отправленный файл пуст"),
        ("list.csv", b"a" * (MAX_BYTES + 1), "Файл слишком большой: 2.0 МБ"),
        ("list.csv", "Дата;Сумма\r\n01.09.2026;100".encode(), "Не найдена строка заголовков"),
        ("list.csv", "Фамилия;Имя;Дата рождения\r\nА;Б;01.01.2021".encode(), "нет столбцов: «Пол»"),
    ],
)
def test_bad_uploads_are_refused_in_russian(coordinator, name, content, message):
    response = upload(coordinator, name, content)
    assert response.status_code == 200
    assert response.templates[0].name == "movement/import_upload.html"
    assert message in " ".join(response.context["form"].errors["file"])


def test_order_details_are_required_unless_initial_data(coordinator):
    response = upload(coordinator, order_number="", order_date="")
    errors = response.context["form"].errors
    assert errors["order_number"] == ["Укажите номер приказа о зачислении."]
    assert errors["order_date"] == ["Укажите дату приказа."]
    response = upload(coordinator, basis="initial", order_number="", order_date="")
    assert response.context["report"].counts["children"] == 40
    # QA: 34 of the 40 are enrolled on 01.09.2026, the first day of the current year, so the
    # preview must not call all 40 «enrolled before the current academic year».
    html = response.content.decode()
    assert "Зачислены до начала текущего учебного года" not in html
    assert "Все зачисления записываются как начальные данные" in html
    assert "с датой из файла: 40." in html


def test_switching_organization_between_preview_and_confirm_writes_nothing(
    coordinator,
    ds24,  # noqa: F811
    world,
):
    from detsad.accounts.models import Membership
    from detsad.core.middleware import SESSION_KEY

    response = upload(coordinator)
    Membership.objects.create(
        user=ds24.users["coordinator"],
        organization=world.a.org,
        municipality=world.municipality,
        role="coordinator",
    )
    session = coordinator.session
    session[SESSION_KEY] = f"org:{world.a.org.pk}"
    session.save()
    response = coordinator.post(URL, {"step": "confirm", "token": response.context["token"]})
    assert response.status_code == 302 and response.url == URL
    assert Child.objects.filter(last_name="Кулакова").count() == 0


@pytest.mark.parametrize("role", ["educator", "head", "sysadmin", "parent"])
def test_roles_without_write_rights_get_403(as_role, role):
    assert as_role(role).get(URL).status_code == 403
    assert as_role(role).get(reverse("movement:children_import_template")).status_code == 403


def test_hr_may_open_the_page(as_role):
    assert as_role("hr").get(URL).status_code == 200


def command(org, name: str, *args: str) -> str:
    """Run ``import_children`` on a sample file of tests/data; returns its output."""
    out = io.StringIO()
    try:
        call_command(
            "import_children", str(DATA / name), "--organization", str(org.pk), *args, stdout=out
        )
    finally:
        command.output = out.getvalue()
    return out.getvalue()


ORDER_ARGS = ("--order-number", "150-в", "--order-date", "01.09.2026")


class TestCommand:
    def test_it_imports_and_reports(self, ds24, today):  # noqa: F811
        text = command(ds24, "children.xlsx", *ORDER_ARGS)
        assert "Детей добавлено: 40; уже были в системе: 0; строк с ошибками: 0." in text
        assert "Начальные данные от 01.09.2025: 6." in text  # not «…: начальные данные от …»
        assert "Родителей: новых 66" in text and "Список загружен." in text
        assert Child.objects.filter(organization=ds24).count() == 40

        text = command(ds24, "children.xlsx", "--initial-data")
        assert "Все дети из файла уже есть в системе" in text
        assert Child.objects.filter(organization=ds24).count() == 40

    def test_faults_stop_it_and_write_nothing(self, ds24, today):  # noqa: F811
        with pytest.raises(CommandError, match="Ничего не записано"):
            command(ds24, "children_broken.xlsx", "--initial-data")
        assert "Ошибка: строка 15, столбец «Пол»: пол «X» не распознан" in command.output
        assert Child.objects.filter(organization=ds24).count() == 0

    def test_valid_only_and_dry_run(self, ds24, today):  # noqa: F811
        text = command(ds24, "children_broken.xlsx", "--initial-data", "--dry-run")
        assert "Проверка закончена, ничего не записано." in text
        assert Child.objects.filter(organization=ds24).count() == 0
        command(ds24, "children_broken.xlsx", "--initial-data", "--valid-only")
        assert Child.objects.filter(organization=ds24).count() == 3

    def test_bad_arguments(self, ds24):  # noqa: F811
        path = str(DATA / "children.xlsx")
        with pytest.raises(CommandError, match="не найден") as info:
            call_command("import_children", path, "--organization", "999999", "--initial-data")
        assert f"{ds24.pk} — МБДОУ д/с № 24" in str(info.value)  # the ids to choose from
        with pytest.raises(CommandError, match="Укажите детский сад: --organization ID"):
            call_command("import_children", path, "--initial-data")
        with pytest.raises(CommandError, match="номер приказа"):
            command(ds24, "children.xlsx")
        with pytest.raises(CommandError, match="такой даты нет"):
            command(ds24, "children.xlsx", "--order-number", "1", "--order-date", "31.02.2026")
        with pytest.raises(CommandError, match="либо приказ"):
            command(ds24, "children.xlsx", "--initial-data", *ORDER_ARGS)


class TestWaitingFile:
    """The uploaded file waits in a temporary file with a random name; the session keeps
    only the token; the file goes after the commit, a cancel, or a day."""

    @pytest.fixture(autouse=True)
    def tmp_dir(self, settings, tmp_path):
        settings.UPLOAD_TMP_DIR = tmp_path / "uploads"
        return settings.UPLOAD_TMP_DIR

    def test_session_keeps_only_the_token_and_the_commit_removes_the_file(
        self,
        coordinator,
        ds24,  # noqa: F811
        tmp_dir,
    ):
        from detsad.movement.import_views import SESSION_KEY

        token = upload(coordinator).context["token"]
        assert coordinator.session[SESSION_KEY] == token and len(token) == 32
        files = sorted(p.name for p in tmp_dir.iterdir())
        assert files == [f"{token}.bin", f"{token}.json"]
        assert (tmp_dir / f"{token}.bin").read_bytes() == sample("children.xlsx")
        assert (tmp_dir / f"{token}.bin").stat().st_mode & 0o077 == 0
        response = coordinator.post(URL, {"step": "confirm", "token": token})
        assert response.status_code == 302
        assert Child.objects.filter(organization=ds24).count() == 40
        assert list(tmp_dir.iterdir()) == []
        assert SESSION_KEY not in coordinator.session

    def test_cancel_and_a_new_upload_remove_the_old_file(self, coordinator, tmp_dir):
        first = upload(coordinator).context["token"]
        second = upload(coordinator).context["token"]
        assert first != second
        assert sorted(p.stem for p in tmp_dir.iterdir()) == [second, second]
        coordinator.get(URL)  # «Отмена» leads back to the form
        assert list(tmp_dir.iterdir()) == []
        response = coordinator.post(URL, {"step": "confirm", "token": second})
        assert response.status_code == 302 and response.url == URL

    def test_another_users_token_is_useless(self, coordinator, ds24, login, tmp_dir):  # noqa: F811
        token = upload(coordinator).context["token"]
        hr = login(ds24.users["hr"], f"org:{ds24.pk}")
        session = hr.session
        session["movement_children_import"] = token  # even a stolen session value
        session.save()
        response = hr.post(URL, {"step": "confirm", "token": token})
        assert response.status_code == 302 and response.url == URL
        assert Child.objects.filter(organization=ds24).count() == 0

    def test_files_older_than_a_day_are_cleaned(self, tmp_dir):
        import os
        import time

        from detsad.core.pending_uploads import pending_cleanup, pending_load, pending_save

        old = pending_save(b"old", {"user": 1})
        fresh = pending_save(b"fresh", {"user": 1})
        day_ago = time.time() - 25 * 3600
        for suffix in (".bin", ".json"):
            os.utime(tmp_dir / f"{old}{suffix}", (day_ago, day_ago))
        assert pending_load(old) is None
        assert pending_load(fresh) == (b"fresh", {"user": 1})
        for suffix in (".bin", ".json"):
            os.utime(tmp_dir / f"{fresh}{suffix}", (day_ago, day_ago))
        assert pending_cleanup() == 2
        assert list(tmp_dir.iterdir()) == []
        assert pending_load("../../etc/passwd") is None
        assert pending_load("x" * 31) is None
