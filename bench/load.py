"""``make bench-load`` / ``python -m bench.load``: Detsad under gunicorn, driven by locust.

1. Builds (or reuses) the benchmark database like bench/run.py: the district on a fresh
   SQLite file, or a fresh PostgreSQL database when DATABASE_URL points to a server.
2. Picks N educators (one per group first, so every group is covered; logins
   ``educator<staff id>`` of the demo, password detsad2026).
3. Starts gunicorn (deploy/gunicorn.conf.py; 2+ workers) on a free port of 127.0.0.1 —
   the load never leaves the loopback interface.
4. Runs locust headless (bench/locustfile.py): N users, each logs in through the form,
   runs the scenario once and stops; the run ends when all are done or at --run-time.
5. Reports requests/s, p50/p95/p99 and errors per request kind and in total, runs the
   scenario's database check, stops gunicorn, writes bench/results/load-latest.{json,md}.

Scenarios: ``browse`` (home, group card, children list) and ``morning`` (each educator opens
the group's journal for the day and saves every child's mark; `verify_morning` then checks
in the database that every submitted mark is stored exactly once with the last value).
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from . import database

RESULTS = Path(__file__).resolve().parent / "results"
ROOT = database.ROOT


def parse_args(argv=None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__.split("\n")[0])
    p.add_argument("--scenario", choices=["browse", "morning"], default="browse")
    p.add_argument("--scale", choices=["demo", "district", "region"], default="district")
    p.add_argument("--small", action="store_true", help="демо-масштаб, 10 пользователей (CI)")
    p.add_argument("--engine", choices=["auto", "sqlite", "postgres"], default="auto")
    p.add_argument("--db-name")
    p.add_argument("--reuse", action="store_true")
    p.add_argument("--drop", action="store_true", help="удалить базу после прогона")
    p.add_argument("--users", type=int, default=300, help="сколько воспитателей (300)")
    p.add_argument(
        "--spawn-rate", type=float, default=None, help="входов в секунду (по умолчанию 1/с)"
    )
    p.add_argument("--run-time", type=int, default=360, help="предел прогона, секунд (360)")
    p.add_argument("--workers", type=int, default=2, help="процессов gunicorn (не меньше 2)")
    p.add_argument("--threads", type=int, default=2, help="потоков в процессе gunicorn")
    p.add_argument(
        "--day",
        help="день для сценария morning (YYYY-MM-DD); иначе последний рабочий день по сегодня",
    )
    p.add_argument("--out", type=Path, default=RESULTS)
    args = p.parse_args(argv)
    if args.small:
        args.scale, args.users = "demo", min(args.users, 10)
        args.spawn_rate = args.spawn_rate or 5
        args.run_time = min(args.run_time, 60)
    args.spawn_rate = args.spawn_rate or 1.0
    if args.workers < 2:
        raise SystemExit("--workers: не меньше 2")
    return args


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def educators(n: int, day: str) -> list[dict]:
    """N educator logins with their group: one per group first, then the second educators."""
    from detsad.accounts.demo import DEMO_PASSWORD
    from detsad.accounts.models import Membership
    from detsad.core.permissions import Role

    rows = (
        Membership.objects.filter(role=Role.EDUCATOR, is_active=True, groups__isnull=False)
        .values_list("user__username", "groups__id")
        .order_by("groups__id", "user__username")
    )
    first, second, seen = [], [], set()
    for username, group in rows:
        (second if group in seen else first).append((username, group))
        seen.add(group)
    chosen = (first + second)[:n]
    if len(chosen) < n:
        raise SystemExit(f"В базе только {len(chosen)} воспитателей с группой, нужно {n}")
    return [
        {"username": u, "password": DEMO_PASSWORD, "group": g, "day": day, "seed": i}
        for i, (u, g) in enumerate(chosen)
    ]


def start_gunicorn(
    env: dict, port: int, log: Path, *, workers: int = 2, threads: int = 2
) -> subprocess.Popen:
    """gunicorn with deploy/gunicorn.conf.py on 127.0.0.1:`port`; returns once it answers."""
    cmd = [
        sys.executable,
        "-m",
        "gunicorn",
        "-c",
        str(ROOT / "deploy" / "gunicorn.conf.py"),
        "detsad.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--no-control-socket",
        "--access-logfile",
        "-",
    ]
    proc = subprocess.Popen(
        cmd,
        cwd=ROOT,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    for _ in range(150):
        if proc.poll() is not None:
            raise SystemExit(f"gunicorn не запустился, журнал: {log}")
        try:  # any answer will do (production settings redirect plain HTTP to HTTPS)
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/accounts/login/")
            conn.getresponse().read()
            conn.close()
            return proc
        except OSError:
            time.sleep(0.2)
    stop(proc)
    raise SystemExit(f"gunicorn не ответил за 30 с, журнал: {log}")


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()  # gunicorn's arbiter stops its workers on SIGTERM
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _percentile(histogram: dict[int, int], q: float) -> float:
    """Nearest-rank percentile from locust's histogram {rounded ms: count}."""
    total = sum(histogram.values())
    if not total:
        return 0.0
    rank, seen = max(1, round(q / 100 * total + 0.4999)), 0
    for ms in sorted(histogram):
        seen += histogram[ms]
        if seen >= rank:
            return float(ms)
    return float(max(histogram))


