"""manage.py close_expired_access — end the roles whose access window has passed (daily)."""

from django.core.management.base import BaseCommand

from detsad.core.access import Actor, local_today
from detsad.privacy.services import close_expired_access


class Command(BaseCommand):
    help = (
        "Закрывает доступ родителям детей, отчисленных раньше, чем "
        "GUARDIAN_ACCESS_DAYS_AFTER_WITHDRAWAL дней назад, и уволенным сотрудникам. "
        "Запускайте ежедневно."
    )

    def handle(self, *args, **options):
        closed = close_expired_access(actor=Actor.system(), today=local_today())
        self.stdout.write(
            f"Закрыто ролей родителей: {closed['parents']}, сотрудников: {closed['staff']}"
        )
