"""The read-only REST API: every list and object within the person's scope (case C18 d)."""

import datetime as dt

from django.test import Client
from django.urls import reverse

from detsad.movement.models import Placement
from detsad.people.models import Child, ChildGuardian, Guardian


def test_anonymous_gets_nothing(world):
    assert Client().get(reverse("api:child-list")).status_code == 403


def test_educator_sees_own_group_with_guardians(world, as_role):
    client = as_role("educator")
    data = client.get(reverse("api:child-list")).json()
    assert [c["last_name"] for c in data["results"]] == ["Иванов", "Петрова"]
    first = data["results"][0]
    assert first["group_name"] == "Солнышко"
    assert [g["full_name"] for g in first["guardians"]] == ["Иванова Мама c1"]
    c3 = world.a.children["c3"]
    assert client.get(reverse("api:child-detail", args=[c3.pk])).status_code == 404


def test_parent_sees_own_child_only(world, as_role):
    client = as_role("parent")
    data = client.get(reverse("api:child-list")).json()
    assert [c["id"] for c in data["results"]] == [world.a.children["c1"].pk]
    other = world.a.children["c2"]
    assert client.get(reverse("api:child-detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("api:child-events", args=[other.pk])).status_code == 404
    guardians = client.get(reverse("api:guardian-list")).json()["results"]
    assert [g["last_name"] for g in guardians] == ["Иванова"]


def test_groups_with_todays_children(world, as_role):
    data = as_role("coordinator").get(reverse("api:group-list")).json()["results"]
    assert {g["name"]: g["children_today"] for g in data} == {"Радуга": 1, "Солнышко": 2}


def test_child_events_from_the_movement_book(world, as_role):
    child = world.a.children["c1"]
    events = as_role("coordinator").get(reverse("api:child-events", args=[child.pk])).json()
    assert [(e["kind"], e["on"], e["group"], e["order"]) for e in events] == [
        ("enroll", "2025-09-01", "Солнышко", "приказ № 1-в от 01.09.2025")
    ]


def test_staff_endpoint_scoped(world, as_role):
    names = [s["last_name"] for s in as_role("hr").get(reverse("api:staff-list")).json()["results"]]
    assert names == ["Воспитатель"]
    assert as_role("parent").get(reverse("api:staff-list")).json()["results"] == []


def test_children_list_query_count_does_not_grow(world, as_role, django_assert_max_num_queries):
    client = as_role("coordinator")
    client.get(reverse("api:child-list"))
    with django_assert_max_num_queries(11):
        client.get(reverse("api:child-list"))
    org, sun = world.a.org, world.a.groups["sun"]
    first = Placement.objects.filter(group=sun).first()
    for i in range(20):
        child = Child.objects.create(
            organization=org,
            last_name=f"Новиков{i}",
            first_name="Н",
            sex="M",
            birth_date=dt.date(2022, 1, 1),
        )
        Placement.objects.create(
            organization=org,
            child=child,
            group=sun,
            start=dt.date(2025, 9, 1),
            start_event=first.start_event,
        )
        g = Guardian.objects.create(organization=org, last_name=f"Новикова{i}", first_name="М")
        ChildGuardian.objects.create(child=child, guardian=g, relation="mother")
    with django_assert_max_num_queries(11):
        data = client.get(reverse("api:child-list")).json()
    assert data["count"] == 23


def test_schema_and_root(world, as_role):
    client = as_role("coordinator")
    schema = client.get(reverse("api:schema")).content.decode()
    assert "/api/children/{child_pk}/" in schema and "/api/children/{child_pk}/events/" in schema
    root = client.get(reverse("api:root")).json()
    assert set(root) >= {"children", "groups", "guardians", "staff", "schema"}
