"""Compensation: 20/50/70 % of the region's average fee by the child's order among the
family's minor children, capped by what was paid; never in the ledger balance."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from detsad.fees import services
from detsad.fees.models import LedgerEntry
from detsad.fees.selectors import account_state, compensation_rows
from detsad.fees.selectors.compensation import allocate_paid
from detsad.people.models import Child, ChildGuardian

from .helpers import NOV, OCT, mark_month, policy, run, tariff

pytestmark = pytest.mark.django_db

ABSENCES = {3: "Б", 4: "Б", 5: "Б", 10: "Н", 11: "Н"}


def sibling(ow, key: str, born: dt.date, name: str) -> Child:
    """An older child of c1's family (linked to c1's guardian; not in the kindergarten)."""
    child = Child.objects.create(
        organization=ow.org, last_name="Иванова", first_name=name, birth_date=born, sex="F"
    )
    ChildGuardian.objects.create(child=child, guardian=ow.guardians[key], relation="mother")
    return child


def pay(ow, key, rubles, day=dt.date(2026, 10, 20)):
    services.payment_create_manual(
        actor=ow.actor("coordinator"), account=ow.accounts[key], amount=rubles * 100, paid_on=day
    )


def rows_for(ow, key, months=(OCT,), on=dt.date(2026, 11, 25)):
    return compensation_rows(ow.org, list(months), on, account_ids=[ow.accounts[key].pk])


def test_second_child_gets_half_of_what_was_paid(fw):
    """Average 2 900.00; October charged and paid 2 125.00; 2nd child: 50 % × 2 125.00 =
    1 062.50."""
    policy(fw, "per_day_attended")
    tariff(fw, 125)
    mark_month(fw.a, "c1", OCT, ABSENCES)
    run(fw.a, OCT)
    sibling(fw.a, "c1", dt.date(2019, 4, 1), "Ольга")
    pay(fw.a, "c1", 2125)
    (row,) = rows_for(fw.a, "c1")
    assert (row.order, row.percent, row.paid, row.amount) == (2, 50, 212500, 106250)


def test_third_child_is_capped_by_the_average_fee(fw):
    """Paid 3 100.00 for October; 3rd child: 70 % × min(3 100, 2 900) = 2 030.00."""
    policy(fw, "monthly_with_valid_absence_recalc")
    tariff(fw, 3100, "month")
    run(fw.a, OCT)
    sibling(fw.a, "c1", dt.date(2016, 2, 1), "Ольга")
    sibling(fw.a, "c1", dt.date(2019, 4, 1), "Вера")
    pay(fw.a, "c1", 3100)
    (row,) = rows_for(fw.a, "c1")
    assert (row.order, row.percent, row.amount) == (3, 70, 203000)


def test_adult_siblings_do_not_count_and_nothing_paid_gives_nothing(fw):
    policy(fw, "per_day_attended")
    tariff(fw, 125)
    mark_month(fw.a, "c1", OCT)
    run(fw.a, OCT)
    sibling(fw.a, "c1", dt.date(2000, 1, 1), "Взрослая")
    assert rows_for(fw.a, "c1") == []
    pay(fw.a, "c1", 1000)
    (row,) = rows_for(fw.a, "c1")
    assert (row.order, row.percent, row.amount) == (1, 20, 20000)


def test_payments_cover_the_oldest_month_first(fw):
    assert allocate_paid({OCT: 275000, NOV: 250000}, 300000) == {OCT: 275000, NOV: 25000}
    assert allocate_paid({OCT: -1000, NOV: 250000}, 100) == {NOV: 100}


def test_compensation_is_not_in_the_balance(fw):
    policy(fw, "per_day_attended")
    tariff(fw, 125)
    mark_month(fw.a, "c1", OCT)
    run(fw.a, OCT)
    pay(fw.a, "c1", 2750)
    assert rows_for(fw.a, "c1")[0].amount == 55000
    assert account_state(fw.a.accounts["c1"], dt.date(2026, 11, 25)).balance == 0
    assert not LedgerEntry.objects.filter(note__icontains="компенсац").exists()


def test_quarterly_register_xlsx(fw, as_role, monkeypatch):
    monkeypatch.setattr(
        "detsad.core.access.local_today", lambda municipality=None: dt.date(2026, 11, 25)
    )
    policy(fw, "per_day_attended")
    tariff(fw, 125)
    mark_month(fw.a, "c1", OCT, ABSENCES)
    run(fw.a, OCT)
    sibling(fw.a, "c1", dt.date(2019, 4, 1), "Ольга")
    pay(fw.a, "c1", 2125)
    response = as_role("coordinator").get(
        reverse("fees:compensation"), {"quarter": "2026-4", "format": "xlsx"}
    )
    ws = load_workbook(io.BytesIO(response.content)).active
    header = [c.value for c in ws[3]]
    row = dict(zip(header, [c.value for c in ws[4]], strict=True))
    assert row["Воспитанник"] == "Иванов Иван Иванович"
    assert row["Получатель (родитель)"] == "Иванова Мама c1"
    assert (row["Месяц"], row["Ребёнок в семье по счёту"]) == ("10.2026", 2)
    assert float(row["Компенсация"]) == 1062.50
    page = as_role("parent").get(reverse("fees:my")).content.decode()
    assert "1\u00a0062,50" in page
