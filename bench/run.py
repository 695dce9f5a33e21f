"""``make bench`` / ``python -m bench.run``: server time and SQL of Detsad's key pages.

Builds the demo district on a fresh database (SQLite file in var/bench/, or a fresh
PostgreSQL database when DATABASE_URL points to a server; bench/database.py), then, in this
process with Django's test client and warm caches, measures for every page of
bench/pages.py: median and p95 server time, SQL queries per request (and their time), the
floor (minimal SQL fetching the same data) and the page/floor ratio, against the targets.
Writes bench/results/latest.json and latest.md (plus copies named after the database and
scale) and prints the table.

Examples::

    make bench                                   # district on SQLite (or PostgreSQL)
    make bench BENCH_ARGS="--small"              # tiny dataset, seconds (CI)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/detsad make bench
    make bench BENCH_ARGS="--scale region --reuse"   # PostgreSQL; build once, then reuse
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import sys
import time
from pathlib import Path

from . import database

RESULTS = Path(__file__).resolve().parent / "results"


def parse_args(argv=None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n")[0])
    p.add_argument("--scale", choices=["demo", "district", "region"], default="district")
    p.add_argument(
        "--small",
        action="store_true",
        help="крошечный набор (масштаб demo, 5 повторов) — для CI, секунды",
    )
    p.add_argument("--engine", choices=["auto", "sqlite", "postgres"], default="auto")
    p.add_argument("--db-name", help="файл SQLite или имя базы PostgreSQL для замеров")
    p.add_argument(
        "--reuse", action="store_true", help="не строить данные заново, если база заполнена"
    )
    p.add_argument("--drop", action="store_true", help="удалить базу замеров после прогона")
    p.add_argument("--repeat", type=int, default=None, help="замеров на страницу (30)")
    p.add_argument("--warmup", type=int, default=3, help="прогревочных запросов на страницу")
    p.add_argument("--pages", help="только эти страницы (имена через запятую)")
    p.add_argument("--out", type=Path, default=RESULTS, help="куда писать результаты")
    args = p.parse_args(argv)
    if args.small:
        args.scale = "demo"
        args.repeat = args.repeat or 5
        args.warmup = min(args.warmup, 1)
    args.repeat = args.repeat or 30
    return args


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of a non-empty list."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]


def machine() -> dict:
    """The machine the numbers were taken on."""
    import platform

    import django
    from django.db import connection

    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem_kb = next(
            int(line.split()[1])
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        )
    except (OSError, StopIteration):
        mem_kb = 0
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("SHOW server_version")
        else:
            cur.execute("SELECT sqlite_version()")
        db_version = cur.fetchone()[0]
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": round(mem_kb / 1024 / 1024, 1),
        "os": platform.platform(),
        "python": platform.python_version(),
        "django": django.get_version(),
        "database": f"{connection.vendor} {db_version}",
    }


def dataset() -> dict:
    from detsad.accounts.models import User
    from detsad.core.models import Group, Organization
    from detsad.movement.models import MovementEvent
    from detsad.people.models import Child, Guardian, Staff

    counts = {
        "organizations": Organization.objects.count(),
        "groups": Group.objects.count(),
        "children": Child.objects.count(),
        "guardians": Guardian.objects.count(),
        "staff": Staff.objects.count(),
        "users": User.objects.count(),
        "movement_events": MovementEvent.objects.count(),
    }
    try:  # apps that join later add their big tables here
        from detsad.attendance.models import AttendanceMark

        counts["attendance_marks"] = AttendanceMark.objects.count()
    except ImportError:  # pragma: no cover
        pass
    return counts


def time_floor(sql: list, repeat: int, warmup: int) -> float:
    """Median milliseconds of running the floor SQL with a bare cursor (rows fetched)."""
    from django.db import connection

    def once():
        with connection.cursor() as cur:
            for statement, params in sql:
                cur.execute(statement, params)
                if cur.description is not None:  # a write (the upsert floor) returns no rows
                    cur.fetchall()

    return statistics.median(timed_runs(once, max(repeat, 3), max(warmup, 1))[0])


def timed_runs(fn, repeat: int, warmup: int, prepare=None) -> tuple[list[float], list[float]]:
    """Call `fn` `warmup` times untimed, then `repeat` times. Returns milliseconds per call:
    wall-clock time, and this thread's CPU time (far less inflated than wall time when other
    processes share the machine; it leaves out PostgreSQL's own work). With `prepare`,
    ``fn(prepare())`` — the preparation untimed."""

    def arg():
        return (prepare(),) if prepare else ()

    for _ in range(warmup):
        fn(*arg())
    wall, cpu = [], []
    for _ in range(repeat):
        args = arg()
        c0, t0 = time.thread_time(), time.perf_counter()
        fn(*args)
        wall.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.thread_time() - c0) * 1000)
    return wall, cpu


def measure(page, fixture, clients: dict, repeat: int, warmup: int) -> dict:
    """Time one page: warm-up, `repeat` timed runs, one more run counting queries.

    A page may ask for fewer runs (heavy actions: ``Page.repeat``/``warmup``); never more
    than the run's own `repeat` (``--small`` stays seconds)."""
    from django.db import connection
    from django.test import Client

    if page.repeat is not None:
        repeat = min(repeat, page.repeat)
    if page.warmup is not None:
        warmup = min(warmup, page.warmup)
    prepare = None
    if page.call is not None:
        if page.prepare is not None:

            def prepare():
                return page.prepare(fixture)

        def once(prepared=None):
            page.call(fixture, prepared)
            return None
    else:
        client = clients.get(page.login)
        if client is None:
            client = clients[page.login] = Client()
            client.force_login(fixture.user(page.login))
        url = page.url(fixture)
        if page.data is not None:

            def prepare():
                return page.data(fixture)

        def once(data=None):
            response = (
                getattr(client, page.method)(url, data)
                if data
                else getattr(client, page.method)(url)
            )
            if response.status_code != page.status:
                raise RuntimeError(
                    f"{page.name}: {url} ответил {response.status_code}, ждали {page.status}"
                )
            return response

    samples, cpu = timed_runs(once, repeat, warmup, prepare)
    captured: list[tuple[str, float]] = []

    def timed(execute, sql, params, many, context):
        t0 = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            captured.append((sql, (time.perf_counter() - t0) * 1000))

    prepared = prepare() if prepare else None
    with connection.execute_wrapper(timed):
        once(prepared)
    # SQLite's "BEGIN IMMEDIATE" (settings: transaction_mode) is a statement of its own;
    # PostgreSQL opens transactions without one. Not counted, so both show the same number.
    captured = [(sql, ms) for sql, ms in captured if not sql.lstrip().upper().startswith("BEGIN")]
    queries = len(captured)
    sql_ms = sum(ms for _sql, ms in captured)
    floor_ms = time_floor(page.floor(fixture), repeat, warmup)
    median = statistics.median(samples)
    p95 = percentile(samples, 95)
    from .pages import RATIO_TARGET

    ratio = median / floor_ms if floor_ms else None
    return {
        "name": page.name,
        "title": page.title,
        "url": page.url(fixture) if page.url else None,
        "login": page.login,
        "runs": repeat,
        "median_ms": round(median, 2),
        "p95_ms": round(p95, 2),
        "min_ms": round(min(samples), 2),
        "cpu_median_ms": round(statistics.median(cpu), 2),
        "queries": queries,
        "max_queries": page.max_queries,
        "sql_in_page_ms": round(sql_ms, 2),
        "sql": [sql[:300] for sql, _ms in captured],
        "floor_ms": round(floor_ms, 3),
        "ratio": round(ratio, 1) if ratio else None,
        "target_p95_ms": page.target_ms,
        "target_ratio": RATIO_TARGET,
        "p95_ok": p95 <= page.target_ms,
        "queries_ok": page.max_queries is None or queries <= page.max_queries,
        "ratio_ok": ratio is not None and ratio <= RATIO_TARGET,
    }


