"""Reading children lists (pure code, no database): values, headers, files."""

from __future__ import annotations

import datetime as dt
import io
from types import SimpleNamespace

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from detsad.people.importing import (
    check_upload,
    classify,
    match_group,
    parse_children_file,
    parse_date,
    parse_sex,
)
from detsad.people.importing.values import relation_from_patronymic, split_full_name, text
from detsad.people.models import Relation, Sex

TODAY = dt.date(2026, 11, 29)


class TestDates:
    """Case C21: dates in local formats never become silent zero dates."""

    @pytest.mark.parametrize(
        "value",
        [
            "05.03.2021",
            "5.3.2021",
            "2021-03-05",
            "05-03-2021",
            " 05.03.2021 ",
            "05.03.2021 0:00:00",
            dt.datetime(2021, 3, 5),
            dt.date(2021, 3, 5),
        ],
    )
    def test_day_first_and_iso_dates(self, value):
        assert parse_date(value) == dt.date(2021, 3, 5)

    @pytest.mark.parametrize(
        ("value", "expected"),
        [("25/12/2021", dt.date(2021, 12, 25)), ("12/25/2021", dt.date(2021, 12, 25))],
    )
    def test_slash_dates_only_when_unambiguous(self, value, expected):
        assert parse_date(value) == expected

    @pytest.mark.parametrize(
        ("value", "message"),
        [
            (
                "3/5/2021",
                "дата «3/5/2021» неоднозначна (3 мая или 5 марта?): запишите её как ДД.ММ.ГГГГ",
            ),
            ("31.02.2021", "такой даты нет: «31.02.2021»"),
            ("2021-02-30", "такой даты нет: «2021-02-30»"),
            ("13/13/2021", "такой даты нет: «13/13/2021»"),
            ("05.03.21", "в дате «05.03.21» год из двух цифр: запишите год полностью (ДД.ММ.ГГГГ)"),
            ("вчера", "«вчера» не похоже на дату: ожидается ДД.ММ.ГГГГ"),
            (44260, "«44260» — число, а не дата"),
        ],
    )
    def test_rejected_dates_say_why(self, value, message):
        with pytest.raises(ValueError) as exc:
            parse_date(value)
        assert str(exc.value).startswith(message)

    def test_empty_cell_is_no_date(self):
        assert parse_date(None) is None and parse_date("  ") is None

    @given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)))
    def test_both_written_forms_read_back(self, day):
        assert parse_date(day.strftime("%d.%m.%Y")) == day
        assert parse_date(day.isoformat()) == day

    @given(st.integers(1, 12), st.integers(1, 12), st.integers(1900, 2100))
    def test_a_slash_date_with_two_possible_months_is_never_guessed(self, a, b, year):
        value = f"{a}/{b}/{year}"
        if a == b:
            assert parse_date(value) == dt.date(year, a, a)
        else:
            with pytest.raises(ValueError, match="неоднозначна"):
                parse_date(value)


class TestValues:
    @pytest.mark.parametrize(
        ("value", "sex"),
        [("М", Sex.MALE), ("м", Sex.MALE), ("M", Sex.MALE), ("муж.", Sex.MALE)]
        + [("мужской", Sex.MALE), ("Ж", Sex.FEMALE), ("женский", Sex.FEMALE)]
        + [("девочка", Sex.FEMALE)],
    )
    def test_sex(self, value, sex):
        assert parse_sex(value) == sex

    @pytest.mark.parametrize("value", ["X", "", None, "?"])
    def test_unknown_sex_is_refused(self, value):
        with pytest.raises(ValueError, match="укажите М или Ж"):
            parse_sex(value)

    def test_full_name_split(self):
        assert split_full_name("Иванов  Иван Иванович") == ("Иванов", "Иван", "Иванович")
        assert split_full_name("Мамедов Али Гусейн оглы") == ("Мамедов", "Али", "Гусейн оглы")
        assert split_full_name("Ким Алиса") == ("Ким", "Алиса", "")
        with pytest.raises(ValueError, match="укажите фамилию и имя"):
            split_full_name("Иванов")

    @pytest.mark.parametrize(
        ("patronymic", "relation"),
        [("Львовна", Relation.MOTHER), ("Ильинична", Relation.MOTHER)]
        + [("Фёдорович", Relation.FATHER), ("Ильич", Relation.FATHER), ("", Relation.OTHER)],
    )
    def test_relation_of_a_parent_column(self, patronymic, relation):
        assert relation_from_patronymic(patronymic) == relation

    def test_cells_as_text(self):
        assert text(240001.0) == "240001"
        assert text("  Иванов\xa0 Иван ") == "Иванов Иван"
        assert text(dt.datetime(2021, 3, 5)) == "05.03.2021"

    def test_groups_by_full_or_short_name(self):
        sun = SimpleNamespace(name="Солнышко", full_name="Младшая группа «Солнышко»")
        stars = SimpleNamespace(name="Звёздочки", full_name="Средняя группа «Звёздочки»")
        groups = [sun, stars]
        assert match_group("Младшая группа «Солнышко»", groups) is sun
        assert match_group("солнышко", groups) is sun
        assert match_group("Звездочки", groups) is stars
        assert match_group("средняя гр. «Звёздочки»", groups) is stars
        assert match_group('Группа "Звёздочки"', groups) is stars
        assert match_group("Группа «Непоседы»", groups) is None


