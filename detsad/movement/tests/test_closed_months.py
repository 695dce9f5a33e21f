"""Movement entries that change a child's group on a day of a closed attendance or fees
month (MonthClosing) are refused unless they are an explicit correction with a reason
(DESIGN.md §5; QA of issue 3). Also: Russian plurals in the capacity warning."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from detsad.core.models import MonthClosing
from detsad.core.text import count
from detsad.movement import selectors, services
from detsad.movement.children_import import ImportOptions, children_import
from detsad.movement.models import MovementEvent, Placement, WithdrawalReason
from detsad.movement.services.events import _Interval, changed_spans

from .helpers import D, new_child
from .import_support import actor_of, ds24, groups_of, sample  # noqa: F401


def close(org, month, kind=MonthClosing.Kind.ATTENDANCE, reopened=False):
    return MonthClosing.objects.create(
        organization=org,
        kind=kind,
        month=month,
        closed_at=timezone.now(),
        reopened_at=timezone.now() if reopened else None,
        reopen_reason="ошибка в табеле" if reopened else "",
    )


def _i(group, start, end=None):
    return _Interval(group, start, end, None)


class TestChangedSpans:
    def test_hand_worked(self):
        # withdrawal on 31.10 of an open-ended stay: the days from 01.11 change
        assert changed_spans([_i(1, D(2025, 9, 1))], [_i(1, D(2025, 9, 1), D(2026, 10, 31))]) == [
            (D(2026, 11, 1), None)
        ]
        # a new enrollment on 15.01: every day from 15.01 on
        assert changed_spans([], [_i(2, D(2026, 1, 15))]) == [(D(2026, 1, 15), None)]
        # a transfer on 12.01: A → B from 12.01 on
        assert changed_spans(
            [_i(1, D(2025, 9, 1))], [_i(1, D(2025, 9, 1), D(2026, 1, 11)), _i(2, D(2026, 1, 12))]
        ) == [(D(2026, 1, 12), None)]
        # the same history: nothing changes
        assert changed_spans([_i(1, D(2025, 9, 1))], [_i(1, D(2025, 9, 1))]) == []
        # a transfer on 12.01 moved to 02.02 (old B from 12.01, new B from 02.02)
        assert changed_spans(
            [_i(1, D(2025, 9, 1), D(2026, 1, 11)), _i(2, D(2026, 1, 12))],
            [_i(1, D(2025, 9, 1), D(2026, 2, 1)), _i(2, D(2026, 2, 2))],
        ) == [(D(2026, 1, 12), D(2026, 2, 1))]


def _nothing_written(org, before):
    assert (MovementEvent.objects.filter(organization=org).count(), Placement.objects.count()) == (
        before
    )


def _state(org):
    return MovementEvent.objects.filter(organization=org).count(), Placement.objects.count()


class TestService:
    def test_enrollment_in_a_closed_attendance_month_is_refused_naming_the_month(self, world):
        a = world.a
        close(a.org, D(2026, 1, 1))
        kid = new_child(a)
        before = _state(a.org)
        with pytest.raises(services.ClosedMonthError) as info:
            services.child_enroll(
                actor=a.actor("hr"), child=kid, group=a.groups["sun"], on=D(2026, 1, 12), order=None
            )
        text = " ".join(info.value.messages)
        assert "Кузнецов Артём Олегович: зачисление 12.01.2026 меняет состав группы" in text
        assert "январь 2026 (посещаемость)" in text
        assert "исправление с указанием причины" in text
        _nothing_written(a.org, before)

    def test_the_correction_with_a_reason_passes_and_is_recorded(self, world):
        a = world.a
        close(a.org, D(2026, 1, 1))
        kid = new_child(a)
        with pytest.raises(ValidationError, match="Укажите причину исправления"):
            services.child_enroll(
                actor=a.actor("hr"),
                child=kid,
                group=a.groups["sun"],
                on=D(2026, 1, 12),
                order=None,
                correction=True,
            )
        event = services.child_enroll(
            actor=a.actor("hr"),
            child=kid,
            group=a.groups["sun"],
            on=D(2026, 1, 12),
            order=None,
            correction=True,
            correction_reason="приказ поступил после закрытия табеля",
        )
        assert event.correction_reason == "приказ поступил после закрытия табеля"
        assert selectors.group_of(kid, D(2026, 1, 12)) == a.groups["sun"]

    def test_an_earlier_date_that_reaches_into_a_closed_month_is_refused(self, world):
        """Enrolled on 15.12 (open month) with January closed: January's list changes."""
        a = world.a
        close(a.org, D(2026, 1, 1), kind=MonthClosing.Kind.FEES)
        kid = new_child(a)
        with pytest.raises(services.ClosedMonthError, match=r"январь 2026 \(родительская плата\)"):
            services.child_enroll(
                actor=a.actor("hr"),
                child=kid,
                group=a.groups["sun"],
                on=D(2025, 12, 15),
                order=None,
            )

    def test_withdrawal_on_the_last_day_of_a_closed_month_is_allowed(self, world):
        a = world.a
        close(a.org, D(2026, 1, 1))
        c1 = a.children["c1"]
        with pytest.raises(services.ClosedMonthError, match="январь 2026"):
            services.child_withdraw(
                actor=a.actor("hr"),
                child=c1,
                on=D(2026, 1, 30),
                order=None,
                reason=WithdrawalReason.MOVED,
            )
        event = services.child_withdraw(
            actor=a.actor("hr"),
            child=c1,
            on=D(2026, 1, 31),
            order=None,
            reason=WithdrawalReason.MOVED,
        )
        assert event.correction_reason == ""
        assert selectors.group_of(c1, D(2026, 1, 31)) == a.groups["sun"]
        assert selectors.group_of(c1, D(2026, 2, 1)) is None

    def test_transfer_and_both_kinds_named(self, world):
        a = world.a
        close(a.org, D(2026, 2, 1))
        close(a.org, D(2026, 2, 1), kind=MonthClosing.Kind.FEES)
        close(a.org, D(2026, 3, 1))
        with pytest.raises(services.ClosedMonthError) as info:
            services.child_transfer(
                actor=a.actor("coordinator"),
                child=a.children["c1"],
                group=a.groups["rainbow"],
                on=D(2026, 2, 16),
                order=None,
            )
        assert "февраль 2026 (посещаемость, родительская плата), март 2026 (посещаемость)" in str(
            info.value
        )

    def test_a_reopened_month_does_not_lock(self, world):
        a = world.a
        close(a.org, D(2026, 1, 1), reopened=True)
        services.child_transfer(
            actor=a.actor("coordinator"),
            child=a.children["c1"],
            group=a.groups["rainbow"],
            on=D(2026, 1, 12),
            order=None,
        )

    def test_cancelling_an_entry_of_a_closed_month_needs_the_correction(self, world):
        a = world.a
        c1 = a.children["c1"]
        withdrawal = services.child_withdraw(
            actor=a.actor("hr"),
            child=c1,
            on=D(2026, 1, 20),
            order=None,
            reason=WithdrawalReason.MOVED,
        )
        close(a.org, D(2026, 1, 1))
        before = _state(a.org)
        with pytest.raises(services.ClosedMonthError, match="отмена записи"):
            services.movement_event_cancel(
                actor=a.actor("hr"), event=withdrawal, reason="родители передумали"
            )
        _nothing_written(a.org, before)
        cancel = services.movement_event_cancel(
            actor=a.actor("hr"), event=withdrawal, reason="родители передумали", correction=True
        )
        assert cancel.correction_reason == "родители передумали"
        assert selectors.group_of(c1, D(2026, 1, 25)) == a.groups["sun"]


