"""``manage.py import_payments FILE --organization ID``: import a 1C bank statement or a bank
registry and print how many payments were credited and left unmatched, with sums."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from detsad.core.access import Actor
from detsad.core.models import Organization
from detsad.core.text import format_money
from detsad.fees.services import payment_import_file


def money(kopecks) -> str:
    return format_money(kopecks, space=" ")


class Command(BaseCommand):
    help = "Загружает банковскую выписку (1CClientBankExchange) или реестр платежей банка."

    def add_arguments(self, parser):
        parser.add_argument("file", help="файл в кодировке Windows-1251")
        parser.add_argument("--organization", type=int, required=True, help="id организации")

    def handle(self, *args, file, organization, **options):
        org = Organization.objects.filter(pk=organization).first()
        if org is None:
            raise CommandError(f"Нет организации с id {organization}.")
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"Нет файла {file}.")
        try:
            result = payment_import_file(
                actor=Actor.system(organization=org),
                organization=org,
                content=path.read_bytes(),
                file_name=path.name,
            )
        except ValidationError as exc:
            raise CommandError("Файл не загружен:\n" + "\n".join(exc.messages)) from None
        if result.already is not None:
            self.stdout.write(
                f"Файл уже загружен {result.already.created_at:%d.%m.%Y %H:%M}: "
                "ничего не зачислено повторно."
            )
            self.stdout.write("Зачислено: 0 на сумму 0,00")
            self.stdout.write("Не распознано: 0 на сумму 0,00")
            return
        self.stdout.write(f"Сумма по файлу: {money(result.total)}")
        self.stdout.write(
            f"Зачислено: {len(result.credited)} на сумму {money(result.credited_sum)}"
        )
        self.stdout.write(
            f"Не распознано: {len(result.unmatched)} на сумму {money(result.unmatched_sum)}"
        )
        if result.duplicates:
            self.stdout.write(
                f"Загружены ранее (пропущены): {len(result.duplicates)} "
                f"на сумму {money(result.duplicate_sum)}"
            )
        for payment in result.unmatched:
            self.stdout.write(
                f"  не распознан: № {payment.doc_number} от {payment.paid_on:%d.%m.%Y}, "
                f"{money(payment.amount)} — {payment.purpose}"
            )
