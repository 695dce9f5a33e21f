"""manage.py backup [--dir DIR] — the database and uploaded files in one archive."""

from django.core.management.base import BaseCommand, CommandError

from detsad.accounts.backup import BackupError, create_archive


class Command(BaseCommand):
    help = "Резервная копия: база данных и загруженные файлы в архив detsad-<дата-время>.tar.gz."

    def add_arguments(self, parser):
        parser.add_argument("--dir", help="Папка для архива (по умолчанию BACKUP_DIR).")

    def handle(self, *args, **options):
        try:
            path = create_archive(options.get("dir"))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(str(path))