class TestPages:
    def test_enroll_form_shows_the_month_and_offers_the_correction(self, world, as_role):
        a = world.a
        close(a.org, D(2026, 1, 1))
        kid = new_child(a)
        data = {
            "action": "save",
            "on": "12.01.2026",
            "group": a.groups["sun"].pk,
            "children": [kid.pk],
            "order_number": "7-в",
            "order_date": "09.01.2026",
        }
        client = as_role("hr")
        html = client.post("/movement/enroll/", data).content.decode()
        assert "меняет состав группы в закрытом месяце — январь 2026 (посещаемость)" in html
        assert 'open data-testid="correction"' in html
        assert not MovementEvent.objects.filter(child=kid).exists()
        data |= {"correction": "on", "correction_reason": "приказ подписан задним числом"}
        response = client.post("/movement/enroll/", data)
        assert response.status_code == 302
        event = MovementEvent.objects.get(child=kid)
        assert event.correction_reason == "приказ подписан задним числом"

    def test_cancel_page_explains_the_correction(self, world, as_role):
        a = world.a
        withdrawal = services.child_withdraw(
            actor=a.actor("hr"),
            child=a.children["c2"],
            on=D(2026, 1, 20),
            order=None,
            reason=WithdrawalReason.MOVED,
        )
        close(a.org, D(2026, 1, 1))
        client = as_role("hr")
        url = f"/movement/events/{withdrawal.pk}/cancel/"
        html = client.post(url, {"reason": "ошибка"}).content.decode()
        assert 'data-testid="closed-month"' in html
        assert "январь 2026 (посещаемость)" in html
        assert client.post(url, {"reason": "ошибка", "correction": "on"}).status_code == 302


