"""The derived state of the movement book on hand-worked histories (issue 3 «Tests»)."""

import datetime as dt

from detsad.core.models import AuditRecord
from detsad.movement import selectors, services
from detsad.movement.models import MovementEvent, Placement, WithdrawalReason

from .helpers import D, new_child, order


class TestHandWorkedHistory:
    """Enrolled 01.09.2025 in A, transferred 15.01.2026 to B, withdrawn 31.05.2026."""

    def _history(self, world):
        a = world.a
        hr = a.actor("hr")
        sun, rainbow = a.groups["sun"], a.groups["rainbow"]
        child = new_child(a)
        services.child_enroll(
            actor=hr,
            child=child,
            group=sun,
            on=D(2025, 9, 1),
            order=order(hr, a, "10-в", D(2025, 8, 29)),
        )
        services.child_transfer(
            actor=hr,
            child=child,
            group=rainbow,
            on=D(2026, 1, 15),
            order=order(hr, a, "3-п", D(2026, 1, 14), "transfer"),
        )
        services.child_withdraw(
            actor=hr,
            child=child,
            on=D(2026, 5, 31),
            order=order(hr, a, "40-о", D(2026, 5, 25), "withdraw"),
            reason=WithdrawalReason.MOVED,
            destination="г. Армавир",
        )
        return child, sun, rainbow

    def test_group_of_follows_the_dates(self, world):
        child, sun, rainbow = self._history(world)
        assert selectors.group_of(child, D(2025, 8, 31)) is None
        assert selectors.group_of(child, D(2025, 9, 1)) == sun
        assert selectors.group_of(child, D(2026, 1, 14)) == sun
        assert selectors.group_of(child, D(2026, 1, 15)) == rainbow
        assert selectors.group_of(child, D(2026, 5, 31)) == rainbow
        assert selectors.group_of(child, D(2026, 6, 1)) is None

    def test_children_in_and_between(self, world):
        child, sun, rainbow = self._history(world)
        assert child in selectors.children_in(rainbow, D(2026, 1, 20))
        assert child not in selectors.children_in(sun, D(2026, 1, 20))
        assert child in selectors.children_between(sun, D(2026, 1, 1), D(2026, 1, 31))
        assert child in selectors.children_between(rainbow, D(2026, 1, 1), D(2026, 1, 31))
        assert child not in selectors.children_between(rainbow, D(2026, 6, 1), D(2026, 6, 30))

    def test_placements_are_the_intervals(self, world):
        child, sun, rainbow = self._history(world)
        rows = list(Placement.objects.filter(child=child).values_list("group_id", "start", "end"))
        assert rows == [
            (sun.pk, D(2025, 9, 1), D(2026, 1, 14)),
            (rainbow.pk, D(2026, 1, 15), D(2026, 5, 31)),
        ]

    def test_every_event_is_audited(self, world):
        child, _sun, _rainbow = self._history(world)
        events = MovementEvent.objects.filter(child=child)
        assert events.count() == 3
        audited = AuditRecord.objects.filter(
            kind="movement.movementevent", object_id__in=[str(e.pk) for e in events]
        )
        assert audited.count() == 3
        transfer = audited.get(object_id=str(events.get(kind="transfer").pk))
        assert transfer.changes["from_group"] == "Солнышко"
        assert transfer.changes["group"] == "Радуга"
        assert transfer.actor == world.a.users["hr"]

    def test_re_enrollment_after_withdrawal(self, world):
        child, sun, _rainbow = self._history(world)
        hr = world.a.actor("hr")
        services.child_enroll(
            actor=hr,
            child=child,
            group=sun,
            on=D(2026, 9, 1),
            order=order(hr, world.a, "80-в", D(2026, 8, 28)),
        )
        assert selectors.group_of(child, D(2026, 9, 1)) == sun
        assert Placement.objects.filter(child=child).count() == 3


