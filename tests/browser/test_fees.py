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


def _sample_children(page, base_url, samples_dir) -> None:
    """The bank samples name accounts 240001–240014 of children.xlsx; the demo children
    have 241001+. Import the list into «МБДОУ д/с № 24» as the coordinator would, unless
    it is there already (test_children_import.py, earlier in the session, does it too)."""
    page.goto(f"{base_url}/fees/accounts/?q=240014")
    if "240014" in page.get_by_test_id("accounts").inner_text():
        return
    page.goto(f"{base_url}/people/children/")
    page.get_by_role("link", name="Загрузить список").click()
    page.get_by_label("Список детей (.xlsx или .csv)").set_input_files(
        str(samples_dir / "children.xlsx")
    )
    page.get_by_label("Номер приказа").fill("150-и")
    page.get_by_label("Дата приказа").fill("01.09.2026")
    page.get_by_role("button", name="Проверить и показать").click()
    expect(page.get_by_test_id("count-new")).to_have_text("40")
    confirm = page.get_by_test_id("import-confirm")
    over = confirm.get_by_label("Подтверждаю превышение наполняемости")
    if over.count():
        over.check()
    reason = confirm.get_by_label("Причина исправления (зачисление в закрытом месяце)")
    if reason.count():  # the demo closed September and October 2026
        reason.fill("список воспитанников загружен после закрытия табеля")
    confirm.get_by_role("button", name=re.compile("Загрузить: 40 детей")).click()
    expect(page.get_by_test_id("import-result")).to_contain_text("Добавлено детей: 40")


def _upload(page, base_url, path: Path) -> None:
    page.goto(f"{base_url}/fees/payments/import/")
    page.get_by_label(re.compile("Файл банка")).set_input_files(str(path))
    page.get_by_role("button", name="Загрузить").click()
    expect(page.get_by_test_id("import-summary")).to_be_visible()


#: samples/README.md: file total, credited (count, sum), unmatched (count, sum).
SAMPLE_FIGURES = {
    "bank_statement_1c.txt": ("19 051,25", 6, "15 651,25", 2, "3 400,00"),
    "bank_registry.txt": ("12 385,25", 6, "12 385,25", 0, "0,00"),
}


def _figures(page) -> tuple:
    def text(testid):
        return page.get_by_test_id(testid).inner_text().replace("\u00a0", " ").strip()

    def count(testid):
        card = page.get_by_test_id(testid).locator("xpath=..")
        return int(re.search(r"платежей: (\d+)", card.inner_text()).group(1))

    return (
        text("import-total"),
        count("import-credited"),
        text("import-credited"),
        count("import-unmatched"),
        text("import-unmatched"),
    )


@pytest.mark.parametrize("name", list(SAMPLE_FIGURES))
def test_coordinator_imports_bank_samples(login_as, base_url, samples_dir, name):
    """The exact figures of samples/README.md on the page; the same file again credits
    nothing and shows the figures of the first import."""
    page = login_as("coordinator")
    _sample_children(page, base_url, samples_dir)
    _upload(page, base_url, samples_dir / name)
    assert _figures(page) == SAMPLE_FIGURES[name]
    if name == "bank_registry.txt":
        expect(page.get_by_test_id("import-summary")).to_contain_text("комиссия банка 148,62")
    # the same file again credits nothing
    _upload(page, base_url, samples_dir / name)
    expect(page.get_by_role("alert").first).to_contain_text("уже загружен")
    assert _figures(page) == SAMPLE_FIGURES[name]


def test_coordinator_assigns_an_unmatched_payment(login_as, base_url, samples_dir):
    """Doc 705 (2 500,00, no account in the purpose) is assigned to 240005 by hand."""
    page = login_as("coordinator")
    _sample_children(page, base_url, samples_dir)
    page.goto(f"{base_url}/fees/payments/import/")
    page.get_by_label(re.compile("Файл банка")).set_input_files(
        str(samples_dir / "bank_statement_1c.txt")
    )
    page.get_by_role("button", name="Загрузить").click()  # loaded now or already: both fine
    page.goto(f"{base_url}/fees/payments/?status=unmatched")
    rows = page.get_by_test_id("payment-row")
    before = rows.count()
    row = rows.filter(has_text="№ 705")
    expect(row).to_have_count(1)
    form = row.get_by_test_id("assign-form")
    form.get_by_label("Лицевой счёт").fill("240005")
    form.get_by_role("button", name="Зачислить").click()
    expect(page.get_by_role("alert").first).to_contain_text(
        re.compile(r"Платёж 2\s500,00 руб\. зачислен на л/с 240005")
    )
    expect(page.get_by_test_id("payment-row")).to_have_count(before - 1)
    expect(page.get_by_test_id("payment-row").filter(has_text="№ 705")).to_have_count(0)


def _cells(row, n: int) -> list[Decimal]:
    return [rub(row.locator("td").nth(i).inner_text()) for i in range(n)]


#: Hand sums straight from the ledger of «МБДОУ д/с № 24» (kopecks), printed as JSON.
LEDGER_SUMS = """
import datetime as d, json
from collections import defaultdict
from detsad.core.models import Organization
from detsad.fees.models import LedgerEntry
org = Organization.objects.get(bank_account="03234643036160001800")
start, end = d.date(2026, 9, 1), d.date(2026, 11, 30)
sums = defaultdict(int)
balances = defaultdict(int)
for kind, on, amount, account in LedgerEntry.objects.filter(organization=org).values_list(
    "kind", "on", "amount", "account_id"
):
    if on < start:
        sums["opening"] += amount
    elif on <= end:
        sums["charge" if kind == "adjustment" else kind] += amount
    if on <= end:
        sums["closing"] += amount
        balances[account] += amount
sums["debt"] = sum(b for b in balances.values() if b > 0)
sums["debtors"] = sum(1 for b in balances.values() if b > 0)
print(json.dumps(sums))
"""


def _ledger_sums(manage) -> dict[str, Decimal]:
    import json

    raw = json.loads(manage("shell", "-c", LEDGER_SUMS).strip().splitlines()[-1])
    return {k: Decimal(v) / 100 if k != "debtors" else v for k, v in raw.items()}


def test_turnover_statement_agrees_with_hand_sums(login_as, base_url, manage):
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
    hand = _ledger_sums(manage)
    assert shown == [
        hand.get("opening", 0),
        hand.get("charge", 0),
        -hand.get("payment", 0),
        hand.get("refund", 0),
        -hand.get("write_off", 0),
        hand["closing"],
    ]


def test_debtors_list_agrees_with_hand_sums(login_as, base_url, shot, manage):
    page = login_as("coordinator")
    page.goto(f"{base_url}/fees/reports/debtors/?on=30.11.2026")
    rows = page.get_by_test_id("debtors").locator("tbody tr")
    count = rows.count()
    assert count >= 1
    debts = [rub(rows.nth(i).locator("td").nth(3).inner_text()) for i in range(count)]
    assert all(d > 0 for d in debts)
    assert rub(page.get_by_test_id("debtors-total").inner_text()) == sum(debts)
    hand = _ledger_sums(manage)  # every due date of September–November has passed by 30.11
    assert (count, sum(debts)) == (hand["debtors"], hand["debt"])
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
