"""C04: two educators save the same group-day at the same moment (real threads, each with
its own database connection). No mark is ever duplicated; the later save wins; both users
are in the audit trail. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import threading
import time

import pytest
from django.db import OperationalError, connection

from detsad.accounts.models import Membership, User
from detsad.attendance.models import AttendanceMark
from detsad.attendance.selectors import child_days
from detsad.attendance.services import attendance_mark_group_day
from detsad.core.middleware import actor_for
from detsad.core.models import AuditRecord
from detsad.testing import build_world, load_world

from .helpers import at_today, enroll, new_child

DAY = dt.date(2026, 4, 7)


@pytest.fixture
def world_restored_after(django_db_blocker):
    """Rebuild the shared world after the transactional test flushed the database, so the
    tests that follow find it committed (requested before ``transactional_db``, its
    teardown runs after the flush)."""
    yield
    with django_db_blocker.unblock():
        build_world()


@pytest.fixture
def group_of_20(world_restored_after, transactional_db):
    build_world()
    world = load_world()
    sun = world.a.groups["sun"]
    for i in range(18):
        enroll(world.a, new_child(world.a, first=f"Ребёнок{i:02d}"), sun, dt.date(2026, 1, 12))
    second = User.objects.create(username="a_educator2", last_name="Второй", first_name="Педагог")
    membership = Membership.objects.create(
        user=second, organization=world.a.org, municipality=world.municipality, role="educator"
    )
    membership.groups.add(sun)
    return world, sun, second


def _with_sqlite_wait(job):
    """Run `job`, waiting for the writer lock as production SQLite does.

    The test database on SQLite is a shared-cache in-memory database, where a second
    writer gets "database table is locked" at once instead of waiting ``busy_timeout``
    as the production file database (WAL, busy_timeout=20 s) does; retrying reproduces
    that wait. PostgreSQL needs no retry: the second upsert waits on the row lock.
    """
    for _attempt in range(200):
        try:
            return job()
        except OperationalError as exc:
            if connection.vendor != "sqlite" or "locked" not in str(exc):
                raise
            time.sleep(0.01)
    raise AssertionError("the database stayed locked")


def _run_together(*jobs):
    barrier = threading.Barrier(len(jobs))
    errors: list[BaseException] = []

    def wrap(job):
        try:
            barrier.wait(timeout=10)
            _with_sqlite_wait(job)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=wrap, args=(job,)) for job in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors, errors


def test_c04_concurrent_saves_never_duplicate_a_mark(group_of_20):
    world, sun, second_user = group_of_20
    child_b = world.a.children["c2"]
    children = list(sun.placements.values_list("child_id", flat=True))
    assert len(children) == 20

    def teacher_1():
        actor = at_today(world.a.actor("educator"), dt.date(2026, 4, 7))
        attendance_mark_group_day(
            actor=actor, group=sun, day=DAY, marks={pk: (True, None) for pk in children}
        )

    def teacher_2():
        actor = at_today(actor_for(second_user, f"org:{world.a.org.pk}"), dt.date(2026, 4, 7))
        attendance_mark_group_day(actor=actor, group=sun, day=DAY, marks={child_b.pk: (False, "Б")})

    for _ in range(3):  # repeat the race a few times on the same day
        _run_together(teacher_1, teacher_2)

    marks = AttendanceMark.objects.filter(group=sun, on=DAY)
    assert marks.count() == 20
    assert AttendanceMark.objects.filter(child=child_b, on=DAY).count() == 1
    mark_b = marks.get(child=child_b)
    # the later save wins: the row holds exactly what its author saved
    if mark_b.author_id == second_user.pk:
        assert (mark_b.present, mark_b.reason.code) == (False, "Б")
    else:
        assert mark_b.author_id == world.a.users["educator"].pk and mark_b.present is True
    authors = set(
        AuditRecord.objects.filter(object_id=f"{child_b.pk}:{DAY.isoformat()}").values_list(
            "actor_id", flat=True
        )
    )
    assert authors == {world.a.users["educator"].pk, second_user.pk}
    april = child_days(world.a.org, dt.date(2026, 4, 1), dt.date(2026, 4, 30))
    assert sum(len(d.present) + len(d.absent) for d in april.values()) == 20


def test_c04_the_later_of_two_saves_wins(group_of_20):
    world, sun, second_user = group_of_20
    child_b = world.a.children["c2"]
    first = at_today(world.a.actor("educator"), DAY)
    second = at_today(actor_for(second_user, f"org:{world.a.org.pk}"), DAY)
    attendance_mark_group_day(actor=first, group=sun, day=DAY, all_present=True)
    attendance_mark_group_day(actor=second, group=sun, day=DAY, marks={child_b.pk: (False, "Б")})
    mark_b = AttendanceMark.objects.get(child=child_b, on=DAY)
    assert (mark_b.present, mark_b.reason.code, mark_b.author_id) == (False, "Б", second_user.pk)
    assert AttendanceMark.objects.filter(group=sun, on=DAY).count() == 20
