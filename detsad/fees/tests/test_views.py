"""The fee pages as people use them: every page renders for its roles, forms work, rights
are enforced (who may run, import, set tariffs), XLSX downloads open."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from detsad.fees.models import FeeRun, LedgerEntry, Payment, Tariff

from .helpers import OCT, mark_month, policy, run, tariff
from .test_payments import sample

pytestmark = pytest.mark.django_db


@pytest.fixture
def october(fw):
    policy(fw, "per_day_attended")
    tariff(fw, 125)
    for key in ("c1", "c2", "c3"):
        mark_month(fw.a, key, OCT)
    run(fw.a, OCT)
    return fw


PAGES = [
    "fees:index",
    "fees:accounts",
    "fees:payments",
    "fees:payment_import",
    "fees:setup",
    "fees:benefits",
    "fees:receipts",
    "fees:turnover",
    "fees:debtors",
    "fees:summary",
    "fees:compensation",
]


@pytest.mark.parametrize("name", PAGES)
def test_coordinator_pages_render(october, as_role, name):
    response = as_role("coordinator").get(reverse(name))
    assert response.status_code == 200, response.content[:500]


def test_run_detail_shows_lines(october, as_role):
    fee_run = FeeRun.objects.get(organization=october.a.org)
    response = as_role("head").get(reverse("fees:run_detail", args=[fee_run.pk]))
    assert response.status_code == 200
    assert "Иванов Иван Иванович" in response.content.decode()
    progress = as_role("head").get(reverse("fees:run_progress", args=[fee_run.pk]))
    assert "выполнен" in progress.content.decode()


def test_coordinator_starts_a_run_from_the_page(fw, as_role):
    policy(fw, "per_day_attended")
    tariff(fw, 125)
    mark_month(fw.a, "c1", OCT)
    response = as_role("coordinator").post(reverse("fees:run_start"), {"month": "2026-10"})
    fee_run = FeeRun.objects.get(organization=fw.a.org)
    assert response.status_code == 302
    assert response["Location"] == reverse("fees:run_detail", args=[fee_run.pk])
    assert fee_run.status == "done" and fee_run.charged == 275000


@pytest.mark.parametrize("role", ["head", "sysadmin", "educator", "hr", "parent"])
def test_only_the_coordinator_runs(fw, as_role, role):
    response = as_role(role).post(reverse("fees:run_start"), {"month": "2026-10"})
    assert response.status_code == 403
    assert not FeeRun.objects.exists()


def test_import_page_reports_faults_by_line(fw, as_role):
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = sample("bank_registry.txt").decode("cp1251").replace("2500,00;2470", "25x0,00;2470", 1)
    response = as_role("coordinator").post(
        reverse("fees:payment_import"),
        {"file": SimpleUploadedFile("reg.txt", bad.encode("cp1251"))},
    )
    assert response.status_code == 200
    assert "Строка 1:" in response.content.decode()
    assert not Payment.objects.exists()


def test_import_and_assign_through_the_pages(fw, as_role):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = as_role("coordinator")
    response = client.post(
        reverse("fees:payment_import"),
        {"file": SimpleUploadedFile("statement.txt", sample("bank_statement_1c.txt"))},
    )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "19\u00a0051,25" in page
    # 240001–240003 exist in the world: 3 credited, 5 unmatched
    payment = Payment.objects.get(organization=fw.a.org, doc_number="705")
    response = client.post(
        reverse("fees:payment_assign", args=[payment.pk]),
        {"account": "240002 Петрова Мария Сергеевна"},
    )
    assert response.status_code == 302
    payment.refresh_from_db()
    assert payment.status == "credited" and payment.account.number == "240002"
    queue = client.get(reverse("fees:payments") + "?status=unmatched").content.decode()
    assert "Зачислить" in queue


def test_tariffs_are_set_by_the_founder_only(fw, as_role):
    data = {
        "form": "tariff",
        "unit": "day",
        "regime": "",
        "age_band": "from_3",
        "amount": "125,00",
        "valid_from": "01.09.2026",
        "basis": "постановление № 1",
    }
    assert as_role("coordinator").post(reverse("fees:setup"), data).status_code == 403
    response = as_role("dept_officer").post(reverse("fees:setup"), data)
    assert response.status_code == 302
    assert Tariff.objects.get(municipality=fw.municipality).amount == 12500


def test_account_operations(october, as_role):
    client = as_role("coordinator")
    child = october.a.children["c1"]
    url = reverse("fees:account_operation", args=[child.pk])
    client.post(url, {"kind": "payment", "amount": "2 750,00", "on": "05.10.2026", "note": ""})
    client.post(url, {"kind": "refund", "amount": "100", "on": "20.10.2026", "note": "заявление"})
    entries = LedgerEntry.objects.filter(account=october.a.accounts["c1"]).order_by("id")
    assert [e.amount for e in entries] == [275000, -275000, 10000]
    page = client.get(reverse("fees:account_detail", args=[child.pk])).content.decode()
    assert "Возврат" in page


def test_receipt_download_for_parent_and_404_for_another_family(october, as_role):
    client = as_role("parent")
    own = october.a.children["c1"]
    response = client.get(reverse("fees:receipt", args=[own.pk]) + "?month=2026-10")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    other = october.a.children["c2"]
    assert client.get(reverse("fees:receipt", args=[other.pk])).status_code == 404


def test_parent_cabinet(october, as_role):
    page = as_role("parent").get(reverse("fees:my")).content.decode()
    assert "Иванов Иван Иванович" in page
    assert "Петрова" not in page
    assert "2\u00a0750,00" in page


def test_batch_receipts_of_a_group(october, as_role):
    from pypdf import PdfReader

    group = october.a.groups["sun"]
    response = as_role("coordinator").get(
        reverse("fees:receipts"), {"month": "2026-10", "group": group.pk, "paper": "a5"}
    )
    assert response.status_code == 200
    assert len(PdfReader(io.BytesIO(response.content)).pages) == 2


def test_xlsx_reports_open(october, as_role):
    client = as_role("coordinator")
    for name, params in (
        ("fees:turnover", {"start": "01.10.2026", "end": "31.10.2026"}),
        ("fees:debtors", {"on": "31.10.2026"}),
        ("fees:summary", {"start": "01.10.2026", "end": "31.10.2026"}),
        ("fees:compensation", {"quarter": "2026-4"}),
    ):
        response = client.get(reverse(name), {**params, "format": "xlsx"})
        assert response.status_code == 200, name
        wb = load_workbook(io.BytesIO(response.content))
        assert wb.active.max_row >= 3, name


def test_department_sees_the_summary_of_its_organizations_only(october, as_role):
    page = as_role("dept_officer").get(
        reverse("fees:summary"), {"start": "01.10.2026", "end": "31.10.2026"}
    )
    text = page.content.decode()
    assert "ДОО A" in text and "ДОО B" in text and "ДОО C" not in text
    assert "8\u00a0250,00" in text  # 3 children × 2 750.00


def test_child_panel_on_the_personal_file(october, as_role):
    page = as_role("coordinator").get(
        reverse("people:child_detail", args=[october.a.children["c1"].pk])
    )
    text = page.content.decode()
    assert 'data-testid="child-fees"' in text
    assert "240001" in text
    hr = as_role("hr").get(reverse("people:child_detail", args=[october.a.children["c1"].pk]))
    assert 'data-testid="child-fees"' not in hr.content.decode()


def test_month_close_and_reopen(october, as_role):
    client = as_role("coordinator")
    client.post(reverse("fees:month_close"), {"month": "2026-10"})
    response = client.post(reverse("fees:run_start"), {"month": "2026-10"})
    assert response.status_code == 302 and FeeRun.objects.count() == 1
    client.post(reverse("fees:month_reopen"), {"month": "2026-10", "reason": "ошибка в табеле"})
    client.post(reverse("fees:run_start"), {"month": "2026-10"})
    assert FeeRun.objects.count() == 2


def test_dashboard_widgets(october, as_role):
    assert 'data-testid="fees-widget"' in as_role("coordinator").get("/").content.decode()
    assert 'data-testid="fees-parent-widget"' in as_role("parent").get("/").content.decode()


def test_educator_sees_own_group_only(october, as_role):
    client = as_role("educator")
    page = client.get(reverse("fees:accounts")).content.decode()
    assert "Иванов Иван" in page and "Петрова" in page and "Сидоров" not in page
    sun = october.a.groups["sun"]
    ok = client.get(reverse("fees:receipts"), {"month": "2026-10", "group": sun.pk, "paper": "a4"})
    assert ok["Content-Type"] == "application/pdf"
    whole = client.get(reverse("fees:receipts"), {"month": "2026-10", "group": "", "paper": "a4"})
    assert whole.status_code == 403
    assert client.get(reverse("fees:payments")).status_code == 403


def test_fee_run_command(fw, capsys):
    from django.core.management import call_command

    policy(fw, "per_day_attended")
    tariff(fw, 125)
    mark_month(fw.a, "c1", OCT)
    call_command("fee_run", organization=fw.a.org.pk, month="2026-10")
    out = capsys.readouterr().out
    assert "ДОО A: 10.2026 — выполнен; детей 3, проводок 1, начислено 2 750,00" in out
    call_command("fee_run", organization=fw.a.org.pk, month="2026-10")
    assert "проводок 0" in capsys.readouterr().out


def test_xlsx_reports_keep_formula_like_text_as_text(october, as_role):
    """A name typed as a formula (=, +, -, @) is written as literal text, never a formula."""
    from detsad.people.models import Child

    child = october.a.children["c1"]
    Child.objects.filter(pk=child.pk).update(last_name='=HYPERLINK("http://x","y")')
    group = october.a.groups["sun"]
    type(group).objects.filter(pk=group.pk).update(name="+1+2")
    client = as_role("coordinator")
    for name, params in (
        ("fees:turnover", {"start": "01.10.2026", "end": "31.10.2026"}),
        ("fees:debtors", {"on": "31.10.2026"}),
    ):
        response = client.get(reverse(name), {**params, "format": "xlsx"})
        wb = load_workbook(io.BytesIO(response.content))
        cells = [c for row in wb.active.iter_rows() for c in row if isinstance(c.value, str)]
        risky = [c for c in cells if c.value[:1] in "=+-@"]
        assert {c.value for c in risky} >= {
            '=HYPERLINK("http://x","y") Иван Иванович',
            "+1+2",
        }, name
        assert all(c.data_type == "s" and c.quotePrefix for c in risky), name


@pytest.mark.parametrize("amount", ["Infinity", "NaN", "1e30", "99999999999999999999", "-0,5"])
def test_odd_amounts_are_refused_with_a_message_not_a_server_error(fw, as_role, amount):
    """«Infinity» or «1e30» passed Decimal() and failed later (a 500); a sign on a payment
    is refused. Nothing is written."""
    client = as_role("coordinator")
    child = fw.a.children["c1"]
    response = client.post(
        reverse("fees:account_operation", args=[child.pk]),
        {"kind": "payment", "amount": amount, "on": "05.10.2026", "note": "касса"},
        follow=True,
    )
    assert response.status_code == 200
    text = response.content.decode()
    expected = "Сумма оплаты должна быть больше нуля." if amount == "-0,5" else "Сумма, руб.:"
    assert expected in text
    assert not Payment.objects.exists() and not LedgerEntry.objects.exists()
    page = client.get(reverse("fees:debtors"), {"on": "31.10.2026", "min_amount": amount})
    assert page.status_code == 200
