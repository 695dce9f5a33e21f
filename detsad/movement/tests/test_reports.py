"""Movement summary and occupancy: hand-worked numbers, the identity at_end = at_start +
arrived − left checked against an independent replay, the department officer's view."""

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from detsad.movement import services
from detsad.movement.models import MovementEvent
from detsad.movement.summaries import REASONS, movement_summary, occupancy_report

from .helpers import D, new_child

JAN = (D(2026, 1, 1), D(2026, 1, 31))


def january(world):
    """The January 2026 of kindergarten A (see the expected table in the tests)."""
    a = world.a
    hr = a.actor("hr")
    sun, rainbow = a.groups["sun"], a.groups["rainbow"]
    x = new_child(a, "Новиков", "Максим", "Ильич")
    services.child_enroll(actor=hr, child=x, group=sun, on=D(2026, 1, 12), order=None)
    z = new_child(a, "Ошибкин", "Олег", "Олегович")
    wrong = services.child_enroll(actor=hr, child=z, group=sun, on=D(2026, 1, 13), order=None)
    services.movement_event_cancel(actor=hr, event=wrong, reason="не тот ребёнок")
    services.child_transfer(
        actor=hr, child=a.children["c1"], group=rainbow, on=D(2026, 1, 15), order=None
    )
    services.child_withdraw(
        actor=hr, child=a.children["c3"], on=D(2026, 1, 20), order=None, reason="moved"
    )
    services.child_withdraw(
        actor=hr, child=a.children["c2"], on=D(2026, 1, 31), order=None, reason="parents"
    )
    y = new_child(a, "Февральский", "Фёдор", "Фёдорович")
    services.child_enroll(actor=hr, child=y, group=rainbow, on=D(2026, 2, 1), order=None)


def as_tuple(r):
    return (
        r.at_start,
        r.enrolled,
        r.transferred_in,
        r.transferred_out,
        r.withdrawn_total,
        r.at_end,
    )


def test_summary_per_group_worked_by_hand(world):
    january(world)
    rows, total = movement_summary(world.a.actor("coordinator"), *JAN)
    by_name = {r.label: r for r in rows}
    #                              start enr in out wdr end
    assert as_tuple(by_name["Солнышко"]) == (2, 1, 0, 1, 1, 1)
    assert as_tuple(by_name["Радуга"]) == (1, 0, 1, 0, 1, 1)
    assert as_tuple(total) == (3, 1, 1, 1, 2, 2)
    assert by_name["Солнышко"].withdrawn == {r.value: int(r.value == "parents") for r in REASONS}
    assert by_name["Радуга"].withdrawn["moved"] == 1
    # February starts where January ended, with Y arriving on 01.02.
    rows, total = movement_summary(world.a.actor("coordinator"), D(2026, 2, 1), D(2026, 2, 28))
    assert as_tuple(total) == (2, 1, 0, 0, 0, 3)


def test_department_officer_sees_every_kindergarten(world):
    january(world)
    rows, total = movement_summary(world.dept_actor(), *JAN, by_organization=True)
    assert [(r.label, as_tuple(r)) for r in rows] == [
        ("ДОО A", (3, 1, 1, 1, 2, 2)),
        ("ДОО B", (3, 0, 0, 0, 0, 3)),
    ]
    assert as_tuple(total) == (6, 1, 1, 1, 2, 5)


def test_occupancy_worked_by_hand(world):
    january(world)
    rows, total = occupancy_report(world.a.actor("hr"), D(2026, 1, 20))
    # Солнышко: c2, Новиков; Радуга: c1 (from 15.01) and c3 (last day 20.01).
    assert [(r.label, r.count, r.capacity, r.free) for r in rows] == [
        ("Радуга", 2, 25, 23),
        ("Солнышко", 2, 20, 18),
    ]
    assert (total.count, total.capacity) == (4, 45)
    rows, total = occupancy_report(world.dept_actor(), D(2026, 1, 21), by_organization=True)
    assert [(r.label, r.groups, r.count, r.capacity) for r in rows] == [
        ("ДОО A", 2, 3, 45),
        ("ДОО B", 2, 3, 45),
    ]


def test_educator_sees_own_group_only(world):
    january(world)
    rows, _total = movement_summary(world.a.actor("educator"), *JAN)
    assert [r.label for r in rows] == ["Солнышко"]


def _replay(organization, before_or_on):
    """Independent oracle: child → group after applying every effective event dated
    ≤ `before_or_on` in book order."""
    events = MovementEvent.objects.filter(organization=organization).order_by("on", "id")
    cancelled = {e.cancels_id for e in events if e.kind == "cancel"}
    state = {}
    for e in events:
        if e.kind == "cancel" or e.pk in cancelled or e.on > before_or_on:
            continue
        state[e.child_id] = None if e.kind == "withdraw" else e.group_id
    return state


