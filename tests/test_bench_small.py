"""The benchmark harnesses on a tiny dataset, so they cannot rot (seconds on every CI run).

``python -m bench.run --small`` builds the demo scale on its own fresh database, measures
every page of bench/pages.py and writes the results; each page must answer, stay within
its query bound and leave a floor. ``python -m bench.load --small`` starts gunicorn and
locust on 127.0.0.1 with 10 users. Both use the database kind of the test run (SQLite, or
PostgreSQL when DATABASE_URL points to it), so CI's two passes cover both.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _env() -> dict:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env["PYTHONPATH"] = str(ROOT)
    return env


def _run(module: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", module, *args],
        cwd=ROOT,
        env=_env(),
        capture_output=True,
        text=True,
        timeout=300,
    )


def _engine() -> str:
    """The database of this test run: the CI's SQLite pass and PostgreSQL pass each cover one."""
    url = os.environ.get("DATABASE_URL", "")
    return "postgres" if url.startswith(("postgres://", "postgresql://")) else "sqlite"


def _db_name(tmp_path: Path, engine: str, stem: str) -> str:
    return (
        str(tmp_path / f"{stem}.sqlite3") if engine == "sqlite" else f"detsad_{stem}_{os.getpid()}"
    )


def test_bench_small_measures_every_page(tmp_path):
    from bench.pages import PAGES

    engine = _engine()
    name = _db_name(tmp_path, engine, "bench")
    out = _run(
        "bench.run",
        "--small",
        "--engine",
        engine,
        "--db-name",
        name,
        "--drop",
        "--out",
        str(tmp_path),
    )
    assert out.returncode == 0, out.stdout[-2000:] + out.stderr[-4000:]
    result = json.loads((tmp_path / "latest.json").read_text())
    assert result["meta"]["scale"] == "demo"
    assert result["meta"]["dataset"]["children"] > 200
    assert [p["name"] for p in result["pages"]] == [p.name for p in PAGES]
    for page in result["pages"]:
        assert page["queries_ok"], f"{page['name']}: {page['queries']} > {page['max_queries']}"
        assert page["floor_ms"] > 0 and page["median_ms"] > 0
        assert page["p95_ms"] >= page["median_ms"]
    table = (tmp_path / "latest.md").read_text()
    assert "| Главная координатора (`dashboard`) |" in table
    assert (tmp_path / f"{'postgresql' if engine == 'postgres' else 'sqlite'}-demo.json").exists()
    if engine == "sqlite":
        assert not Path(name).exists()  # --drop removed the throw-away database


def test_bench_load_small_runs_gunicorn_and_locust(tmp_path):
    engine = _engine()
    db = _db_name(tmp_path, engine, "load")
    out = _run(
        "bench.load",
        "--small",
        "--engine",
        engine,
        "--db-name",
        db,
        "--drop",
        "--out",
        str(tmp_path),
    )
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-3000:]
    result = json.loads((tmp_path / "load-latest.json").read_text())
    total = result["stats"][-1]
    assert total["name"] == "всего"
    assert total["failures"] == 0
    # 10 educators: login form, login, dashboard, group card, children list each
    assert total["requests"] == 50
    assert result["verify"] == {"ok": True, "checked": 10, "problems": []}
    assert result["meta"]["workers"] >= 2


def test_bench_load_small_morning_saves_every_groups_marks_once(tmp_path):
    """The morning peak on the journal's real contract: 10 educators open their group's
    day and save it; every submitted mark is in the database once, with its value."""
    engine = _engine()
    db = _db_name(tmp_path, engine, "morning")
    out = _run(
        "bench.load",
        "--small",
        "--scenario",
        "morning",
        "--engine",
        engine,
        "--db-name",
        db,
        "--drop",
        "--out",
        str(tmp_path),
    )
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-3000:]
    result = json.loads((tmp_path / "load-latest.json").read_text())
    by_name = {row["name"]: row for row in result["stats"]}
    assert by_name["всего"]["failures"] == 0
    # login form, login, the group's day, the save: 10 educators each
    assert by_name["attendance: save group day"]["requests"] == 10
    assert by_name["всего"]["requests"] == 40
    assert result["verify"]["ok"] is True and result["verify"]["problems"] == []
    assert result["verify"]["checked"] > 100  # every child of 10 groups


@pytest.mark.django_db
def test_morning_check_finds_lost_and_wrong_marks(world, tmp_path):
    """The morning-peak check of bench/load.py compares each child's last submitted mark
    with the database: one row per child and day, the same value."""
    from bench.load import verify_morning
    from detsad.attendance.models import AbsenceReason, AttendanceMark

    a = world.a
    ill, _ = AbsenceReason.objects.get_or_create(
        municipality=world.municipality, code="Б", defaults={"name": "болезнь"}
    )
    c1, c2, c3 = (a.children[k] for k in ("c1", "c2", "c3"))
    day = "2026-11-27"
    # two educators of «Солнышко» saved the day; the later save (c2 ill) wins
    submissions = tmp_path / "submissions.jsonl"
    lines = [
        {
            "user": "e1",
            "group": 1,
            "day": day,
            "marks": {str(c1.pk): "present", str(c2.pk): "present"},
        },
        {"user": "e2", "group": 1, "day": day, "marks": {str(c1.pk): "present", str(c2.pk): "Б"}},
        {"user": "e3", "group": 2, "day": day, "marks": {str(c3.pk): "present"}},
    ]
    submissions.write_text("".join(json.dumps(line) + "\n" for line in lines))

    def mark(child, group, present, reason=None):
        AttendanceMark.objects.create(
            organization=a.org, child=child, group=group, on=day, present=present, reason=reason
        )

    mark(c1, a.groups["sun"], True)
    mark(c2, a.groups["sun"], True)  # the earlier value: the later save was lost
    result = verify_morning([], submissions)
    assert result["ok"] is False
    assert result["checked"] == 3
    assert sorted(result["problems"]) == sorted(
        [f"ребёнок {c2.pk}, {day}: present вместо Б", f"ребёнок {c3.pk}, {day}: отметок 0"]
    )

    AttendanceMark.objects.filter(child=c2).update(present=False, reason=ill)
    mark(c3, a.groups["rainbow"], True)
    assert verify_morning([], submissions) == {"ok": True, "checked": 3, "problems": []}
