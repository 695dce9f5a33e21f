"""Query counts do not grow with the number of children: the fee run (per organization),
the debtors list, the turnover statement, the accounts list, the run page, receipts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from detsad.attendance.models import AttendanceMark
from detsad.fees import services
from detsad.fees.models import FeeRun
from detsad.movement.models import MovementEvent, Placement
from detsad.people.models import Child, PersonalAccount

from .helpers import OCT, days, mark_month, policy, run, tariff

pytestmark = pytest.mark.django_db


def add_children(ow, n: int, start: int = 100) -> None:
    """`n` more children in «Солнышко» with accounts and October present every day."""
    group = ow.groups["sun"]
    october = days(ow.org, OCT)
    for i in range(start, start + n):
        child = Child.objects.create(
            organization=ow.org,
            last_name=f"Добавленный{i}",
            first_name="Ребёнок",
            birth_date=dt.date(2021, 6, 1),
            sex="M",
        )
        event = MovementEvent.objects.create(
            organization=ow.org,
            child=child,
            kind="enroll",
            on=dt.date(2025, 9, 1),
            group=group,
            order=ow.order,
        )
        Placement.objects.create(
            organization=ow.org, child=child, group=group, start=event.on, start_event=event
        )
        PersonalAccount.objects.create(
            organization=ow.org, child=child, number=f"{ow.org.number}{i:04d}"
        )
        AttendanceMark.objects.bulk_create(
            [
                AttendanceMark(organization=ow.org, child=child, group=group, on=d, present=True)
                for d in october
            ]
        )


@pytest.fixture
def priced(fw):
    policy(fw, "per_day_attended")
    tariff(fw, 125)
    for ow in (fw.a, fw.b):
        for key in ("c1", "c2", "c3"):
            mark_month(ow, key, OCT)
    return fw


def test_fee_run_queries_are_bounded_per_organization(priced):
    fw = priced
    with CaptureQueriesContext(connection) as small:
        first = run(fw.a, OCT)
    add_children(fw.b, 12)
    with CaptureQueriesContext(connection) as big:
        second = run(fw.b, OCT)
    assert (first.status, second.status) == ("done", "done")
    assert (first.children_total, second.children_total) == (3, 15)
    assert len(big) == len(small), [q["sql"][:120] for q in big.captured_queries]
    assert len(small) <= 40


def test_municipality_run_is_one_task_with_a_run_per_organization(priced):
    from detsad.core.access import Actor

    fw = priced
    runs, skipped = services.fee_run_start_municipality(
        actor=Actor.system(municipality=fw.municipality), municipality=fw.municipality, period=OCT
    )
    assert skipped == []
    assert sorted(r.organization.short_name for r in runs) == ["ДОО A", "ДОО B"]
    assert {r.status for r in runs} == {"done"}
    assert len({r.group_key for r in runs}) == 1


def _count(client, url, params=None) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(ctx)


@pytest.mark.parametrize(
    ("name", "params", "bound"),
    [
        ("fees:debtors", {"on": "31.10.2026"}, 20),
        ("fees:turnover", {"start": "01.10.2026", "end": "31.10.2026"}, 20),
        ("fees:accounts", {}, 20),
        ("fees:payments", {}, 20),
        ("fees:summary", {"start": "01.10.2026", "end": "31.10.2026"}, 20),
    ],
)
def test_lists_and_reports_do_not_grow_with_rows(priced, as_role, name, params, bound):
    fw = priced
    run(fw.a, OCT)
    services.payment_create_manual(
        actor=fw.a.actor("coordinator"),
        account=fw.a.accounts["c1"],
        amount=1000,
        paid_on=dt.date(2026, 10, 2),
    )
    client = as_role("coordinator")
    small = _count(client, reverse(name), params)
    add_children(fw.a, 12)
    run(fw.a, OCT)
    for key in fw.a.accounts:
        services.payment_create_manual(
            actor=fw.a.actor("coordinator"),
            account=fw.a.accounts[key],
            amount=1000,
            paid_on=dt.date(2026, 10, 3),
        )
    big = _count(client, reverse(name), params)
    assert big == small <= bound


def test_run_page_and_receipts_do_not_grow_with_rows(priced, as_role):
    fw = priced
    client = as_role("coordinator")
    first = run(fw.a, OCT)
    small = _count(client, reverse("fees:run_detail", args=[first.pk]))
    add_children(fw.a, 12)
    second = run(fw.a, OCT)
    assert FeeRun.objects.get(pk=second.pk).entries_count == 12
    assert _count(client, reverse("fees:run_detail", args=[second.pk])) == small

    from detsad.fees.receipts import receipts_for

    accounts = list(PersonalAccount.objects.filter(organization=fw.a.org).select_related("child"))
    with CaptureQueriesContext(connection) as ctx:
        receipts_for(fw.a.org, accounts[:3], OCT, OCT)
    few = len(ctx)
    with CaptureQueriesContext(connection) as ctx:
        receipts_for(fw.a.org, accounts, OCT, OCT)
    assert len(ctx) == few