def _row(name: str, method: str, entries: list[dict]) -> dict:
    histogram: dict[int, int] = {}
    for e in entries:
        for ms, n in e["response_times"].items():
            histogram[int(ms)] = histogram.get(int(ms), 0) + n
    requests = sum(e["num_requests"] for e in entries)
    span = max(e["last_request_timestamp"] or e["start_time"] for e in entries) - min(
        e["start_time"] for e in entries
    )
    return {
        "name": name,
        "method": method,
        "requests": requests,
        "failures": sum(e["num_failures"] for e in entries),
        "rps": round(requests / span, 2) if span > 0 else float(requests),
        "p50_ms": _percentile(histogram, 50),
        "p95_ms": _percentile(histogram, 95),
        "p99_ms": _percentile(histogram, 99),
        "max_ms": round(max(e["max_response_time"] for e in entries)),
    }


def read_stats(path: Path) -> list[dict]:
    """Per request kind and in total, from locust's ``--json-file`` output."""
    if not path.exists():
        return []
    entries = [e for e in json.loads(path.read_text(encoding="utf-8")) if e["num_requests"]]
    if not entries:
        return []
    rows = [_row(e["name"], e["method"], [e]) for e in entries]
    rows.sort(key=lambda r: (r["name"], r["method"]))
    return [*rows, _row("всего", "", entries)]


def verify_browse(entries: list[dict], submissions: Path, since) -> dict:
    """Every simulated educator logged in during this run (django-axes logs each login)."""
    from axes.models import AccessLog

    names = {e["username"] for e in entries}
    logged = set(
        AccessLog.objects.filter(username__in=names, attempt_time__gte=since).values_list(
            "username", flat=True
        )
    )
    missing = sorted(names - logged)
    return {"ok": not missing, "checked": len(names), "problems": missing[:20]}


def verify_morning(entries: list[dict], submissions: Path, since=None) -> dict:
    """Every submitted mark is in the database exactly once, with the last submitted value.

    The submissions file has one JSON line per save: user, group, day and the marks it
    sent ({child id: "present" | reason code}). Two educators of a group may save the same
    day; the later save wins, so each (child, day) is compared with the last line for it.
    """
    from django.db.models import Count

    from detsad.attendance.models import AttendanceMark

    expected: dict[tuple[int, str], str] = {}
    for line in submissions.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        for child, value in record["marks"].items():
            expected[(int(child), record["day"])] = value
    problems = []
    days = {d for _c, d in expected}
    children = {c for c, _d in expected}
    counts = (
        AttendanceMark.objects.filter(child_id__in=children, on__in=days)
        .values("child_id", "on")
        .annotate(n=Count("pk"))
    )
    stored = {(r["child_id"], r["on"].isoformat()): r["n"] for r in counts}
    marks = AttendanceMark.objects.filter(child_id__in=children, on__in=days).select_related(
        "reason"
    )
    values = {
        (m.child_id, m.on.isoformat()): (
            "present" if m.present else (m.reason.code if m.reason else "")
        )
        for m in marks
    }
    for key, value in expected.items():
        n = stored.get(key, 0)
        if n != 1:
            problems.append(f"ребёнок {key[0]}, {key[1]}: отметок {n}")
        elif values[key] != value:
            problems.append(f"ребёнок {key[0]}, {key[1]}: {values[key]} вместо {value}")
    return {
        "ok": not problems and bool(expected),
        "checked": len(expected),
        "problems": problems[:20],
    }


VERIFY = {"browse": verify_browse, "morning": verify_morning}


