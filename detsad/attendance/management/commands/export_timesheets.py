"""``manage.py export_timesheets --organization ID --month YYYY-MM --format pdf|xlsx --output DIR``

Writes the timesheets 0504608 of every active group of the organization for the month:
one PDF with a page per group, or one XLSX file per group. Prints the paths written.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from detsad.attendance import timesheet as form
from detsad.attendance.converters import check_year
from detsad.attendance.sheet import month_sheet
from detsad.core.access import local_today
from detsad.core.models import Group, Organization


def _month(value: str) -> dt.date:
    try:
        year, month = (int(p) for p in value.split("-"))
        return check_year(dt.date(year, month, 1))
    except (ValueError, TypeError):
        raise CommandError("Месяц: ГГГГ-ММ, например 2026-10.") from None


class Command(BaseCommand):
    help = "Выгружает табели посещаемости (ф. 0504608) всех групп детского сада за месяц."

    def add_arguments(self, parser):
        parser.add_argument("--organization", type=int, required=True, help="id детского сада")
        parser.add_argument("--month", required=True, help="ГГГГ-ММ")
        parser.add_argument("--format", choices=["pdf", "xlsx"], default="pdf")
        parser.add_argument("--output", required=True, help="папка для файлов")

    def handle(self, *args, organization, month, format, output, **options):
        org = Organization.objects.select_related("municipality").filter(pk=organization).first()
        if org is None:
            raise CommandError(f"Детский сад с id {organization} не найден.")
        first = _month(month)
        folder = Path(output)
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise CommandError(f"Папка {folder}: не удаётся создать ({exc.strerror}).") from None
        today = local_today(org.municipality)
        groups = Group.objects.filter(organization=org, archived_at__isnull=True).select_related(
            "organization"
        )
        sheets = [month_sheet(g, first, today=today) for g in groups.order_by("name")]
        if not sheets:
            raise CommandError("В детском саду нет групп.")
        written = []
        if format == "pdf":
            path = folder / form.batch_filename(org, first, "pdf")
            path.write_bytes(form.timesheets_pdf(sheets))
            written.append(path)
        else:
            for sheet in sheets:
                path = folder / form.filename(sheet, first, "xlsx")
                path.write_bytes(form.timesheet_xlsx(sheet))
                written.append(path)
        for path in written:
            self.stdout.write(str(path))
        self.stdout.write(
            self.style.SUCCESS(
                f"Табелей: {len(sheets)}, файлов: {len(written)} ({org.short_name})."
            )
        )
