"""manage.py restore ARCHIVE [--yes] — replace the database and uploaded files from a backup."""

from django.core.management.base import BaseCommand, CommandError

from detsad.accounts.backup import BackupError, read_manifest, restore_archive


class Command(BaseCommand):
    help = (
        "Восстановление из резервной копии: база данных и загруженные файлы заменяются "
        "содержимым архива. Остановите сайт и обработчик задач перед восстановлением."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="Файл detsad-….tar.gz")
        parser.add_argument("--yes", action="store_true", help="Не спрашивать подтверждения.")

    def handle(self, *args, **options):
        try:
            manifest = read_manifest(options["archive"])
        except (BackupError, OSError, KeyError) as exc:
            raise CommandError(f"Не удалось прочитать архив: {exc}") from exc
        self.stdout.write(
            f"Копия от {manifest['created_at']} ({manifest['engine']}, "
            f"файлов: {manifest['media_files']})."
        )
        if not options["yes"]:
            answer = input("Текущие данные будут заменены. Введите «да», чтобы продолжить: ")
            if answer.strip().lower() not in ("да", "yes"):
                raise CommandError("Восстановление отменено.")
        try:
            restore_archive(options["archive"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS("Восстановлено."))