class TestHeaders:
    @pytest.mark.parametrize(
        ("header", "key"),
        [
            ("Фамилия", "last_name"),
            ("ФИО ребёнка", "full_name"),
            ("Ф.И.О.", "full_name"),
            ("Дата рождения", "birth_date"),
            ("Свидетельство о рождении: серия", "cert_series"),
            ("Свидетельство о рождении", "cert"),
            ("Лицевой счёт", "account"),
            ("Л/с", "account"),
            ("Мать: ФИО", "g:mother:name"),
            ("ФИО матери", "g:mother:name"),
            ("Мать: e-mail", "g:mother:email"),
            ("Телефон отца", "g:father:phone"),
            ("Родитель (законный представитель)", "g:guardian:name"),
            ("Телефон", "g:guardian:phone"),
            ("Опекун", "g:trustee:name"),
            ("Группа здоровья", "health_group"),
            ("№ п/п", "row_number"),
            ("Любимая игрушка", None),
        ],
    )
    def test_column_names(self, header, key):
        assert classify(header) == key


def xlsx(rows: list[list]) -> bytes:
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


class TestFiles:
    def test_header_below_a_title_and_unknown_columns_listed(self):
        content = xlsx(
            [
                ["Список группы «Радуга»"],
                [],
                ["ФИО", "Дата рождения", "Пол", "Любимая игрушка", "ФИО"],
                ["Орлов Иван Петрович", dt.datetime(2021, 2, 1), "м", "мяч", "x"],
            ]
        )
        parsed = parse_children_file(content, "r.xlsx", today=TODAY)
        assert parsed.header.row == 3
        assert parsed.header.unused == [
            ("Любимая игрушка", "столбец не распознан"),
            ("ФИО", "повторяет столбец «ФИО»"),
        ]
        row = parsed.rows[0]
        assert row.row == 4 and row.ok
        assert row.child == {
            "last_name": "Орлов",
            "first_name": "Иван",
            "patronymic": "Петрович",
            "birth_date": dt.date(2021, 2, 1),
            "sex": Sex.MALE,
        }

    def test_csv_with_tabs_in_utf8(self):
        content = "Фамилия\tИмя\tДата рождения\tПол\nОрлов\tИван\t01.02.2021\tМ\n".encode()
        parsed = parse_children_file(content, "r.csv", today=TODAY)
        assert parsed.delimiter == "\t" and parsed.rows[0].child["last_name"] == "Орлов"

    def test_guardian_phone_without_name_is_a_fault(self):
        content = "ФИО;Дата рождения;Пол;Мать;Телефон матери\nОрлов Иван;01.02.2021;м;;+79001112233"
        parsed = parse_children_file(content.encode(), "r.csv", today=TODAY)
        assert [str(f) for f in parsed.faults] == [
            "строка 2, столбец «Мать»: указан телефон или e-mail, но нет ФИО"
        ]

    def test_certificate_in_one_column_and_numbers_as_numbers(self):
        content = xlsx(
            [
                ["Фамилия", "Имя", "Дата рождения", "Пол", "Свидетельство о рождении", "СНИЛС"],
                ["Орлов", "Иван", "01.02.2021", "м", "II-ag № 123456", 11223344595],
            ]
        )
        row = parse_children_file(content, "r.xlsx", today=TODAY).rows[0]
        assert row.ok, row.faults
        assert row.child["birth_certificate_series"] == "II-ag"
        assert row.child["birth_certificate_number"] == "123456"
        assert row.child["snils"] == "112-233-445 95"

    def test_age_over_eight_and_enrollment_before_birth(self):
        content = "ФИО;Дата рождения;Пол;Группа;Дата зачисления\n"
        content += "Орлов Иван;01.02.2017;м;Радуга;01.09.2026\n"
        content += "Орлова Анна;01.02.2021;ж;Радуга;01.09.2020\n"
        parsed = parse_children_file(content.encode(), "r.csv", today=TODAY)
        assert [str(f) for f in parsed.faults] == [
            "строка 2, столбец «Дата рождения»: возраст ребёнка 9 лет: допустимо от 0 до 8 лет",
            "строка 3, столбец «Дата зачисления»: дата зачисления 01.09.2020 раньше даты рождения",
        ]

    def test_the_same_account_twice(self):
        content = "ФИО;Дата рождения;Пол;Л/с\nОрлов Иван;01.02.2021;м;240001\n"
        content += "Орлова Анна;01.02.2022;ж;240001\n"
        parsed = parse_children_file(content.encode(), "r.csv", today=TODAY)
        assert [str(f) for f in parsed.faults] == [
            "строка 3, столбец «Л/с»: лицевой счёт 240001 уже указан в строке 2"
        ]

    @pytest.mark.parametrize(
        ("name", "size", "message"),
        [
            ("a.xls", 10, "(.xls) не поддерживается"),
            ("a.docx", 10, "только таблицу .xlsx или .csv"),
            ("a.csv", 0, "Файл пустой."),
            ("a.xlsx", 3 * 1024 * 1024, "Файл слишком большой: 3.0 МБ, допускается не более 2 МБ."),
        ],
    )
    def test_upload_checks(self, name, size, message):
        with pytest.raises(ValidationError) as exc:
            check_upload(name, size)
        assert message in exc.value.messages[0]

    def test_a_file_with_only_a_header(self):
        with pytest.raises(ValidationError, match="нет ни одного ребёнка"):
            parse_children_file("ФИО;Дата рождения;Пол\n".encode(), "r.csv", today=TODAY)


