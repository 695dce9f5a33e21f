"""``manage.py import_children FILE --organization ID`` — the children import from a shell.

Runs the same import as the page (detsad.movement.children_import) as the system actor of
the organization: one order (``--order-number`` and ``--order-date``) or ``--initial-data``;
``--valid-only`` writes the rows without faults and skips the rest; ``--dry-run`` only
checks; a group over capacity needs ``--confirm-over-capacity``; enrollments that change a
closed attendance/fees month need ``--correction-reason``. Prints the report; exits
with an error (and writes nothing) when a fault blocks the import.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from detsad.core.access import Actor
from detsad.core.models import Organization
from detsad.movement.children_import import ImportOptions, children_import
from detsad.people.importing import parse_date


def _date(value: str) -> dt.date:
    try:
        day = parse_date(value)
    except ValueError as exc:
        raise CommandError(f"Дата приказа (--order-date): {exc}.") from None
    if day is None:
        raise CommandError("Укажите дату приказа в виде ДД.ММ.ГГГГ: --order-date 01.09.2026.")
    return day


def _known_organizations() -> str:
    """«Детские сады: 1 — МБДОУ д/с № 24; 2 — …» (the first 20) for error messages."""
    rows = list(Organization.objects.order_by("pk").values_list("pk", "short_name")[:20])
    if not rows:
        return "Детских садов в базе нет."
    return "Детские сады: " + "; ".join(f"{pk} — {name}" for pk, name in rows) + "."


class Command(BaseCommand):
    help = "Загружает список детей (XLSX или CSV) в детский сад: личные дела, родители, лицевые счета, зачисление."

    def add_arguments(self, parser):
        parser.add_argument("file", help="файл .xlsx или .csv")
        parser.add_argument("--organization", type=int, help="id детского сада (обязательно)")
        parser.add_argument("--order-number", default="", help="номер приказа о зачислении")
        parser.add_argument("--order-date", default="", help="дата приказа, ДД.ММ.ГГГГ")
        parser.add_argument(
            "--initial-data",
            action="store_true",
            help="зачисления — начальные данные (история до внедрения системы), без приказа",
        )
        parser.add_argument(
            "--valid-only",
            action="store_true",
            help="записать строки без ошибок, строки с ошибками пропустить",
        )
        parser.add_argument(
            "--confirm-over-capacity",
            action="store_true",
            help="подтвердить превышение наполняемости групп",
        )
        parser.add_argument(
            "--correction-reason",
            default="",
            help="причина исправления, если даты зачисления попадают в закрытый месяц "
            "(табель посещаемости или родительская плата)",
        )
        parser.add_argument("--dry-run", action="store_true", help="только проверить файл")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"Файл «{path}» не найден.")
        if options["organization"] is None:
            raise CommandError("Укажите детский сад: --organization ID. " + _known_organizations())
        organization = Organization.objects.filter(pk=options["organization"]).first()
        if organization is None:
            raise CommandError(
                f"Детский сад с id {options['organization']} не найден. " + _known_organizations()
            )
        if options["initial_data"] and (options["order_number"] or options["order_date"]):
            raise CommandError(
                "Укажите либо приказ (--order-number, --order-date), либо --initial-data."
            )
        import_options = ImportOptions(
            order_number=options["order_number"],
            order_date=_date(options["order_date"]) if options["order_date"] else None,
            initial_data=options["initial_data"],
            valid_only=options["valid_only"],
            confirm_over_capacity=options["confirm_over_capacity"],
            correction_reason=options["correction_reason"],
        )
        try:
            report = children_import(
                actor=Actor.system(organization=organization),
                organization=organization,
                content=path.read_bytes(),
                filename=path.name,
                options=import_options,
                dry_run=options["dry_run"],
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        for line in report.lines():
            self.stdout.write(line)
        if report.committed:
            self.stdout.write(self.style.SUCCESS("Список загружен."))
        elif options["dry_run"]:
            self.stdout.write("Проверка закончена, ничего не записано.")
        elif not report.new and not report.faults:
            self.stdout.write("Все дети из файла уже есть в системе — ничего не добавлено.")
        else:
            raise CommandError(
                "Ничего не записано: исправьте ошибки в файле или запустите с --valid-only, "
                "чтобы записать только строки без ошибок. Превышение наполняемости "
                "подтверждается флагом --confirm-over-capacity, зачисление в закрытом месяце — "
                "параметром --correction-reason «причина»."
            )