OPS = st.lists(
    st.tuples(
        st.sampled_from(["enroll", "transfer", "withdraw", "cancel"]),
        st.integers(0, 3),  # child
        st.integers(0, 300),  # day offset from 01.09.2025
        st.booleans(),  # group: sun / rainbow
    ),
    min_size=4,
    max_size=16,
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(OPS, st.integers(0, 300), st.integers(0, 120))
def test_summary_identity_against_a_replay(world, ops, start_offset, length):
    a = world.a
    with transaction.atomic():
        hr = a.actor("coordinator")
        kids = [a.children["c1"], a.children["c2"], new_child(a, "Первый"), new_child(a, "Второй")]
        groups = [a.groups["sun"], a.groups["rainbow"]]
        base = D(2025, 9, 1)
        for kind, ci, offset, g in sorted(ops, key=lambda op: op[2]):
            on = base + dt.timedelta(days=offset)
            try:
                with transaction.atomic():
                    if kind == "enroll":
                        services.child_enroll(
                            actor=hr, child=kids[ci], group=groups[g], on=on, order=None
                        )
                    elif kind == "transfer":
                        services.child_transfer(
                            actor=hr, child=kids[ci], group=groups[g], on=on, order=None
                        )
                    elif kind == "withdraw":
                        services.child_withdraw(
                            actor=hr,
                            child=kids[ci],
                            on=on,
                            order=None,
                            reason="other",
                            reason_text="тест",
                        )
                    else:
                        last = (
                            MovementEvent.objects.filter(child=kids[ci])
                            .exclude(kind="cancel")
                            .order_by("-on", "-id")
                            .first()
                        )
                        if last:
                            services.movement_event_cancel(actor=hr, event=last, reason="тест")
            except ValidationError:
                pass
        start = base + dt.timedelta(days=start_offset)
        end = start + dt.timedelta(days=length)
        rows, total = movement_summary(hr, start, end)
        before = _replay(a.org, start - dt.timedelta(days=1))
        after = _replay(a.org, end)
        for r in rows:
            assert r.at_end == r.at_start + r.arrived - r.left
            assert r.at_start == sum(1 for g in before.values() if g == r.key)
            assert r.at_end == sum(1 for g in after.values() if g == r.key)
        assert total.at_end == sum(1 for g in after.values() if g is not None)
        transaction.set_rollback(True)


@pytest.mark.parametrize("fmt", ["movement", "occupancy"])
def test_report_xlsx_reads_back(world, as_role, fmt):
    january(world)
    client = as_role("coordinator")
    if fmt == "movement":
        response = client.get(
            "/movement/reports/movement/?start=01.01.2026&end=31.01.2026&format=xlsx"
        )
    else:
        response = client.get("/movement/reports/occupancy/?on=20.01.2026&format=xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = load_workbook(io.BytesIO(response.content)).active
    rows = [list(row) for row in ws.iter_rows(min_row=4, values_only=True)]
    if fmt == "movement":
        assert rows[0][:5] == [
            "Группа",
            "Состояло на начало",
            "Зачислено",
            "Переведено из других групп",
            "Переведено в другие группы",
        ]
        by_name = {r[0]: r for r in rows[1:]}
        assert by_name["Солнышко"][1:5] == [2, 1, 0, 1]
        assert by_name["Всего"][-1] == 2 and by_name["Всего"][-2] == 2
    else:
        assert rows[0] == ["Группа", "Групп", "Мест", "Детей", "Свободно", "%"]
        assert rows[1] == ["Радуга", 1, 25, 2, 23, 8]
        assert rows[-1] == ["Всего", 2, 45, 4, 41, 9]


def test_department_report_pages(world, as_role):
    january(world)
    client = as_role("dept_officer")
    page = client.get("/movement/reports/movement/?start=01.01.2026&end=31.01.2026")
    assert page.status_code == 200
    html = page.content.decode()
    assert "ДОО A" in html and "ДОО B" in html and "ДОО C" not in html
    one = client.get(
        f"/movement/reports/movement/?organization={world.a.org.pk}&start=01.01.2026&end=31.01.2026"
    )
    assert "Солнышко" in one.content.decode()
    assert (
        client.get(f"/movement/reports/movement/?organization={world.c.org.pk}").status_code == 404
    )
    assert client.get("/movement/reports/occupancy/").status_code == 200


def _add_history(world, n):
    a = world.a
    hr = a.actor("hr")
    for i in range(n):
        kid = new_child(a, f"Запасной{i}")
        services.child_enroll(
            actor=hr,
            child=kid,
            group=a.groups["sun" if i % 2 else "rainbow"],
            on=D(2026, 1, 12 + i),
            order=None,
        )
        services.child_withdraw(
            actor=hr, child=kid, on=D(2026, 3, 1 + i), order=None, reason="health"
        )


@pytest.mark.parametrize("url", ["/movement/reports/movement/", "/movement/reports/occupancy/"])
@pytest.mark.parametrize("role", ["coordinator", "dept_officer"])
def test_report_queries_do_not_grow(world, as_role, django_assert_max_num_queries, url, role):
    client = as_role(role)
    client.get(url)  # warm the session and the actor
    with django_assert_max_num_queries(12):
        assert client.get(url).status_code == 200
    _add_history(world, 6)
    with django_assert_max_num_queries(12):
        assert client.get(url).status_code == 200
