"""Print the demo logins with their roles and password."""

from django.core.management.base import BaseCommand

from detsad.accounts.demo import DEMO_LOGINS, DEMO_PASSWORD
from detsad.accounts.models import User


class Command(BaseCommand):
    help = "Печатает демонстрационные учётные записи и их роли."

    def handle(self, *args, **options):
        present = set(
            User.objects.filter(username__in=DEMO_LOGINS).values_list("username", flat=True)
        )
        if not present:
            self.stdout.write("Демо-учётных записей нет.")
            return
        self.stdout.write("")
        self.stdout.write(f"Демо-учётные записи (пароль у всех: {DEMO_PASSWORD})")
        self.stdout.write("-" * 64)
        for login, (_role, label) in DEMO_LOGINS.items():
            if login in present:
                self.stdout.write(f"  {login:<12} {label}")
        self.stdout.write("-" * 64)