def markdown(result: dict) -> str:
    meta = result["meta"]
    check = result["verify"]
    lines = [
        f"# Нагрузка «{meta['scenario']}»: {meta['database']}, масштаб {meta['scale']}",
        "",
        f"- Дата: {meta['date']}; gunicorn: {meta['workers']} процесса × {meta['threads']} потока "
        f"на 127.0.0.1; locust: {meta['users']} пользователей, {meta['spawn_rate']:g} входа/с",
        f"- Длительность: {meta['seconds']:.0f} с (предел {meta['run_time']} с); средняя загрузка "
        f"машины (load average) {meta['load_average'][0]} → {meta['load_average'][1]} "
        f"на {meta['cores']} ядрах",
        f"- Проверка в базе: {'успешно' if check['ok'] else 'ОШИБКА'} "
        f"(проверено {check['checked']}){': ' + '; '.join(check['problems']) if check['problems'] else ''}",
        "",
        "| Запрос | запросов | ошибок | запросов/с | p50, мс | p95, мс | p99, мс | макс, мс |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in result["stats"]:
        lines.append(
            f"| {r['method']} {r['name']} | {r['requests']} | {r['failures']} | {r['rps']} | "
            f"{r['p50_ms']:g} | {r['p95_ms']:g} | {r['p99_ms']:g} | {r['max_ms']} |"
        )
    return "\n".join(lines) + "\n"


def _terminate(signum, frame):
    raise SystemExit(f"остановлено сигналом {signum}")  # runs the finally blocks


def main(argv=None) -> int:
    signal.signal(signal.SIGTERM, _terminate)
    args = parse_args(argv)
    db = database.choose(scale=args.scale, engine=args.engine, name=args.db_name)
    database.export(db)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connections
    from django.utils import timezone

    from detsad.attendance.selectors import last_working_day
    from detsad.core.access import local_today
    from detsad.core.demo import DEMO_MUNICIPALITY, MAIN_ORG_SHORT
    from detsad.core.models import Organization

    database.build(db, scale=args.scale, reuse=args.reuse)
    # the journal takes marks for working days up to today (municipality's time zone)
    main = Organization.objects.select_related("municipality").get(
        municipality__name=DEMO_MUNICIPALITY, short_name=MAIN_ORG_SHORT
    )
    day = args.day or last_working_day(main, local_today(main.municipality)).isoformat()
    dt.date.fromisoformat(day)
    entries = educators(args.users, day)
    connections.close_all()

    work = args.out / "load-logs"  # gunicorn and locust logs of the last run
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    users_file = work / "users.json"
    users_file.write_text(json.dumps(entries, ensure_ascii=False))
    submissions = work / "submissions.jsonl"
    env = {
        **os.environ,
        "LOGIN_FAILURE_LIMIT": "1000",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "BENCH_LOAD_USERS": str(users_file),
        "BENCH_SCENARIO": args.scenario,
        "BENCH_LOAD_SUBMISSIONS": str(submissions),
        "PYTHONPATH": str(ROOT),
    }
    port = free_port()
    server = start_gunicorn(
        env, port, work / "gunicorn.log", workers=args.workers, threads=args.threads
    )
    print(
        f"gunicorn: http://127.0.0.1:{port} ({args.workers}×{args.threads}); "
        f"locust: {len(entries)} пользователей, сценарий {args.scenario}…",
        flush=True,
    )
    started, since = time.monotonic(), timezone.now()
    load_before = os.getloadavg()[0]
    try:
        locust = subprocess.run(
            [
                sys.executable,
                "-m",
                "locust",
                "-f",
                str(Path(__file__).with_name("locustfile.py")),
                "--headless",
                "--host",
                f"http://127.0.0.1:{port}",
                "--users",
                str(len(entries)),
                "--spawn-rate",
                str(args.spawn_rate),
                "--run-time",
                f"{args.run_time}s",
                "--stop-timeout",
                "10",
                "--json-file",
                str(work / "stats"),  # locust adds .json
                "--exit-code-on-error",
                "0",
                "--loglevel",
                "WARNING",
            ],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=args.run_time + 60,
        )
    finally:
        seconds = time.monotonic() - started
        stop(server)
    (work / "locust.log").write_text(locust.stdout + locust.stderr)
    stats = read_stats(work / "stats.json")
    if not stats:
        print(locust.stdout[-3000:], locust.stderr[-3000:], sep="\n")
        raise SystemExit(f"locust не дал статистики, журналы в {work}")
    verify = VERIFY[args.scenario](entries, submissions, since)
    connections.close_all()
    if args.drop:
        database.drop(db)
    result = {
        "meta": {
            "date": timezone.now().strftime("%Y-%m-%d %H:%M UTC"),
            "scenario": args.scenario,
            "scale": args.scale,
            "database": db.vendor,
            "users": len(entries),
            "spawn_rate": args.spawn_rate,
            "run_time": args.run_time,
            "seconds": round(seconds, 1),
            # other processes on the machine skew the numbers: record how busy it was
            "load_average": [round(load_before, 1), round(os.getloadavg()[0], 1)],
            "cores": os.cpu_count(),
            "workers": args.workers,
            "threads": args.threads,
            "day": day,
            "logs": str(work),
        },
        "stats": stats,
        "verify": verify,
    }
    args.out.mkdir(parents=True, exist_ok=True)
    text = markdown(result)
    for stem in ("load-latest", f"load-{db.vendor}-{args.scale}-{args.scenario}"):
        (args.out / f"{stem}.json").write_text(json.dumps(result, ensure_ascii=False, indent=2))
        (args.out / f"{stem}.md").write_text(text)
    print(text)
    total = next((r for r in stats if r["name"] == "всего"), stats[-1])
    ok = verify["ok"] and total["failures"] == 0
    print("Итог:", "без ошибок" if ok else "ЕСТЬ ОШИБКИ", f"(журналы: {work})")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
