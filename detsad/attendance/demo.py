"""Demo attendance: the absence reasons of the demo municipality, marks for every demo child
on the working days from 1 September to the day before ``ctx.today`` while enrolled (at
district scale from 1 September of the *previous* academic year: a full academic year of
marks, ~1 million, for the benchmark's yearly reports; those months are closed): about
88 % present — illness episodes of 3–8 days, parents' vacations, single days without a
reason; a three-day quarantine in «Капелька» of the main kindergarten. Also a few
parents' notices, and September and October closed.

Deterministic for a seed (each child draws from its own random stream), bulk-inserted in
batches (district scale: ~1 million rows, COPY on PostgreSQL, executemany on SQLite,
about a minute). Fixture data, not people's actions: no audit records.
"""

from __future__ import annotations

import datetime as dt
import random
import time

from django.db import connection
from django.utils import timezone

from detsad.core.demo import DemoContext
from detsad.core.models import MonthClosing
from detsad.movement.models import Placement

from .models import AbsenceNotice, AttendanceMark
from .reports import calendars
from .services import absence_reasons_seed

BATCH = 5000
#: (probability a run starts on a given day, reason code, run length range)
EPISODES = [
    (0.016, "Б", (3, 8)),
    (0.004, "О", (3, 7)),
    (0.012, "Н", (1, 1)),
    (0.004, "У", (1, 2)),
]
MARKED_SCALES = {"demo", "district"}
#: Scales whose marks begin a year earlier (the previous academic year in full).
FULL_YEAR_SCALES = {"district"}


def _plan(rng: random.Random, days: list[dt.date]) -> dict[dt.date, str | None]:
    """Day → None (present) or the reason code of an absence, for one child."""
    result: dict[dt.date, str | None] = {}
    left, code = 0, None
    for day in days:
        if left:
            result[day] = code
            left -= 1
            continue
        roll = rng.random()
        for probability, reason, (low, high) in EPISODES:
            if roll < probability:
                code, left = reason, rng.randint(low, high) - 1
                result[day] = code
                break
            roll -= probability
        else:
            result[day] = None
    return result


