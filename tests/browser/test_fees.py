"""Parental fees as people use them on the demo district: the coordinator runs October's
fee run, prints a group's receipts, imports the two bank sample files, assigns an
unmatched payment, checks the turnover statement and the debtors list against hand sums;
a parent sees the balance and downloads a receipt whose QR a banking app reads.

The demo database is shared by all browser tests: nothing here relies on another test
having run (the bank samples name accounts 240001–240014, which exist only after the
children list is imported, so the counts are checked as credited + unmatched = file)."""

from __future__ import annotations

import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import expect

from .conftest import DOCS_IMG


def rub(text: str) -> Decimal:
    """«−1 234,56 руб.» → Decimal('-1234.56')."""
    clean = re.sub(r"[^\d,−-]", "", text).replace("−", "-").replace(",", ".")
    return Decimal(clean or "0")


def qr_texts(pdf: Path, tmp: Path) -> list[str]:
    import zxingcpp
    from PIL import Image

    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "200",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            str(pdf),
            str(tmp / "p"),
        ],
        check=True,
    )
    return [r.text for r in zxingcpp.read_barcodes(Image.open(tmp / "p.png"))]


def test_coordinator_runs_october(login_as, base_url, manage, shot):
    page = login_as("coordinator")
    page.goto(f"{base_url}/fees/")
    expect(page.get_by_role("heading", name="Родительская плата")).to_be_visible()
    page.get_by_label("Месяц").select_option("2026-10")
    page.get_by_role("button", name="Рассчитать").click()
    expect(page.get_by_test_id("run-progress")).to_be_visible()
    manage("db_worker", "--batch", "--no-reload", "--no-startup-delay", "-v", "0")
    expect(page.get_by_test_id("run-status")).to_have_text("выполнен", timeout=15000)
    expect(page.get_by_test_id("run-lines")).to_contain_text("Итого")
    shot(page, "fees-run")


def test_coordinator_prints_receipts_of_a_group(login_as, base_url, tmp_path):
    page = login_as("coordinator")
    page.goto(f"{base_url}/fees/receipts/")
    page.get_by_label("Месяц").select_option("2026-10")
    page.get_by_label("Группа").select_option(label="Солнышко")
    with page.expect_download() as info:
        page.get_by_role("button", name="Сформировать PDF").click()
    pdf = tmp_path / "receipts.pdf"
    info.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")
    (text,) = qr_texts(pdf, tmp_path)
    assert text.startswith("ST00012|Name=УФК по Краснодарскому краю (МБДОУ д/с № 24)|")
    assert "|TechCode=08|" in text
    if shutil.which("pdftoppm"):
        DOCS_IMG.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            ["pdftoppm", "-png", "-r", "70", "-f", "1", "-l", "1", "-singlefile", str(pdf)]
            + [str(DOCS_IMG / "fees-receipt")],
            check=True,
        )


@pytest.mark.parametrize(
    ("name", "total"),
    [("bank_statement_1c.txt", Decimal("19051.25")), ("bank_registry.txt", Decimal("12385.25"))],
)
def test_coordinator_imports_bank_samples(login_as, base_url, samples_dir, name, total):
    page = login_as("coordinator")
    page.goto(f"{base_url}/fees/payments/import/")
    page.get_by_label(re.compile("Файл банка")).set_input_files(str(samples_dir / name))
    page.get_by_role("button", name="Загрузить").click()
    expect(page.get_by_test_id("import-summary")).to_be_visible()
    assert rub(page.get_by_test_id("import-total").inner_text()) == total
    credited = rub(page.get_by_test_id("import-credited").inner_text())
    unmatched = rub(page.get_by_test_id("import-unmatched").inner_text())
    assert credited + unmatched == total
    # the same file again credits nothing
    page.goto(f"{base_url}/fees/payments/import/")
    page.get_by_label(re.compile("Файл банка")).set_input_files(str(samples_dir / name))
    page.get_by_role("button", name="Загрузить").click()
    expect(page.get_by_role("alert").first).to_contain_text("уже загружен")


def test_coordinator_assigns_an_unmatched_payment(login_as, base_url, samples_dir):
    page = login_as("coordinator")
    page.goto(f"{base_url}/fees/payments/import/")
    page.get_by_label(re.compile("Файл банка")).set_input_files(
        str(samples_dir / "bank_statement_1c.txt")
    )
    page.get_by_role("button", name="Загрузить").click()  # loaded now or already: both fine
    page.goto(f"{base_url}/fees/accounts/?group=")
    number = page.get_by_test_id("accounts").locator("tbody tr td").nth(1).inner_text().strip()
    page.goto(f"{base_url}/fees/payments/?status=unmatched")
    rows = page.get_by_test_id("payment-row")
    before = rows.count()
    assert before >= 1
    form = rows.first.get_by_test_id("assign-form")
    form.get_by_label("Лицевой счёт").fill(number)
    form.get_by_role("button", name="Зачислить").click()
    expect(page.get_by_role("alert").first).to_contain_text(f"л/с {number}")
    assert page.get_by_test_id("payment-row").count() == before - 1 or before == 1


def _cells(row, n: int) -> list[Decimal]:
    return [rub(row.locator("td").nth(i).inner_text()) for i in range(n)]


def test_turnover_statement_agrees_with_hand_sums(login_as, base_url):
    page = login_as("coordinator")
    page.goto(f"{base_url}/fees/reports/turnover/?start=01.09.2026&end=30.11.2026")
    table = page.get_by_test_id("turnover")
    rows = table.locator("tbody tr")
    count = rows.count()
    assert count > 10
    sums = [Decimal(0)] * 6
    for i in range(count):
        cells = rows.nth(i).locator("td")
        values = [rub(cells.nth(j).inner_text()) for j in range(3, 9)]
        opening, charged, paid, refunded, written_off, closing = values
        assert closing == opening + charged - paid + refunded - written_off
        sums = [a + b for a, b in zip(sums, values, strict=True)]
    total = page.get_by_test_id("turnover-total").locator("td")
    shown = [rub(total.nth(j).inner_text()) for j in range(2, 8)]
    assert shown == sums


def test_debtors_list_agrees_with_hand_sums(login_as, base_url, shot):
    page = login_as("coordinator")
    page.goto(f"{base_url}/fees/reports/debtors/")
    rows = page.get_by_test_id("debtors").locator("tbody tr")
    count = rows.count()
    assert count >= 1
    debts = [rub(rows.nth(i).locator("td").nth(3).inner_text()) for i in range(count)]
    assert all(d > 0 for d in debts)
    assert rub(page.get_by_test_id("debtors-total").inner_text()) == sum(debts)
    shot(page, "fees-debtors")


def test_parent_sees_balance_and_downloads_a_receipt(login_as, base_url, shot, tmp_path):
    page = login_as("parent")
    page.set_viewport_size({"width": 360, "height": 780})
    page.goto(f"{base_url}/fees/my/")
    card = page.get_by_test_id("my-child").first
    expect(card.get_by_test_id("fee-balance")).to_contain_text("руб.")
    expect(card.get_by_test_id("fee-history")).to_be_visible()
    shot(page, "fees-parent")
    with page.expect_download() as info:
        card.get_by_test_id("receipt-link").first.click()
    pdf = tmp_path / "receipt.pdf"
    info.value.save_as(pdf)
    (text,) = qr_texts(pdf, tmp_path)
    fields = dict(f.split("=", 1) for f in text.split("|")[1:])
    assert fields["TechCode"] == "08"
    assert fields["PersAcc"] == card.get_by_test_id("fee-account").inner_text().strip()
    assert int(fields["Sum"]) >= 0
