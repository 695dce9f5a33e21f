"""Build the demo district: ``manage.py demo_district [--scale demo|district] [--if-empty]``."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from detsad.core.demo import SCALES, DemoContext
from detsad.core.models import Municipality
from detsad.core.registry import app_modules


class Command(BaseCommand):
    help = "Создаёт демонстрационный район «Кавказский район» с детскими садами, группами и личными делами."

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            choices=sorted(SCALES),
            default="demo",
            help="demo: 3 ДОО, ~250 детей; district: 30 ДОО, ~6000 детей (для замеров).",
        )
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument(
            "--if-empty", action="store_true", help="Ничего не делать, если данные уже есть."
        )
        parser.add_argument("--quiet", action="store_true")

    def handle(self, *args, scale, seed, if_empty, quiet, **options):
        if Municipality.objects.exists():
            if if_empty:
                return
            raise CommandError("База данных не пуста: демо-данные создаются только в пустой базе.")
        started = time.monotonic()
        ctx = DemoContext(scale=scale, seed=seed, verbose=not quiet)
        with transaction.atomic():
            for module in app_modules("demo"):
                if hasattr(module, "build"):
                    module.build(ctx)
            for module in app_modules("demo"):
                if hasattr(module, "finish"):
                    module.finish(ctx)
        if not quiet:
            self.stdout.write(
                self.style.SUCCESS(f"Демо-данные созданы за {time.monotonic() - started:.1f} с.")
            )
