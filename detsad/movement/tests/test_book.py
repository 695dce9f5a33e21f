"""The movement book: one line per stay (PDF, XLSX read back) and the register page."""

import datetime as dt
import io
import re

from openpyxl import load_workbook
from pypdf import PdfReader

from detsad.movement import services
from detsad.movement.book import book_rows

from .helpers import D, add_mother, new_child
from .test_reports import january

YEAR = (D(2025, 9, 1), D(2026, 8, 31))


def test_book_rows_worked_by_hand(world):
    a = world.a
    hr = a.actor("hr")
    january(world)
    rows = book_rows(hr, *YEAR)
    names = [(r.n, r.child.last_name, r.start, r.end) for r in rows]
    assert names == [
        (1, "Иванов", D(2025, 9, 1), None),
        (2, "Петрова", D(2025, 9, 1), D(2026, 1, 31)),
        (3, "Сидоров", D(2025, 9, 1), D(2026, 1, 20)),
        (4, "Новиков", D(2026, 1, 12), None),
        (5, "Февральский", D(2026, 2, 1), None),
    ]  # the cancelled enrollment of «Ошибкин» is not in the book
    ivanov, petrova, sidorov = rows[0], rows[1], rows[2]
    assert ivanov.groups_text == "Солнышко; с 15.01.2026 — Радуга"
    assert ivanov.enroll_order == "№ 1-в от 01.09.2025"
    assert sidorov.reason == "в связи с переменой места жительства"
    assert petrova.reason == "по заявлению родителей (законных представителей)"
    assert petrova.parents == "Петрова Мама c2 (мать, +79000000000)"


def test_a_second_stay_is_a_second_line_and_periods_cut(world):
    a = world.a
    hr = a.actor("hr")
    c3 = a.children["c3"]
    services.child_withdraw(actor=hr, child=c3, on=D(2026, 1, 20), order=None, reason="moved")
    services.child_enroll(actor=hr, child=c3, group=a.groups["sun"], on=D(2026, 3, 2), order=None)
    rows = [r for r in book_rows(hr, *YEAR) if r.child == c3]
    assert [(r.start, r.end, r.groups_text) for r in rows] == [
        (D(2025, 9, 1), D(2026, 1, 20), "Радуга"),
        (D(2026, 3, 2), None, "Солнышко"),
    ]
    # February: c3 was not in the kindergarten at all.
    assert c3 not in [r.child for r in book_rows(hr, D(2026, 2, 1), D(2026, 2, 28))]
    # Group filter: only stays with a day in «Радуга» within the period.
    in_rainbow = book_rows(hr, *YEAR, group_id=a.groups["rainbow"].pk)
    assert [(r.child.last_name, r.start) for r in in_rainbow] == [("Сидоров", D(2025, 9, 1))]


def test_book_xlsx_and_pdf_read_back(world, as_role):
    a = world.a
    january(world)
    kid = new_child(a, "Шевчук", "Анна", "Олеговна", "F", D(2020, 12, 24))
    add_mother(kid, "Шевчук", "Ирина", "Петровна")
    services.child_enroll(
        actor=a.actor("hr"), child=kid, group=a.groups["sun"], on=D(2026, 4, 1), order=None
    )
    client = as_role("hr")
    response = client.get("/movement/book/xlsx/?start=01.09.2025&end=31.08.2026")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    ws = load_workbook(io.BytesIO(response.content)).active
    assert ws["A1"].value == "Детский сад A"
    assert ws["A2"].value == "Книга учёта движения воспитанников за период 01.09.2025 – 31.08.2026"
    header = [c.value for c in ws[4]]
    assert header == [
        "№",
        "ФИО воспитанника",
        "Дата рождения",
        "Адрес",
        "Родители (законные представители)",
        "Дата зачисления",
        "Приказ о зачислении",
        "Группа",
        "Дата отчисления",
        "Приказ об отчислении",
        "Причина отчисления",
        "Куда выбыл",
    ]
    values = [[c.value for c in row] for row in ws.iter_rows(min_row=5)]
    assert len(values) == 6
    sidorov = values[2]
    assert sidorov[:3] == [3, "Сидоров Пётр Андреевич", dt.datetime(2020, 11, 2)]
    assert sidorov[8].date() == D(2026, 1, 20)
    assert sidorov[10] == "в связи с переменой места жительства"
    shevchuk = values[5]
    assert shevchuk[1] == "Шевчук Анна Олеговна"
    assert shevchuk[4] == "Шевчук Ирина Петровна (мать, +79181234567)"
    assert shevchuk[7] == "Солнышко"

    response = client.get("/movement/book/pdf/?start=01.09.2025&end=31.08.2026")
    assert response["Content-Type"] == "application/pdf"
    text = re.sub(
        r"\s+",
        " ",
        " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages),
    )
    assert "Книга учёта движения воспитанников" in text
    assert "Шевчук Анна Олеговна" in text and "Сидоров Пётр Андреевич" in text


class TestRegister:
    def test_filters(self, world, as_role):
        january(world)
        client = as_role("hr")
        html = client.get(
            "/movement/book/?start=01.01.2026&end=31.01.2026&kind=withdraw"
        ).content.decode()
        assert "Сидоров Пётр Андреевич" in html and "Петрова Мария Сергеевна" in html
        assert "Новиков" not in html
        group = world.a.groups["rainbow"].pk
        html = client.get(
            f"/movement/book/?start=01.01.2026&end=31.01.2026&group={group}"
        ).content.decode()
        assert "Иванов Иван Иванович" in html  # transferred into «Радуга»
        assert "Новиков" not in html
        html = client.get(
            "/movement/book/?start=01.01.2026&end=31.01.2026&q=ошибкин"
        ).content.decode()
        assert html.count('data-kind="cancel"') == 1 and "отменено" in html

    def test_educator_reads_own_group_only(self, world, as_role):
        january(world)
        html = (
            as_role("educator")
            .get("/movement/book/?start=01.09.2025&end=31.08.2026")
            .content.decode()
        )
        assert "Петрова Мария Сергеевна" in html  # «Солнышко»
        assert "Сидоров" not in html  # «Радуга» only
        assert "отменить" not in html  # reads, does not write

    def test_queries_do_not_grow(self, world, as_role, django_assert_max_num_queries):
        client = as_role("hr")
        url = "/movement/book/?start=01.09.2025&end=31.08.2026"
        xlsx = "/movement/book/xlsx/?start=01.09.2025&end=31.08.2026"
        client.get(url)
        with django_assert_max_num_queries(10):
            client.get(url)
        with django_assert_max_num_queries(12):
            client.get(xlsx)
        january(world)
        for i in range(8):
            kid = new_child(world.a, f"Запасной{i}")
            services.child_enroll(
                actor=world.a.actor("hr"),
                child=kid,
                group=world.a.groups["sun"],
                on=D(2026, 4, 1),
                order=None,
            )
        with django_assert_max_num_queries(10):
            assert "Запасной7" in client.get(url).content.decode()
        with django_assert_max_num_queries(12):
            assert len(client.get(xlsx).content) > 0
