"""Build the demo district: ``manage.py demo_district [--scale demo|district|region] [--if-empty]``.

``--scale region`` streams 1,500 kindergartens (~300,000 children) in batches committed one
by one (see detsad/core/demo.py); it is meant for PostgreSQL.
"""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from detsad.core.demo import SCALES, DemoContext, max_rss_mb, run
from detsad.core.models import Municipality


class Command(BaseCommand):
    help = "Создаёт демонстрационный район «Кавказский район» с детскими садами, группами и личными делами."

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            choices=sorted(SCALES),
            default="demo",
            help=(
                "demo: 3 ДОО, ~250 детей; district: 30 ДОО, ~6000 детей, ~1000 сотрудников "
                "(для замеров); region: 1500 ДОО, ~300 000 детей (потоком, для PostgreSQL)."
            ),
        )
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument(
            "--organizations",
            type=int,
            default=None,
            help="Сколько ДОО создать (по умолчанию — как задано масштабом).",
        )
        parser.add_argument(
            "--batch-size",
            type=int,
            default=None,
            help="Сколько ДОО создавать в одной транзакции (масштаб region: 25).",
        )
        parser.add_argument(
            "--if-empty", action="store_true", help="Ничего не делать, если данные уже есть."
        )
        parser.add_argument("--quiet", action="store_true")

    def handle(self, *args, scale, seed, organizations, batch_size, if_empty, quiet, **options):
        if Municipality.objects.exists():
            if if_empty:
                return
            raise CommandError("База данных не пуста: демо-данные создаются только в пустой базе.")
        if batch_size is not None and batch_size < 2:
            raise CommandError("--batch-size: не меньше 2 (демо-входы занимают две ДОО).")
        if scale == "region" and connection.vendor == "sqlite" and not quiet:
            self.stderr.write(
                "Внимание: масштаб region рассчитан на PostgreSQL (DATABASE_URL=postgres://…)."
            )
        started = time.monotonic()
        ctx = DemoContext(
            scale=scale,
            seed=seed,
            verbose=not quiet,
            organization_count=organizations,
            batch_size=batch_size,
        )
        run(ctx)
        if connection.vendor == "postgresql":
            # Fresh planner statistics after a bulk load (PostgreSQL's advice; autovacuum
            # would do it later, and some servers run without it); VACUUM also sets the
            # visibility map, without which covering indexes are not read alone
            # (index-only scans of the attendance reports). VACUUM needs autocommit.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
        if not quiet:
            totals = ", ".join(f"{k}: {v}" for k, v in ctx.totals.items())
            self.stdout.write(
                self.style.SUCCESS(
                    f"Демо-данные созданы за {time.monotonic() - started:.1f} с ({totals}; "
                    f"память до {max_rss_mb()} МБ)."
                )
            )
