"""The department officer's home page: one row of figures per kindergarten of the
municipality (children, places, occupancy, groups, today's journal) and a total row."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from detsad.attendance.models import AttendanceMark
from detsad.core.models import Group, Organization
from detsad.movement.models import MovementEvent, Placement
from detsad.people.models import Child

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def working_today(monkeypatch):
    """The figures below are for a working day, whatever day the suite runs on."""
    monkeypatch.setattr("detsad.attendance.dashboard.federal_is_working_day", lambda day: True)


def test_on_a_weekend_the_journal_columns_say_day_off(world, as_role, monkeypatch):
    monkeypatch.setattr("detsad.attendance.dashboard.federal_is_working_day", lambda day: False)
    _, w = _overview(as_role("dept_officer"))
    table = _table(w)
    assert table["ДОО A"]["marked"] == "выходной" and table["Итого"]["marked"] == "выходной"
    assert table["ДОО A"]["present"] == "—"


def _overview(client):
    response = client.get("/")
    assert response.status_code == 200
    widgets = {w.template: w.context for w in response.context["widgets"]}
    return response, widgets["core/widgets/organizations.html"]


def _table(w):
    """{short name: {figure key: cell}} plus the total row under "Итого"."""
    keys = [f.key for f in w["figures"]]
    table = {o.short_name: dict(zip(keys, cells, strict=True)) for o, cells in w["rows"]}
    table["Итого"] = dict(zip(keys, w["totals"], strict=True))
    return table


def test_figures_per_kindergarten_hand_worked(world, as_role):
    client = as_role("dept_officer")
    today = world.dept_actor().today
    a, b = world.a, world.b
    # A: sun has c1 present and c2 absent (complete), rainbow (c3) not marked yet.
    AttendanceMark.objects.create(
        organization=a.org, child=a.children["c1"], group=a.groups["sun"], on=today, present=True
    )
    AttendanceMark.objects.create(
        organization=a.org, child=a.children["c2"], group=a.groups["sun"], on=today, present=False
    )
    # B: c3 left yesterday, so rainbow is empty today (nothing to mark); in sun only c1 is
    # marked (present), so sun is not complete. A mark of another day does not count.
    Placement.objects.filter(child=b.children["c3"]).update(end=today - dt.timedelta(days=1))
    AttendanceMark.objects.create(
        organization=b.org, child=b.children["c1"], group=b.groups["sun"], on=today, present=True
    )
    AttendanceMark.objects.create(
        organization=b.org,
        child=b.children["c2"],
        group=b.groups["sun"],
        on=today - dt.timedelta(days=1),
        present=True,
    )
    response, w = _overview(client)
    assert _table(w) == {
        # 3 children / (20 + 25) places = 6.7 % → 7 %
        "ДОО A": {
            "children": 3,
            "places": 45,
            "occupancy": "7 %",
            "groups": 2,
            "marked": "1 / 2",
            "present": 1,
        },
        # 2 / 45 = 4.4 % → 4 %; rainbow empty counts as marked, sun half-marked does not
        "ДОО B": {
            "children": 2,
            "places": 45,
            "occupancy": "4 %",
            "groups": 2,
            "marked": "1 / 2",
            "present": 1,
        },
        # 5 / 90 = 5.6 % → 6 %
        "Итого": {
            "children": 5,
            "places": 90,
            "occupancy": "6 %",
            "groups": 4,
            "marked": "2 / 4",
            "present": 2,
        },
    }
    html = response.content.decode()
    assert "Наполняемость" in html and "Отмечено групп" in html and "Итого" in html
    # figures only: no child's name reaches the officer's page
    for child in Child.objects.filter(organization__in=[a.org, b.org]):
        assert child.last_name not in html


def test_archived_group_is_not_counted(world, as_role):
    Group.objects.filter(pk=world.a.groups["rainbow"].pk).update(
        archived_at=dt.datetime.now(dt.UTC)
    )
    _, w = _overview(as_role("dept_officer"))
    row = _table(w)["ДОО A"]
    assert (row["children"], row["places"], row["occupancy"], row["groups"]) == (2, 20, "10 %", 1)


def test_officer_of_m1_never_sees_m2(world, as_role):
    response, w = _overview(as_role("dept_officer"))
    assert [o.short_name for o, _ in w["rows"]] == ["ДОО A", "ДОО B"]
    assert "ДОО C" not in response.content.decode()
    assert _table(w)["Итого"]["children"] == 6
    response, w = _overview(as_role("dept_officer", org="c"))
    assert [o.short_name for o, _ in w["rows"]] == ["ДОО C"]
    assert _table(w)["Итого"] == {
        "children": 3,
        "places": 45,
        "occupancy": "7 %",
        "groups": 2,
        "marked": "0 / 2",
        "present": 0,
    }


def _add_kindergarten(world, n: int) -> None:
    """Another kindergarten of m1 with two groups, three children placed and marked."""
    org = Organization.objects.get(pk=world.a.org.pk)
    org.pk = None
    org.id = None
    org.short_name = f"ДОО Z{n}"
    org.full_name = f"Детский сад Z{n}"
    org.inn = f"23329999{n:02d}"
    org.save()
    today = world.dept_actor().today
    for name in ("Звёздочка", "Ромашка"):
        group = Group.objects.create(
            organization=org, name=name, age_category="junior", capacity=15
        )
        for i in range(3):
            child = Child.objects.create(
                organization=org,
                last_name=f"Ребёнок{n}",
                first_name=f"{name}{i}",
                sex="M",
                birth_date=dt.date(2022, 1, 1),
            )
            event = MovementEvent.objects.create(
                organization=org,
                child=child,
                kind=MovementEvent.Kind.ENROLL,
                on=dt.date(2025, 9, 1),
                group=group,
            )
            Placement.objects.create(
                organization=org, child=child, group=group, start=event.on, start_event=event
            )
            AttendanceMark.objects.create(
                organization=org, child=child, group=group, on=today, present=True
            )


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        _overview(client)
    return len(ctx.captured_queries)


def test_query_count_does_not_grow_with_kindergartens(
    world, as_role, django_assert_max_num_queries
):
    client = as_role("dept_officer")
    Organization.objects.filter(pk=world.b.org.pk).update(archived_at=dt.datetime.now(dt.UTC))
    _overview(client)  # warm the session/permission caches
    one = _queries(client)
    assert one <= 10  # session, user, memberships, kindergartens, one per contributing app
    Organization.objects.filter(pk=world.b.org.pk).update(archived_at=None)
    for n in range(3):
        _add_kindergarten(world, n)
    with django_assert_max_num_queries(one):
        _, w = _overview(client)
    assert len(w["rows"]) == 5
    assert _table(w)["ДОО Z0"] == {
        "children": 6,
        "places": 30,
        "occupancy": "20 %",
        "groups": 2,
        "marked": "2 / 2",
        "present": 6,
    }
    assert _table(w)["Итого"]["children"] == 3 + 3 + 3 * 6