class TestCancellation:
    def test_cancelling_the_transfer_restores_the_first_group(self, world):
        a = world.a
        hr = a.actor("hr")
        c1 = a.children["c1"]
        event = services.child_transfer(
            actor=hr, child=c1, group=a.groups["rainbow"], on=D(2026, 2, 2), order=None
        )
        cancel = services.movement_event_cancel(actor=hr, event=event, reason="ошибка в дате")
        assert cancel.kind == "cancel" and cancel.cancels == event
        assert selectors.group_of(c1, D(2026, 3, 1)) == a.groups["sun"]
        assert MovementEvent.objects.filter(pk=event.pk).exists()  # never deleted
        record = AuditRecord.objects.get(action="cancel", object_id=str(event.pk))
        assert record.note == "ошибка в дате"

    def test_cancelling_the_enrollment_leaves_no_group(self, world):
        a = world.a
        c3 = a.children["c3"]
        event = MovementEvent.objects.get(child=c3, kind="enroll")
        services.movement_event_cancel(actor=a.actor("coordinator"), event=event, reason="дубль")
        assert selectors.group_of(c3, D(2026, 1, 10)) is None
        assert not Placement.objects.filter(child=c3).exists()


class TestCaseC17:
    """C17: a mid-year transfer (effective 02.02.2026) must not duplicate the child."""

    def test_one_transfer_entry_and_one_child_in_the_headcount(self, world):
        a = world.a
        hr = a.actor("hr")
        g = a.children["c2"]  # «Г» in the case; enrolled into «Солнышко» (А) on 01.09.2025
        A, B = a.groups["sun"], a.groups["rainbow"]
        services.child_transfer(
            actor=hr,
            child=g,
            group=B,
            on=D(2026, 2, 2),
            order=order(hr, a, "7-п", D(2026, 1, 30), "transfer"),
        )
        assert MovementEvent.objects.filter(child=g, kind="transfer").count() == 1
        assert MovementEvent.objects.filter(child=g).exclude(kind="transfer").count() == 1
        # January: in А only.
        assert g in selectors.children_between(A, D(2026, 1, 1), D(2026, 1, 31))
        assert g not in selectors.children_between(B, D(2026, 1, 1), D(2026, 1, 31))
        # From 02.02: in Б's list, not in А's.
        assert g in selectors.children_in(B, D(2026, 2, 2))
        assert g not in selectors.children_in(A, D(2026, 2, 2))
        assert g not in selectors.children_in(A, D(2026, 2, 3))
        # February headcount of the kindergarten counts Г once (c1, c2, c3 → 3 children).
        feb = selectors.organization_children_between(a.org, D(2026, 2, 1), D(2026, 2, 28))
        assert feb.count() == 3
        assert list(feb.filter(pk=g.pk)) == [g]
        # …while Г has two placements touching February (01.02 in А, from 02.02 in Б).
        rows = selectors.placements_between(D(2026, 2, 1), D(2026, 2, 28), organization=a.org)
        assert [(p.group_id, p.start, p.end) for p in rows if p.child_id == g.pk] == [
            (A.pk, D(2025, 9, 1), D(2026, 2, 1)),
            (B.pk, D(2026, 2, 2), None),
        ]


def test_occupancy_on_a_date(world):
    a = world.a
    rows = {r.group.name: r.count for r in selectors.occupancy(a.org.groups.all(), D(2026, 1, 10))}
    assert rows == {"Солнышко": 2, "Радуга": 1}
    assert selectors.occupancy(a.org.groups.all(), D(2025, 8, 31))[0].count == 0


def test_timedelta_semantics_of_withdrawal(world):
    """The withdrawal date is the child's last day: in the group that day, gone the next."""
    a = world.a
    c3 = a.children["c3"]
    services.child_withdraw(
        actor=a.actor("hr"), child=c3, on=D(2026, 5, 29), order=None, reason="school"
    )
    assert selectors.group_of(c3, D(2026, 5, 29)) == a.groups["rainbow"]
    assert selectors.group_of(c3, D(2026, 5, 29) + dt.timedelta(days=1)) is None