def markdown(result: dict) -> str:
    meta = result["meta"]
    data = ", ".join(f"{k} {v:,}".replace(",", "\u202f") for k, v in meta["dataset"].items())
    m = meta["machine"]
    lines = [
        f"# Замеры Детсада: {meta['database']}, масштаб {meta['scale']}",
        "",
        f"- Дата: {meta['date']}; коммит {meta['commit'] or '—'}",
        f"- Машина: {m['cpu']}, {m['cores']} ядра, {m['memory_gb']} ГБ; {m['os']}; "
        f"Python {m['python']}, Django {m['django']}, {m['database']}",
        f"- Данные: {data}",
        f"- Средняя загрузка машины (load average) после замеров: {meta['load_average']}",
        "- Построение данных: "
        + (
            f"{meta['build_seconds']:.1f} с"
            if meta["build_seconds"] is not None
            else "база взята готовой"
        ),
        f"- Замеров на страницу: {meta['repeat']} (после {meta['warmup']} прогревочных); "
        "время — на сервере, в процессе (тестовый клиент Django); CPU — медиана времени "
        "процессора этого потока (без работы сервера PostgreSQL)",
        "",
        "| Страница | медиана, мс | p95, мс | цель p95 | CPU, мс | запросов (предел) "
        "| SQL в странице, мс | пол SQL, мс | страница/пол | итог |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for r in result["pages"]:
        verdict = []
        if not r["p95_ok"]:
            verdict.append("p95 выше цели")
        if not r["queries_ok"]:
            verdict.append("запросов больше предела")
        if not r["ratio_ok"]:
            verdict.append(f"> {r['target_ratio']:g}× пола")
        bound = f" ({r['max_queries']})" if r["max_queries"] is not None else ""
        lines.append(
            f"| {r['title']} (`{r['name']}`) | {r['median_ms']:.1f} | {r['p95_ms']:.1f} | "
            f"{r['target_p95_ms']:g} | {r['cpu_median_ms']:.1f} | {r['queries']}{bound} | "
            f"{r['sql_in_page_ms']:.1f} | "
            f"{r['floor_ms']:.2f} | {r['ratio'] if r['ratio'] is not None else '—'}× | "
            f"{'; '.join(verdict) or 'в цели'} |"
        )
    return "\n".join(lines) + "\n"


def git_commit() -> str | None:
    import subprocess

    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=database.ROOT,
            capture_output=True,
            text=True,
            timeout=5,
        )
        return out.stdout.strip() or None
    except OSError:
        return None


