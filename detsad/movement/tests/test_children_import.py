"""The children import on the three sample files (shared/samples/README.md) and its rules:
all or nothing, only valid rows, re-import, initial data, one order, capacity."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from detsad.core.models import AuditRecord
from detsad.movement.children_import import ImportOptions, children_import
from detsad.movement.models import MovementEvent, Order, Placement
from detsad.movement.selectors import children_in, group_of
from detsad.people.models import Child, ChildGuardian, Guardian, PersonalAccount, Relation

from .import_support import actor_of, ds24, groups_of, sample  # noqa: F401

SEPT_2026 = dt.date(2026, 9, 1)
SEPT_2025 = dt.date(2025, 9, 1)
ORDER = ImportOptions(order_number="150-в", order_date=SEPT_2026)
#: Sheet rows of children.xlsx enrolled on 01.09.2025 (README: initial data).
INITIAL_ROWS = [4, 11, 18, 25, 32, 39]


def run(org, name, options=ORDER, *, dry_run=False, role="coordinator", content=None):
    return children_import(
        actor=actor_of(org, role),
        organization=org,
        content=content if content is not None else sample(name),
        filename=name,
        options=options,
        dry_run=dry_run,
    )


def written(org) -> dict[str, int]:
    return {
        "children": Child.objects.filter(organization=org).count(),
        "guardians": Guardian.objects.filter(organization=org).count(),
        "links": ChildGuardian.objects.filter(child__organization=org).count(),
        "accounts": PersonalAccount.objects.filter(organization=org).count(),
        "events": MovementEvent.objects.filter(organization=org).count(),
        "orders": Order.objects.filter(organization=org).count(),
        "audit": AuditRecord.objects.filter(organization=org).count(),
    }


class TestChildrenXlsx:
    def test_it_imports_forty_children_with_guardians_accounts_and_groups(self, ds24):  # noqa: F811
        report = run(ds24, "children.xlsx")

        assert report.committed and report.faults == []
        assert report.counts["children"] == 40
        assert report.counts["guardians_created"] == 66
        assert report.counts["initial"] == 6
        relations = ChildGuardian.objects.filter(child__organization=ds24)
        assert relations.filter(relation=Relation.MOTHER).count() == 40
        assert relations.filter(relation=Relation.FATHER).count() == 26
        assert Guardian.objects.filter(organization=ds24).count() == 66
        groups = groups_of(ds24)
        for name in ("Капелька", "Солнышко", "Звёздочки", "Радуга", "Почемучки"):
            assert children_in(groups[name], SEPT_2026).count() == 8, name
        numbers = set(
            PersonalAccount.objects.filter(organization=ds24).values_list("number", flat=True)
        )
        assert numbers == {f"24{i:04d}" for i in range(1, 41)}

    def test_each_row_keeps_its_values(self, ds24):  # noqa: F811
        run(ds24, "children.xlsx")
        # Row 5: Федосеев Макар Ефремович, 06.09.2022, М, VIII-АГ 875054, 576-963-955 79,
        # «Младшая группа «Солнышко»», 01.09.2026, 240002, father «8 (997) 878-42-88».
        child = Child.objects.get(organization=ds24, last_name="Федосеев", first_name="Макар")
        assert child.patronymic == "Ефремович"
        assert child.birth_date == dt.date(2022, 9, 6)
        assert child.sex == "M"
        assert (child.birth_certificate_series, child.birth_certificate_number) == (
            "VIII-АГ",
            "875054",
        )
        assert child.snils == "576-963-955 79"
        assert child.address == "к. Братск, ул. Высоковольтная, д. 57 к. 9, 319722"
        assert group_of(child, SEPT_2026).name == "Солнышко"
        assert child.accounts.get().number == "240002"
        links = {link.relation: link.guardian for link in child.guardian_links.all()}
        assert links[Relation.MOTHER].full_name == "Федосеева Анжела Тимофеевна"
        assert links[Relation.MOTHER].phone == "+79974117320"
        assert links[Relation.MOTHER].email == "parent2@example.ru"
        assert links[Relation.FATHER].full_name == "Федосеев Михей Александрович"
        assert links[Relation.FATHER].phone == "+79978784288"

    def test_children_enrolled_before_the_system_are_initial_data_in_a_closed_year(self, ds24):  # noqa: F811
        report = run(ds24, "children.xlsx")

        initial = [r.row for r in report.results if r.initial]
        assert initial == INITIAL_ROWS
        events = MovementEvent.objects.filter(organization=ds24).select_related("order", "child")
        early = [e for e in events if e.on == SEPT_2025]
        assert len(early) == 6 and all(e.order.is_initial_data for e in early)
        # Row 4: Кулакова Мария — «Капелька» since 01.09.2025 (the 2025/26 year is closed).
        kulakova = Child.objects.get(organization=ds24, last_name="Кулакова", first_name="Мария")
        assert group_of(kulakova, SEPT_2025).name == "Капелька"
        later = [e for e in events if e.on == SEPT_2026]
        assert len(later) == 34
        assert {e.order.number for e in later} == {"150-в"}
        assert Order.objects.filter(organization=ds24).count() == 2  # 150-в and the marker

    def test_reimport_adds_and_changes_nothing(self, ds24):  # noqa: F811
        run(ds24, "children.xlsx")
        before = written(ds24)
        snapshot = list(Child.objects.filter(organization=ds24).values().order_by("pk"))

        report = run(ds24, "children.xlsx")

        assert not report.committed and report.faults == []
        assert report.counts["children"] == 0 and report.counts["existing"] == 40
        assert written(ds24) == before
        assert list(Child.objects.filter(organization=ds24).values().order_by("pk")) == snapshot

    def test_the_preview_writes_nothing(self, ds24):  # noqa: F811
        before = written(ds24)
        report = run(ds24, "children.xlsx", dry_run=True)
        assert report.ready and not report.committed
        assert report.counts["children"] == 40 and report.counts["guardians_created"] == 66
        assert written(ds24) == before

    def test_initial_data_option_puts_every_enrollment_on_the_marker(self, ds24):  # noqa: F811
        report = run(ds24, "children.xlsx", ImportOptions(initial_data=True))
        assert report.committed
        orders = Order.objects.filter(organization=ds24)
        assert [o.is_initial_data for o in orders] == [True]
        assert MovementEvent.objects.filter(order=orders[0]).count() == 40

    def test_an_existing_order_of_the_same_number_and_date_is_reused(self, ds24):  # noqa: F811
        run(ds24, "children_combined.csv")
        report = run(ds24, "children.xlsx")
        assert report.committed and report.order_reused
        assert MovementEvent.objects.filter(order__number="150-в").count() == 5 + 34

    def test_an_order_number_taken_by_another_order_blocks_the_import(self, ds24):  # noqa: F811
        Order.objects.create(
            organization=ds24, number="150-в", date=dt.date(2026, 3, 2), kind="withdraw"
        )
        before = written(ds24)
        report = run(ds24, "children.xlsx")
        assert not report.committed
        assert [str(f) for f in report.file_faults] == [
            "файл: приказ № 150-в за 2026 год уже есть (приказ № 150-в от 02.03.2026, "
            "об отчислении): укажите другой номер"
        ]
        assert written(ds24) == before


class TestCombinedCsv:
    def test_windows_1251_semicolon_csv_with_one_name_column(self, ds24):  # noqa: F811
        report = run(ds24, "children_combined.csv")

        assert report.committed
        assert report.parsed.encoding == "Windows-1251" and report.parsed.delimiter == ";"
        assert report.counts["children"] == 5 and report.counts["guardians_created"] == 5
        groups = groups_of(ds24)
        placed = {
            group_of(c, SEPT_2026).name: c.full_name
            for c in Child.objects.filter(organization=ds24)
        }
        assert placed == {
            "Капелька": "Михайлова Варвара Егоровна",
            "Солнышко": "Зыкова Элеонора Егоровна",
            "Звёздочки": "Пономарев Модест Матвеевич",
            "Радуга": "Елисеева София Максимовна",
            "Почемучки": "Иванов Болеслав Фёдорович",
        }
        assert children_in(groups["Почемучки"], SEPT_2026).get().birth_date == dt.date(2020, 2, 14)
        ivanov = Child.objects.get(organization=ds24, last_name="Иванов")
        assert ivanov.sex == "M"
        link = ivanov.guardian_links.select_related("guardian").get()
        assert link.guardian.full_name == "Иванова Наталья Тимофеевна"
        assert link.guardian.phone == "+79476275748"
        assert link.relation == Relation.MOTHER  # «Родитель» with a female patronymic

    def test_the_same_file_in_utf8_with_commas_gives_the_same_result(self, ds24):  # noqa: F811
        text = sample("children_combined.csv").decode("cp1251").replace(";", ",")
        report = run(ds24, "list.csv", content=text.encode("utf-8-sig"))
        assert report.committed and report.counts["children"] == 5
        assert report.parsed.delimiter == "," and report.parsed.encoding == "UTF-8"


BROKEN_FAULTS = [
    (5, "Дата рождения", "не указана дата рождения"),
    (6, "Дата рождения", "дата рождения не может быть в будущем (01.05.2027)"),
    (7, "СНИЛС", "неверные контрольные цифры (должны быть 95)"),
    (8, "Группа", "группа «Непоседы» не найдена"),
    (11, "Дата рождения", "такой даты нет: «31.02.2021»"),
    (12, "Фамилия", "не указана фамилия"),
    (14, "Мать: телефон", "телефон «12-34» не похож на номер"),
    (15, "Пол", "пол «X» не распознан"),
    (16, "Свидетельство о рождении: номер", "тот же ребёнок, что в строке 4"),
]


class TestBrokenXlsx:
    def test_all_nine_mistakes_are_reported_and_nothing_is_written(self, ds24):  # noqa: F811
        before = written(ds24)
        report = run(ds24, "children_broken.xlsx")

        assert not report.committed
        faults = report.faults
        assert [(f.row, f.column) for f in faults] == [(r, c) for r, c, _ in BROKEN_FAULTS]
        for fault, (_row, _column, text) in zip(faults, BROKEN_FAULTS, strict=True):
            assert fault.message.startswith(text), fault
        assert report.parsed.empty_rows == [9, 10]
        assert [r.row for r in report.new] == [4, 13, 17]
        assert written(ds24) == before

    def test_only_valid_rows_when_chosen_before_the_run(self, ds24):  # noqa: F811
        report = run(
            ds24,
            "children_broken.xlsx",
            ImportOptions(order_number="150-в", order_date=SEPT_2026, valid_only=True),
        )

        assert report.committed and len(report.faults) == 9
        names = sorted(Child.objects.filter(organization=ds24).values_list("last_name", flat=True))
        assert names == ["Комарова", "Кулагин", "Фомичева"]
        # each written row is whole: child, mother (and father), account, enrollment
        kulagin = Child.objects.get(organization=ds24, last_name="Кулагин")
        assert kulagin.guardian_links.count() == 2
        assert kulagin.accounts.get().number == "240008"
        assert group_of(kulagin, SEPT_2025).name == "Звёздочки"


class TestCapacity:
    def test_over_capacity_needs_confirmation(self, ds24):  # noqa: F811
        kapelka = groups_of(ds24)["Капелька"]
        kapelka.capacity = 5
        kapelka.save()
        before = written(ds24)

        preview = run(ds24, "children.xlsx", dry_run=True)
        assert preview.warnings == [
            "В группе «Капелька» на 01.09.2026 будет 8 детей при наполняемости 5."
        ]
        assert preview.ready and preview.needs_confirmation

        refused = run(ds24, "children.xlsx")
        assert not refused.committed
        assert [(f.row, f.column) for f in refused.faults] == [
            (24, "Группа"),
            (29, "Группа"),
            (34, "Группа"),
        ]
        assert written(ds24) == before

        confirmed = run(
            ds24,
            "children.xlsx",
            ImportOptions(order_number="150-в", order_date=SEPT_2026, confirm_over_capacity=True),
        )
        assert confirmed.committed
        assert children_in(kapelka, SEPT_2026).count() == 8
        assert (
            MovementEvent.objects.filter(group=kapelka, over_capacity_confirmed=True).count() == 3
        )


class TestRules:
    def test_an_order_or_initial_data_is_required(self, ds24):  # noqa: F811
        with pytest.raises(ValidationError) as exc:
            run(ds24, "children.xlsx", ImportOptions())
        assert set(exc.value.message_dict) == {"order_number", "order_date"}

    @pytest.mark.parametrize("role", ["educator", "head"])
    def test_roles_without_write_rights_cannot_import(self, ds24, role):  # noqa: F811
        with pytest.raises(PermissionDenied):
            run(ds24, "children.xlsx", role=role)

    def test_hr_may_import(self, ds24):  # noqa: F811
        assert run(ds24, "children_combined.csv", role="hr").committed

    def test_the_import_leaves_one_summary_audit_record(self, ds24):  # noqa: F811
        run(ds24, "children_combined.csv")
        summary = AuditRecord.objects.get(organization=ds24, kind="movement.children_import")
        assert summary.changes["children"] == 5 and summary.changes["guardians_created"] == 5
        assert summary.changes["order"] == "№ 150-в от 01.09.2026"
        created = AuditRecord.objects.filter(
            organization=ds24, kind="people.child", action="create"
        )
        assert created.count() == 5

    def test_siblings_share_their_parents(self, ds24):  # noqa: F811
        rows = [
            "ФИО;Дата рождения;Пол;Группа;Дата зачисления;Мать;Телефон матери",
            "Орлов Иван Петрович;01.02.2021;М;Радуга;01.09.2026;Орлова Анна Ивановна;+7 900 111-22-33",
            "Орлова Мария Петровна;03.04.2023;Ж;Солнышко;01.09.2026;Орлова Анна Ивановна;8 900 111 22 33",
        ]
        report = run(ds24, "siblings.csv", content="\r\n".join(rows).encode("cp1251"))
        assert report.counts["guardians_created"] == 1 and report.counts["guardians_linked"] == 1
        mother = Guardian.objects.get(organization=ds24)
        assert mother.child_links.count() == 2

    def test_a_child_with_the_same_name_and_birth_date_but_another_certificate_is_a_fault(
        self,
        ds24,  # noqa: F811
    ):
        run(ds24, "children.xlsx")  # row 4: Кулакова Мария Харитоновна, IV-АГ 277601
        rows = [
            "Фамилия;Имя;Отчество;Дата рождения;Пол;Свидетельство о рождении",
            "Кулакова;Мария;Харитоновна;06.04.2024;ж;II-АГ № 111222",
        ]
        report = run(ds24, "again.csv", content="\r\n".join(rows).encode("utf-8"))
        assert [(f.row, f.column) for f in report.faults] == [(2, "Свидетельство о рождении")]
        assert report.faults[0].message == (
            "в системе уже есть ребёнок с теми же ФИО и датой рождения, но со свидетельством "
            "IV-АГ 277601"
        )

    def test_a_matched_child_without_certificate_in_the_file_is_recognised_by_name(self, ds24):  # noqa: F811
        run(ds24, "children.xlsx")
        rows = ["ФИО;Дата рождения;Пол", "Кулакова Мария Харитоновна;06.04.2024;Ж"]
        report = run(ds24, "short.csv", content="\n".join(rows).encode("utf-8"))
        assert report.counts["existing"] == 1 and not report.faults

    def test_an_account_number_of_another_child_is_a_fault_of_its_row(self, ds24):  # noqa: F811
        run(ds24, "children_combined.csv")
        child = Child.objects.get(organization=ds24, last_name="Иванов")
        PersonalAccount.objects.create(organization=ds24, child=child, number="240001")
        report = run(ds24, "children.xlsx")
        assert [(f.row, f.column) for f in report.faults] == [(4, "Лицевой счёт")]
        assert report.faults[0].message == "лицевой счёт 240001 уже принадлежит другому ребёнку"
        assert not report.committed

    def test_missing_enrollment_date_takes_the_order_date(self, ds24):  # noqa: F811
        rows = ["ФИО;Дата рождения;Пол;Группа", "Орлов Иван Петрович;01.02.2021;М;Радуга"]
        report = run(ds24, "no-date.csv", content="\n".join(rows).encode("utf-8"))
        assert report.committed
        child = Child.objects.get(organization=ds24)
        assert group_of(child, SEPT_2026).name == "Радуга"
        assert Placement.objects.get(child=child).start == SEPT_2026
