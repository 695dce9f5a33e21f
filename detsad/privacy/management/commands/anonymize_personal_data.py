"""manage.py anonymize_personal_data [--dry-run] — anonymize files past the retention period."""

from django.core.management.base import BaseCommand
from django.db import transaction

from detsad.core.access import Actor, local_today
from detsad.privacy.services import anonymize_child, children_due_for_anonymization


class Command(BaseCommand):
    help = (
        "Обезличивает архивные личные дела отчисленных детей, у которых истёк срок хранения "
        "(PERSONAL_DATA_RETENTION_DAYS после последнего дня в детском саду), и их родителей."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Только показать, кого.")

    def handle(self, *args, **options):
        due = list(
            children_due_for_anonymization(today=local_today()).select_related(
                "organization__municipality"
            )
        )
        if options["dry_run"]:
            for child in due:
                self.stdout.write(
                    f"{child.organization}: {child.full_name} (последний день {child.last_day:%d.%m.%Y})"
                )
            self.stdout.write(f"Подлежат обезличиванию: {len(due)}")
            return
        guardians = 0
        for child in due:
            with transaction.atomic():
                actor = Actor.system(organization=child.organization)
                guardians += len(anonymize_child(actor=actor, child=child))
        self.stdout.write(f"Обезличено личных дел детей: {len(due)}, родителей: {guardians}")