def main(argv=None) -> int:
    args = parse_args(argv)
    db = database.choose(scale=args.scale, engine=args.engine, name=args.db_name)
    database.export(db)
    sys.path.insert(0, str(database.ROOT))
    import django

    django.setup()
    from django.db import connections
    from django.utils import timezone

    from .fixture import Fixture
    from .pages import PAGES

    build_seconds = database.build(db, scale=args.scale, reuse=args.reuse)
    pages = PAGES
    if args.pages:
        wanted = set(args.pages.split(","))
        unknown = wanted - {p.name for p in PAGES}
        if unknown:
            raise SystemExit(f"Нет таких страниц: {', '.join(sorted(unknown))}")
        pages = [p for p in PAGES if p.name in wanted]
    fixture = Fixture()
    clients: dict = {}
    results = []
    for page in pages:
        print(f"… {page.name}", file=sys.stderr, flush=True)
        results.append(measure(page, fixture, clients, args.repeat, args.warmup))
    result = {
        "meta": {
            "date": timezone.now().strftime("%Y-%m-%d %H:%M UTC"),
            "commit": git_commit(),
            "scale": args.scale,
            "database": db.vendor,
            "database_name": db.label,
            "build_seconds": build_seconds,
            "repeat": args.repeat,
            "warmup": args.warmup,
            "machine": machine(),
            "load_average": round(os.getloadavg()[0], 1),  # other processes skew the numbers
            "dataset": dataset(),
        },
        "pages": results,
    }
    connections.close_all()
    if args.drop:
        database.drop(db)
    args.out.mkdir(parents=True, exist_ok=True)
    text = markdown(result)
    for stem in ("latest", f"{db.vendor}-{args.scale}"):
        (args.out / f"{stem}.json").write_text(
            json.dumps(result, ensure_ascii=False, indent=2) + "\n"
        )
        (args.out / f"{stem}.md").write_text(text)
    print(text)
    print(f"Результаты: {args.out / 'latest.json'}, {args.out / 'latest.md'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
