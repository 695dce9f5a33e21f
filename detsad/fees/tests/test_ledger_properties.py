"""Ledger invariants (hypothesis): for random sequences of charges, payments, refunds,
write-offs, adjustments and reversals the balance at any date equals the sum of the
entries up to it, the running balance never drifts from it, and no entry is ever updated
or deleted (model save/delete and queryset update/delete all refuse)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from detsad.fees import services
from detsad.fees.models import LedgerEntry
from detsad.fees.selectors import account_state, history

pytestmark = pytest.mark.django_db

START = dt.date(2026, 1, 1)

day_strategy = st.integers(min_value=0, max_value=300).map(lambda n: START + dt.timedelta(days=n))
amount = st.integers(min_value=1, max_value=500_000)
operation = st.one_of(
    st.tuples(st.just("charge"), amount, day_strategy),
    st.tuples(st.just("payment"), amount, day_strategy),
    st.tuples(st.just("refund"), amount, day_strategy),
    st.tuples(st.just("write_off"), amount, day_strategy),
    st.tuples(st.just("adjustment"), st.integers(-300_000, 300_000).filter(bool), day_strategy),
    st.tuples(st.just("reverse"), st.integers(0, 50), st.just(START)),
)


def apply(fw, op) -> None:
    kind, value, day = op
    ow = fw.a
    actor = ow.actor("coordinator")
    account = ow.accounts["c1"]
    if kind == "charge":
        LedgerEntry.objects.create(
            organization=ow.org,
            account=account,
            kind="charge",
            period=day.replace(day=1),
            on=day,
            amount=value,
            source="fee_run",
        )
    elif kind == "payment":
        services.payment_create_manual(actor=actor, account=account, amount=value, paid_on=day)
    elif kind == "reverse":
        candidates = list(
            LedgerEntry.objects.filter(
                account=account, reverses__isnull=True, reversed_by__isnull=True
            )
            .exclude(source="fee_run")
            .order_by("id")
        )
        if candidates:
            services.ledger_entry_reverse(
                actor=actor, entry=candidates[value % len(candidates)], reason="ошибка"
            )
    else:
        services.ledger_entry_post(
            actor=actor, account=account, kind=kind, amount=value, on=day, note="проверка"
        )


def frozen(entry: LedgerEntry) -> tuple:
    return (entry.pk, entry.kind, entry.amount, entry.on, entry.period, entry.account_id)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ops=st.lists(operation, min_size=1, max_size=12), probe=day_strategy)
def test_balance_is_the_sum_of_entries_and_entries_never_change(fw, ops, probe):
    try:
        with transaction.atomic():  # every example starts from the same world
            check_sequence(fw, ops, probe)
            raise Rollback
    except Rollback:
        pass


class Rollback(Exception):
    pass


def check_sequence(fw, ops, probe) -> None:
    account = fw.a.accounts["c1"]
    seen: dict[int, tuple] = {}
    for op in ops:
        apply(fw, op)
        entries = list(LedgerEntry.objects.filter(account=account))
        for entry in entries:
            assert seen.setdefault(entry.pk, frozen(entry)) == frozen(entry)
        assert set(seen) == {e.pk for e in entries}  # nothing disappeared
    for day in (probe, START + dt.timedelta(days=400)):
        expected = sum(v[2] for v in seen.values() if v[3] <= day)
        assert account_state(account, day).balance == expected
        rows = history(fw.a.actor("coordinator"), account, until=day)
        assert (rows[-1].balance if rows else 0) == expected
        running = 0
        for row in rows:
            running += row.entry.amount
            assert row.balance == running
    if seen:
        entry = LedgerEntry.objects.filter(account=account).first()
        entry.amount += 1
        with pytest.raises(ValidationError):
            entry.save()
        with pytest.raises(ValidationError):
            entry.delete()
        with pytest.raises(ValidationError):
            LedgerEntry.objects.filter(pk=entry.pk).update(amount=1)
        with pytest.raises(ValidationError):
            LedgerEntry.objects.filter(pk=entry.pk).delete()


def test_a_reversal_points_to_one_entry_at_most_once(fw):
    from django.db import IntegrityError

    ow = fw.a
    entry = services.ledger_entry_post(
        actor=ow.actor("coordinator"),
        account=ow.accounts["c1"],
        kind="refund",
        amount=100,
        on=dt.date(2026, 10, 1),
        note="x",
    )
    services.ledger_entry_reverse(actor=ow.actor("coordinator"), entry=entry, reason="ошибка")
    with pytest.raises(ValidationError):
        services.ledger_entry_reverse(actor=ow.actor("coordinator"), entry=entry, reason="ещё")
    with pytest.raises(IntegrityError), transaction.atomic():
        LedgerEntry.objects.create(
            organization=ow.org,
            account=ow.accounts["c1"],
            kind="refund",
            period=dt.date(2026, 10, 1),
            on=dt.date(2026, 10, 1),
            amount=-100,
            source="manual",
            reverses=entry,
        )


@pytest.mark.parametrize(
    ("kind", "amount"),
    [("charge", -100), ("payment", 100), ("refund", -5), ("write_off", 5), ("adjustment", 0)],
)
def test_database_refuses_wrong_signs(fw, kind, amount):
    from django.db import IntegrityError

    with pytest.raises(IntegrityError), transaction.atomic():
        LedgerEntry.objects.create(
            organization=fw.a.org,
            account=fw.a.accounts["c1"],
            kind=kind,
            period=dt.date(2026, 10, 1),
            on=dt.date(2026, 10, 1),
            amount=amount,
            source="manual",
        )


def test_closed_month_refuses_manual_entries_but_takes_payments(fw):
    ow = fw.a
    coordinator = ow.actor("coordinator")
    services.fees_month_close(actor=coordinator, organization=ow.org, month=dt.date(2026, 9, 1))
    with pytest.raises(ValidationError):
        services.ledger_entry_post(
            actor=coordinator,
            account=ow.accounts["c1"],
            kind="write_off",
            amount=100,
            on=dt.date(2026, 9, 15),
            note="x",
        )
    services.payment_create_manual(
        actor=coordinator, account=ow.accounts["c1"], amount=100, paid_on=dt.date(2026, 9, 15)
    )


def test_database_itself_refuses_to_change_or_remove_an_entry(fw):
    """The triggers of migration 0002: raw SQL cannot rewrite an entry (nor, on PostgreSQL,
    delete it); removing the author's user still empties ``author_id`` (SET_NULL)."""
    from django.contrib.auth import get_user_model
    from django.db import DatabaseError, connection

    ow = fw.a
    user = get_user_model().objects.create_user(username="leaving", password="x")
    entry = LedgerEntry.objects.create(
        organization=ow.org,
        account=ow.accounts["c1"],
        kind="refund",
        period=dt.date(2026, 10, 1),
        on=dt.date(2026, 10, 6),
        amount=100,
        source="manual",
        author=user,
        author_name="Уходящий",
    )
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE fees_ledgerentry SET amount = 1 WHERE id = %s", [entry.pk])
    if connection.vendor == "postgresql":
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("DELETE FROM fees_ledgerentry WHERE id = %s", [entry.pk])
    user.delete()
    row = LedgerEntry.objects.get(pk=entry.pk)
    assert (row.amount, row.author_id, row.author_name) == (100, None, "Уходящий")
