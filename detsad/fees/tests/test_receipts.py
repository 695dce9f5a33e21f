"""Receipts: the QR on a generated PDF is decoded by zxing-cpp and equals the expected
GOST R 56042-2014 string field by field, the sum in kopecks included."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image

from detsad.fees import services
from detsad.fees.receipts import amount_in_words, qr_payload, receipts_for, receipts_pdf

from .helpers import OCT, mark_month, policy, run, tariff

pytestmark = pytest.mark.django_db


def decode_pdf_qr(pdf: bytes, page: int = 1) -> list[str]:
    """Render a PDF page at 200 dpi with poppler and read every QR code on it."""
    assert shutil.which("pdftoppm"), "poppler-utils не установлен"
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "receipt.pdf"
        source.write_bytes(pdf)
        subprocess.run(
            ["pdftoppm", "-png", "-r", "200", "-f", str(page), "-l", str(page), "-singlefile"]
            + [str(source), str(Path(tmp) / "page")],
            check=True,
        )
        image = Image.open(Path(tmp) / "page.png")
        image.load()
    return [r.text for r in zxingcpp.read_barcodes(image) if r.format.name == "QRCode"]


@pytest.fixture
def october(fw):
    """c1: 125.00 × 17 days = 2 125.00 charged for October; 1 000.00 paid on 05.10."""
    policy(fw, "per_day_attended")
    tariff(fw, 125)
    mark_month(fw.a, "c1", OCT, {3: "Б", 4: "Б", 5: "Б", 10: "Н", 11: "Н"})
    run(fw.a, OCT)
    services.payment_create_manual(
        actor=fw.a.actor("coordinator"),
        account=fw.a.accounts["c1"],
        amount=100000,
        paid_on=dt.date(2026, 10, 5),
    )
    return fw


def test_receipt_figures(october):
    fw = october
    (r,) = receipts_for(fw.a.org, [fw.a.accounts["c1"]], OCT, dt.date(2026, 10, 31))
    assert (r.opening, r.charged, r.paid, r.due) == (0, 212500, 100000, 112500)
    assert r.group == "Солнышко"
    assert r.due_date == dt.date(2026, 10, 10)
    assert r.due_words == "Одна тысяча сто двадцать пять рублей, ноль копеек"


def test_qr_on_the_pdf_decodes_field_by_field(october):
    fw = october
    org = fw.a.org
    receipts = receipts_for(org, [fw.a.accounts["c1"]], OCT, dt.date(2026, 10, 31))
    pdf = receipts_pdf(receipts, paper="a4")
    assert pdf.startswith(b"%PDF")
    (text,) = decode_pdf_qr(pdf)
    expected = [
        ("Name", "УФК по Краснодарскому краю (ДОО A)"),
        ("PersonalAcc", "03234643036160001800"),
        ("BankName", "ЮЖНОЕ ГУ БАНКА РОССИИ"),
        ("BIC", "010349101"),
        ("CorrespAcc", "40102810945370000010"),
        ("PayeeINN", "2332000001"),
        ("KPP", "233201001"),
        ("Sum", "112500"),
        ("Purpose", "Родительская плата за 10.2026, л/с 240001"),
        ("PersAcc", "240001"),
        ("ChildFio", "Иванов Иван Иванович"),
        ("TechCode", "08"),
        ("PaymPeriod", "102026"),
    ]
    header, *fields = text.split("|")
    assert header == "ST00012"
    assert [tuple(f.split("=", 1)) for f in fields] == expected


def test_a5_batch_is_a_page_per_child(october):
    from pypdf import PdfReader

    fw = october
    accounts = [fw.a.accounts[k] for k in ("c1", "c2", "c3")]
    pdf = receipts_pdf(receipts_for(fw.a.org, accounts, OCT, OCT), paper="a5")
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 3
    assert "240002" in reader.pages[1].extract_text()


def test_separator_changes_when_a_value_holds_a_pipe():
    text = qr_payload([("Name", "ООО «А|Б»"), ("Sum", "100")])
    assert text == "ST00012#Name=ООО «А|Б»#Sum=100"


def test_amount_in_words_reads_rubles_not_kopecks():
    assert amount_in_words(212500) == "Две тысячи сто двадцать пять рублей, ноль копеек"
    assert amount_in_words(106250) == "Одна тысяча шестьдесят два рубля, пятьдесят копеек"


def test_long_bank_name_is_cut_to_45_characters_without_a_trailing_space(october):
    """The demo's «ЮЖНОЕ ГУ БАНКА РОССИИ//УФК по Краснодарскому краю г. Краснодар» cut at
    45 characters ended with a space; GOST R 56042 allows 45, the cut is trimmed."""
    fw = october
    org = fw.a.org
    org.bank_name = "ЮЖНОЕ ГУ БАНКА РОССИИ//УФК по Краснодарскому краю г. Краснодар"
    (r,) = receipts_for(org, [fw.a.accounts["c1"]], OCT, dt.date(2026, 10, 31))
    assert dict(r.qr_fields)["BankName"] == "ЮЖНОЕ ГУ БАНКА РОССИИ//УФК по Краснодарскому"
