"""Each invariant of the movement book is refused with a Russian message and nothing is
written (issue 3, item 2 and «Tests»)."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from detsad.core.models import AcademicYear, AuditRecord
from detsad.movement import selectors, services
from detsad.movement.models import EducationContract, MovementEvent, Order, Placement
from detsad.movement.services.events import _simulate

from .helpers import D, new_child, order


def _state():
    return (
        MovementEvent.objects.count(),
        Placement.objects.count(),
        Order.objects.count(),
        EducationContract.objects.count(),
        AuditRecord.objects.count(),
    )


@pytest.fixture
def unchanged():
    """``with unchanged(): …`` asserts that the block writes nothing."""
    from contextlib import contextmanager

    @contextmanager
    def _check():
        before = _state()
        yield
        assert _state() == before

    return _check


def _refused(call, *fragments):
    with pytest.raises(ValidationError) as info:
        call()
    text = " ".join(info.value.messages)
    for fragment in fragments:
        assert fragment in text, text
    return text


def test_overlapping_enrollment_is_refused(world, unchanged):
    a = world.a
    c1 = a.children["c1"]  # in «Солнышко» since 01.09.2025
    with unchanged():
        _refused(
            lambda: services.child_enroll(
                actor=a.actor("hr"),
                child=c1,
                group=a.groups["rainbow"],
                on=D(2026, 1, 10),
                order=None,
            ),
            "Иванов Иван Иванович",
            "уже зачислен (с 01.09.2025)",
        )


def test_enrollment_before_an_earlier_stay_ended_is_refused(world, unchanged):
    a = world.a
    hr = a.actor("hr")
    c3 = a.children["c3"]
    services.child_withdraw(actor=hr, child=c3, on=D(2026, 5, 31), order=None, reason="parents")
    with unchanged():
        _refused(
            lambda: services.child_enroll(
                actor=hr, child=c3, group=a.groups["sun"], on=D(2026, 5, 20), order=None
            ),
            "Сидоров Пётр Андреевич",
            "уже зачислен",
        )


def test_transfer_without_enrollment_is_refused(world, unchanged):
    a = world.a
    child = new_child(a)
    with unchanged():
        _refused(
            lambda: services.child_transfer(
                actor=a.actor("hr"),
                child=child,
                group=a.groups["sun"],
                on=D(2026, 1, 10),
                order=None,
            ),
            "Кузнецов Артём Олегович",
            "перевод 10.01.2026 невозможен — ребёнок не зачислен",
        )


def test_withdrawal_without_enrollment_is_refused(world, unchanged):
    a = world.a
    child = new_child(a)
    with unchanged():
        _refused(
            lambda: services.child_withdraw(
                actor=a.actor("hr"), child=child, on=D(2026, 1, 10), order=None, reason="moved"
            ),
            "отчисление 10.01.2026 невозможно — ребёнок не зачислен",
        )


def test_event_before_birth_is_refused(world, unchanged):
    a = world.a
    child = new_child(a, birth=D(2025, 3, 1))
    with unchanged():
        _refused(
            lambda: services.child_enroll(
                actor=a.actor("hr"),
                child=child,
                group=a.groups["sun"],
                on=D(2025, 2, 1),
                order=None,
            ),
            "дата 01.02.2025 раньше даты рождения ребёнка",
        )


def test_duplicate_order_number_in_a_year_is_refused(world, unchanged):
    a = world.a
    with unchanged():
        _refused(
            lambda: order(a.actor("hr"), a, "1-в", D(2025, 12, 1)),
            "Приказ № 1-в за 2025 год уже есть",
        )
    # The same number next year, or in another kindergarten, is fine.
    assert order(a.actor("hr"), a, "1-в", D(2026, 1, 9)).year == 2026
    assert Order.objects.filter(organization=world.b.org, number="1-в").exists()


def test_order_number_is_unique_in_the_database_too(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        Order.objects.create(
            organization=world.a.org, number="1-в", date=D(2025, 10, 1), kind="enroll"
        )


def test_closed_year_needs_an_explicit_correction(world, unchanged):
    a = world.a
    hr = a.actor("hr")
    AcademicYear.objects.filter(organization=a.org, start=D(2025, 9, 1)).update(state="closed")
    child = new_child(a)
    enroll = lambda **kw: services.child_enroll(  # noqa: E731
        actor=hr, child=child, group=a.groups["sun"], on=D(2026, 3, 2), order=None, **kw
    )
    with unchanged():
        _refused(enroll, "Дата 02.03.2026 относится к закрытому учебному году 2025/2026")
        _refused(lambda: enroll(correction=True), "Укажите причину исправления")
    event = enroll(correction=True, correction_reason="приказ не внесён вовремя")
    assert event.correction_reason == "приказ не внесён вовремя"
    assert AuditRecord.objects.get(object_id=str(event.pk), kind="movement.movementevent").note == (
        "исправление: приказ не внесён вовремя"
    )
    # Cancelling an event of the closed year is also a correction.
    old = MovementEvent.objects.get(child=a.children["c3"], kind="enroll")
    with unchanged():
        _refused(
            lambda: services.movement_event_cancel(actor=hr, event=old, reason="ошибка"),
            "закрытому учебному году",
        )
    services.movement_event_cancel(actor=hr, event=old, reason="ошибка", correction=True)


def test_initial_data_may_describe_a_closed_year(world):
    a = world.a
    AcademicYear.objects.filter(organization=a.org, start=D(2025, 9, 1)).update(state="closed")
    actor = a.actor("coordinator")
    marker = services.initial_data_order(actor=actor, organization=a.org, on=D(2026, 11, 1))
    assert marker.is_initial_data and marker.number == "НД"
    assert services.initial_data_order(actor=actor, organization=a.org) == marker
    child = new_child(a)
    services.child_enroll(
        actor=actor, child=child, group=a.groups["sun"], on=D(2025, 9, 1), order=marker
    )
    assert selectors.group_of(child, D(2025, 10, 1)) == a.groups["sun"]


class TestCapacity:
    def _fill(self, world, capacity):
        a = world.a
        a.groups["rainbow"].capacity = capacity
        a.groups["rainbow"].save()
        return a, [new_child(a, last=f"Ребёнок{i}") for i in range(2)]

    def test_hr_gets_the_warning_and_cannot_confirm(self, world, unchanged):
        a, kids = self._fill(world, 2)  # c3 is there: 1 + 2 = 3 > 2
        hr = a.actor("hr")
        with unchanged():
            with pytest.raises(services.CapacityWarning) as info:
                services.children_enroll(
                    actor=hr,
                    children=kids,
                    group=a.groups["rainbow"],
                    on=D(2026, 1, 12),
                    order=None,
                )
            assert "В группе «Радуга» на 12.01.2026 будет 3 ребёнка при наполняемости 2" in str(
                info.value
            )
            _refused(
                lambda: services.children_enroll(
                    actor=hr,
                    children=kids,
                    group=a.groups["rainbow"],
                    on=D(2026, 1, 12),
                    order=None,
                    confirm_over_capacity=True,
                ),
                "Подтвердить превышение может только координатор",
            )

    def test_coordinator_confirms(self, world):
        a, kids = self._fill(world, 2)
        events = services.children_enroll(
            actor=a.actor("coordinator"),
            children=kids,
            group=a.groups["rainbow"],
            on=D(2026, 1, 12),
            order=None,
            confirm_over_capacity=True,
        )
        assert all(e.over_capacity_confirmed for e in events)

    def test_a_later_enrollment_counts_too(self, world):
        """Capacity is checked at every later start, not only on the date itself."""
        a, kids = self._fill(world, 2)
        hr = a.actor("hr")
        services.child_enroll(
            actor=hr, child=kids[0], group=a.groups["rainbow"], on=D(2026, 3, 2), order=None
        )
        with pytest.raises(services.CapacityWarning) as info:
            services.child_enroll(
                actor=hr, child=kids[1], group=a.groups["rainbow"], on=D(2026, 2, 2), order=None
            )
        assert "на 02.03.2026 будет 3 ребёнка" in str(info.value)


def test_a_signed_order_takes_no_more_events(world, unchanged):
    a = world.a
    hr, head = a.actor("hr"), a.actor("head")
    o = order(hr, a, "12-в", D(2026, 1, 9))
    services.child_enroll(
        actor=hr, child=new_child(a), group=a.groups["sun"], on=D(2026, 1, 12), order=o
    )
    services.order_sign(actor=head, order=o)
    late = new_child(a, last="Поздний")
    with unchanged():
        _refused(
            lambda: services.child_enroll(
                actor=hr, child=late, group=a.groups["sun"], on=D(2026, 1, 12), order=o
            ),
            "Приказ № 12-в от 09.01.2026 уже подписан заведующим",
        )


def test_order_of_another_kindergarten_is_refused(world, unchanged):
    a = world.a
    with unchanged():
        _refused(
            lambda: services.child_enroll(
                actor=a.actor("hr"),
                child=new_child(a),
                group=a.groups["sun"],
                on=D(2026, 1, 12),
                order=world.b.order,
            ),
            "Приказ принадлежит другой организации",
        )


def test_a_child_listed_twice_is_refused(world, unchanged):
    a = world.a
    kid = new_child(a)
    with unchanged():
        _refused(
            lambda: services.children_enroll(
                actor=a.actor("hr"),
                children=[kid, kid],
                group=a.groups["sun"],
                on=D(2026, 1, 12),
                order=None,
            ),
            "ребёнок указан дважды",
        )


def test_one_bad_child_stops_the_whole_batch(world, unchanged):
    a = world.a
    fine = new_child(a)
    with unchanged():
        _refused(
            lambda: services.children_enroll(
                actor=a.actor("hr"),
                children=[fine, a.children["c1"]],
                group=a.groups["rainbow"],
                on=D(2026, 1, 12),
                order=None,
            ),
            "Иванов Иван Иванович",
        )


def test_cancel_refused_while_later_events_rest_on_it(world, unchanged):
    a = world.a
    hr = a.actor("hr")
    c1 = a.children["c1"]
    services.child_transfer(
        actor=hr, child=c1, group=a.groups["rainbow"], on=D(2026, 1, 15), order=None
    )
    enroll = MovementEvent.objects.get(child=c1, kind="enroll")
    with unchanged():
        _refused(
            lambda: services.movement_event_cancel(actor=hr, event=enroll, reason="ошибка"),
            "нельзя отменить",
            "Сначала отмените более поздние записи",
        )
        _refused(
            lambda: services.movement_event_cancel(actor=hr, event=enroll, reason="  "),
            "Укажите причину отмены",
        )


def test_only_writers_move_children_and_only_the_head_signs(world):
    a = world.a
    for role in ("educator", "sysadmin", "parent", "committee_rep"):
        with pytest.raises(PermissionDenied):
            services.child_transfer(
                actor=a.actor(role),
                child=a.children["c1"],
                group=a.groups["rainbow"],
                on=D(2026, 1, 15),
                order=None,
            )
    o = order(a.actor("hr"), a, "15-п", D(2026, 1, 14), "transfer")
    services.child_transfer(
        actor=a.actor("coordinator"),
        child=a.children["c1"],
        group=a.groups["rainbow"],
        on=D(2026, 1, 15),
        order=o,
    )
    for role in ("hr", "coordinator"):
        with pytest.raises(PermissionDenied):
            services.order_sign(actor=a.actor(role), order=o)
    signed = services.order_sign(actor=a.actor("head"), order=o)
    assert signed.is_signed and signed.signed_by == a.users["head"]
    _refused(lambda: services.order_sign(actor=a.actor("head"), order=o), "уже подписан")


def test_foreign_objects_are_not_found(world):
    from django.http import Http404

    a, b = world.a, world.b
    with pytest.raises(Http404):
        services.child_transfer(
            actor=a.actor("hr"),
            child=b.children["c1"],
            group=b.groups["rainbow"],
            on=D(2026, 1, 15),
            order=None,
        )
    event = MovementEvent.objects.get(child=b.children["c1"], kind="enroll")
    with pytest.raises(Http404):
        services.movement_event_cancel(actor=a.actor("hr"), event=event, reason="чужое")


def test_the_database_refuses_overlapping_placements(world):
    """The rule holds even for a write that skips the services (trigger / exclusion)."""
    c1 = world.a.children["c1"]
    existing = Placement.objects.get(child=c1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Placement.objects.create(
            organization=world.a.org,
            child=c1,
            group=world.a.groups["rainbow"],
            start=D(2026, 1, 10),
            start_event=existing.start_event,
        )
    # Touching but not overlapping is fine.
    existing.end = D(2026, 1, 9)
    existing.save()
    Placement.objects.create(
        organization=world.a.org,
        child=c1,
        group=world.a.groups["rainbow"],
        start=D(2026, 1, 10),
        start_event=existing.start_event,
    )


EVENT = st.tuples(
    st.sampled_from(["enroll", "transfer", "withdraw"]),
    st.integers(min_value=0, max_value=400),
    st.sampled_from([1, 2, 3]),
)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(EVENT, max_size=8))
def test_replayed_histories_never_overlap(world, raw):
    """Any sequence the services accept gives non-overlapping intervals, one group a day."""
    child = world.a.children["c1"]
    start = D(2025, 9, 1)
    accepted: list[MovementEvent] = []
    for i, (kind, offset, group_id) in enumerate(raw):
        event = MovementEvent(
            pk=i + 1,
            child=child,
            kind=kind,
            on=start + dt.timedelta(days=offset),
            group_id=group_id,
        )
        try:
            _simulate(child, [*accepted, event])
        except ValidationError:
            continue
        accepted.append(event)
    intervals = _simulate(child, accepted)
    for before, after in zip(intervals, intervals[1:], strict=False):
        assert before.end is not None and before.end < after.start
    for i in intervals:
        assert i.end is None or i.start <= i.end