@pytest.mark.parametrize(
    ("cell", "series", "number"),
    [
        ("IV-АГ 277601", "IV-АГ", "277601"),
        ("IV-АГ № 277601", "IV-АГ", "277601"),
        ("IV-АГ №277601", "IV-АГ", "277601"),
        ("IV-АГ277601", "IV-АГ", "277601"),
        ("IV АГ 277601", "IV АГ", "277601"),
    ],
)
def test_certificate_written_in_one_cell(cell, series, number):
    content = f"ФИО;Дата рождения;Пол;Свидетельство о рождении\nОрлов Иван;01.02.2021;м;{cell}"
    row = parse_children_file(content.encode(), "r.csv", today=TODAY).rows[0]
    assert (row.child["birth_certificate_series"], row.child["birth_certificate_number"]) == (
        series,
        number,
    )


class TestRowLimit:
    """QA: the row limit counted rows an office suite keeps only for their formatting
    (borders drawn down to row 3000, «;;;;» lines at the end of a CSV), so a list of two
    children was refused as «больше 1000 строк»."""

    HEADER = ["Фамилия", "Имя", "Дата рождения", "Пол"]

    def test_formatted_empty_rows_at_the_end_of_a_sheet_do_not_count(self):
        workbook = openpyxl.Workbook()
        sheet = workbook.active
        sheet.append(self.HEADER)
        sheet.append(["Орлов", "Иван", "05.03.2021", "М"])
        sheet.append([None] * 4)
        sheet.append(["Орлова", "Анна", "05.03.2022", "Ж"])
        for row in range(5, 3001):
            sheet.cell(row=row, column=1).font = openpyxl.styles.Font(bold=True)
        buffer = io.BytesIO()
        workbook.save(buffer)
        parsed = parse_children_file(buffer.getvalue(), "list.xlsx", today=TODAY)
        assert [r.row for r in parsed.rows] == [2, 4]
        assert parsed.empty_rows == [3]

    def test_separator_only_lines_at_the_end_of_a_csv_do_not_count(self):
        content = ";".join(self.HEADER) + "\r\nОрлов;Иван;05.03.2021;М\r\n" + ";;;\r\n" * 2000
        parsed = parse_children_file(content.encode("cp1251"), "list.csv", today=TODAY)
        assert [r.row for r in parsed.rows] == [2]
        assert parsed.empty_rows == []

    @pytest.mark.parametrize("name", ["list.xlsx", "list.csv"])
    def test_more_than_the_limit_of_filled_rows_is_refused(self, name):
        rows = [self.HEADER] + [["Орлов", f"Иван{i}", "05.03.2021", "М"] for i in range(1051)]
        if name.endswith(".csv"):
            content = "\n".join(";".join(r) for r in rows).encode()
        else:
            workbook = openpyxl.Workbook()
            for r in rows:
                workbook.active.append(r)
            buffer = io.BytesIO()
            workbook.save(buffer)
            content = buffer.getvalue()
        with pytest.raises(ValidationError, match="больше 1000 строк"):
            parse_children_file(content, name, today=TODAY)

    def test_reading_stops_at_a_bound_of_rows_looked_at(self):
        content = ";".join(self.HEADER) + "\nОрлов;Иван;05.03.2021;М\n" + ";;;\n" * 20_000
        with pytest.raises(ValidationError, match="удалите пустые строки под списком"):
            parse_children_file(content.encode(), "list.csv", today=TODAY)


def test_a_workbook_that_unpacks_to_far_more_than_a_list_is_refused():
    """QA: a 300 KB .xlsx whose sheet unpacks to 300 MB took a minute and 1.5 GB of memory
    to read (a «zip bomb» within the 2 MB upload limit). The sizes the archive declares are
    checked before anything is unpacked."""
    import zipfile

    workbook = openpyxl.Workbook()
    workbook.active.append(["Фамилия", "Имя", "Дата рождения", "Пол"])
    workbook.active.append(["Орлов", "BOMB", "05.03.2021", "М"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in source.namelist():
            data = source.read(name).replace(b"BOMB", b"A" * (40 * 1024 * 1024))
            archive.writestr(name, data)
    assert len(bomb.getvalue()) < 200 * 1024
    with pytest.raises(ValidationError, match="слишком велика в распакованном виде"):
        parse_children_file(bomb.getvalue(), "list.xlsx", today=TODAY)
