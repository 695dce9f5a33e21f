"""``manage.py fee_run --organization ID|--municipality ID --month YYYY-MM``: the monthly fee
run, executed by the task worker (or at once with ``--now``); idempotent."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from detsad.core.access import Actor
from detsad.core.models import Municipality, Organization
from detsad.core.text import format_money
from detsad.fees.models import FeeRun
from detsad.fees.services import fee_run_execute, fee_run_start, fee_run_start_municipality


def money(kopecks) -> str:
    return format_money(kopecks, space=" ")


class Command(BaseCommand):
    help = "Расчёт родительской платы за месяц для организации или всего района."

    def add_arguments(self, parser):
        target = parser.add_mutually_exclusive_group(required=True)
        target.add_argument("--organization", type=int, help="id организации")
        target.add_argument("--municipality", type=int, help="id муниципального образования")
        parser.add_argument("--month", required=True, help="месяц, ГГГГ-ММ")
        parser.add_argument(
            "--now",
            action="store_true",
            help="выполнить сразу в этом процессе, не дожидаясь обработчика задач",
        )

    def handle(self, *args, organization, municipality, month, now, **options):
        try:
            year, number = (int(p) for p in month.split("-"))
            period = dt.date(year, number, 1)
        except ValueError:
            raise CommandError("Месяц указывается как ГГГГ-ММ, например 2026-10.") from None
        try:
            if organization:
                org = Organization.objects.filter(pk=organization).first()
                if org is None:
                    raise CommandError(f"Нет организации с id {organization}.")
                runs = [
                    fee_run_start(
                        actor=Actor.system(organization=org), organization=org, period=period
                    )
                ]
                skipped = []
            else:
                mun = Municipality.objects.filter(pk=municipality).first()
                if mun is None:
                    raise CommandError(f"Нет муниципального образования с id {municipality}.")
                runs, skipped = fee_run_start_municipality(
                    actor=Actor.system(municipality=mun), municipality=mun, period=period
                )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        for line in skipped:
            self.stdout.write(f"Пропущено: {line}")
        failed = False
        for run in runs:
            if now and run.status == FeeRun.Status.QUEUED:
                run = fee_run_execute(run)
            status = run.get_status_display()
            self.stdout.write(
                f"{run.organization}: {period:%m.%Y} — {status}; детей {run.children_total}, "
                f"проводок {run.entries_count}, начислено {money(run.charged)}, "
                f"перерасчёт {money(run.adjusted)}"
            )
            if run.status == FeeRun.Status.FAILED:
                failed = True
                self.stdout.write(run.error)
            elif run.status == FeeRun.Status.QUEUED:
                self.stdout.write("  в очереди: выполнит обработчик задач (manage.py db_worker)")
        if failed:
            raise CommandError("Есть ошибки расчёта.")