def _insert(rows: list[tuple]) -> None:
    """Insert journal marks in one statement batch: (organization, child, group, day,
    present, reason, updated_at). Model instances would cost more than the database does
    at district scale; the values are those the journal itself writes."""
    if not rows:
        return
    table = connection.ops.quote_name(AttendanceMark._meta.db_table)
    columns = ", ".join(
        connection.ops.quote_name(AttendanceMark._meta.get_field(name).column)
        for name in (
            "organization",
            "child",
            "group",
            "on",
            "present",
            "reason",
            "source",
            "updated_at",
        )
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # COPY: several times faster than INSERTs
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for org_id, child_id, group_id, day, present, reason_id, at in rows:
                    copy.write_row(
                        (org_id, child_id, group_id, day, present, reason_id, "journal", at)
                    )
            return
        cursor.executemany(
            f"INSERT INTO {table} ({columns}) VALUES (%s, %s, %s, %s, %s, %s, 'journal', %s)",
            rows,
        )


def build(ctx: DemoContext) -> None:
    """Per batch of organizations (core/demo.py): reasons of the batch's municipalities,
    marks of the batch's children."""
    started = time.monotonic()
    for municipality in {o.municipality_id: o.municipality for o in ctx.organizations}.values():
        if municipality.pk != ctx.municipality.pk:
            absence_reasons_seed(municipality)
    reasons = {r.code: r for r in absence_reasons_seed(ctx.municipality)}
    if ctx.scale not in MARKED_SCALES:
        ctx.detail("Посещаемость: справочник причин (отметки не создаются для этого масштаба)")
        return
    start = dt.date(ctx.year_start.year, 9, 1)
    closed = [dt.date(start.year, 9, 1), dt.date(start.year, 10, 1)]
    if ctx.scale in FULL_YEAR_SCALES:
        start = dt.date(start.year - 1, 9, 1)
        closed = [dt.date(start.year + (m < 9), m, 1) for m in (*range(9, 13), *range(1, 9))] + [
            *closed
        ]
    end = ctx.today - dt.timedelta(days=1)
    if end < start:
        return
    cals = calendars(ctx.organizations, start, end)
    working = {org.pk: cals[org.pk].working_days(start, end) for org in ctx.organizations}
    main = ctx.main_org
    groups = {g.name: g for g in ctx.groups.get(main.pk, [])}
    quarantine_group = groups.get("Капелька")
    quarantine = {dt.date(2026, 10, 19), dt.date(2026, 10, 20), dt.date(2026, 10, 21)}
    sanatorium = 0
    placements = Placement.objects.filter(
        organization__in=ctx.organizations, start__lte=end
    ).exclude(end__lt=start)
    rows: list[tuple] = []
    total = present = 0
    now = timezone.now()
    reason_ids = {code: r.pk for code, r in reasons.items()}
    for child_id, group_id, org_id, p_start, p_end in placements.order_by(
        "child_id", "start"
    ).values_list("child_id", "group_id", "organization_id", "start", "end"):
        days = [d for d in working[org_id] if d >= p_start and (p_end is None or d <= p_end)]
        rng = random.Random(ctx.seed * 1_000_003 + child_id)
        plan = _plan(rng, days)
        if org_id == main.pk and sanatorium < 2 and rng.random() < 0.05 and len(days) > 30:
            sanatorium += 1  # two children of the main kindergarten spend 10 days in a sanatorium
            for day in days[20:30]:
                plan[day] = "С"
        if quarantine_group is not None and group_id == quarantine_group.pk:
            for day in quarantine & set(plan):
                plan[day] = "К"
        for day, code in plan.items():
            rows.append((org_id, child_id, group_id, day, code is None, reason_ids.get(code), now))
            present += code is None
        total += len(plan)
        if len(rows) >= BATCH:
            _insert(rows)
            rows = []
    _insert(rows)
    MonthClosing.objects.bulk_create(
        [
            MonthClosing(
                organization=org,
                kind=MonthClosing.Kind.ATTENDANCE,
                month=month,
                # closed on the 2nd of the month after (the demo's November closing of
                # September and October)
                closed_at=dt.datetime(ctx.year_start.year, 11, 2, 14, 0, tzinfo=dt.UTC)
                if month >= ctx.year_start
                else dt.datetime(
                    month.year + (month.month == 12), month.month % 12 + 1, 2, 14, 0, tzinfo=dt.UTC
                ),
            )
            for org in ctx.organizations
            for month in closed
            if month < ctx.today.replace(day=1)
        ]
    )
    share = round(100 * present / total, 1) if total else 0
    ctx.count("attendance marks", total)
    ctx.detail(
        f"Посещаемость: {total} отметок ({share} % присутствий), {len(closed)} мес. закрыто "
        f"({time.monotonic() - started:.1f} с)"
    )


def finish(ctx: DemoContext) -> None:
    """Parents' notices once the demo parent exists (accounts' finish runs first): the
    demo parent's child will be on vacation in two weeks; a child of «Солнышко» was ill on
    the last two working days (already marked from the notice)."""
    if ctx.main_org is None or ctx.main_org not in ctx.organizations:
        return  # a batch without the main kindergarten (region scale)
    from detsad.people.models import ChildGuardian

    reasons = {r.code: r for r in absence_reasons_seed(ctx.municipality)}
    parent_link = (
        ChildGuardian.objects.filter(
            guardian__user__username="parent", child__organization=ctx.main_org
        )
        .select_related("guardian")
        .order_by("child__last_name")
        .first()
    )
    if parent_link is not None:
        start = ctx.today + dt.timedelta(days=(7 - ctx.today.weekday()) % 7 + 7)
        AbsenceNotice.objects.create(
            organization=ctx.main_org,
            child_id=parent_link.child_id,
            start=start,
            end=start + dt.timedelta(days=4),
            reason=reasons["О"],
            comment="Семейный отпуск",
            author=parent_link.guardian.user,
        )
    sun = next((g for g in ctx.groups.get(ctx.main_org.pk, []) if g.name == "Солнышко"), None)
    if sun is None:
        return
    last_two = list(
        AttendanceMark.objects.filter(group=sun)
        .order_by("-on")
        .values_list("on", flat=True)
        .distinct()[:2]
    )
    other = (
        Placement.objects.filter(group=sun, end__isnull=True)
        .exclude(child_id=getattr(parent_link, "child_id", None))
        .order_by("child__last_name")
        .values_list("child_id", flat=True)
        .first()
    )
    if other is None or len(last_two) < 2:
        return
    notice = AbsenceNotice.objects.create(
        organization=ctx.main_org,
        child_id=other,
        start=min(last_two),
        end=max(last_two) + dt.timedelta(days=3),
        reason=reasons["Б"],
        comment="Простуда, справка будет",
    )
    AttendanceMark.objects.filter(child_id=other, on__in=last_two).update(
        present=False,
        reason=reasons["Б"],
        source=AttendanceMark.Source.NOTICE,
        notice=notice,
    )