class TestImport:
    def test_import_into_a_closed_month_asks_for_the_reason(self, ds24):  # noqa: F811
        close(ds24, dt.date(2026, 9, 1))
        options = ImportOptions(order_number="150-в", order_date=D(2026, 9, 1))

        def run(opts, dry_run=False):
            return children_import(
                actor=actor_of(ds24),
                organization=ds24,
                content=sample("children.xlsx"),
                filename="children.xlsx",
                options=opts,
                dry_run=dry_run,
            )

        preview = run(options, dry_run=True)
        assert preview.ready and not preview.faults
        # both dates reach September 2026: the 01.09.2025 enrollments stay open-ended
        assert preview.closed_month_warnings == [
            "Зачисление с 01.09.2025 меняет состав групп в закрытом месяце: "
            "сентябрь 2026 (посещаемость)",
            "Зачисление с 01.09.2026 меняет состав групп в закрытом месяце: "
            "сентябрь 2026 (посещаемость)",
        ]
        refused = run(options)
        assert not refused.committed
        assert len(refused.faults) == 40
        assert "укажите причину исправления" in refused.faults[0].message
        assert not MovementEvent.objects.filter(organization=ds24).exists()

        options.correction_reason = "загрузка списка после закрытия сентября"
        done = run(options)
        assert done.committed and done.counts["children"] == 40
        reasons = set(
            MovementEvent.objects.filter(organization=ds24).values_list(
                "correction_reason", flat=True
            )
        )
        assert reasons == {"загрузка списка после закрытия сентября"}
        assert sum(1 for _ in groups_of(ds24)) == 5


@pytest.mark.parametrize(
    "n, text",
    [(1, "1 ребёнок"), (21, "21 ребёнок"), (22, "22 ребёнка"), (11, "11 детей"), (25, "25 детей")],
)
def test_plural_of_children(n, text):
    assert count(n, "ребёнок", "ребёнка", "детей") == text


def test_capacity_warning_uses_the_right_plural(world):
    a = world.a
    a.groups["rainbow"].capacity = 0
    a.groups["rainbow"].save()
    with pytest.raises(services.CapacityWarning) as info:
        services.child_transfer(
            actor=a.actor("hr"),
            child=a.children["c1"],
            group=a.groups["rainbow"],
            on=D(2026, 1, 12),
            order=None,
        )
    # c3 is in «Радуга»: 1 + 1 = 2
    assert "будет 2 ребёнка при наполняемости 0" in str(info.value)
