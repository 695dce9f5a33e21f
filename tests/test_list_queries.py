"""Query counts of the list-like pages not covered by their apps' tests (QA of issue 2):
the home page of each kind of role, the department's list of kindergartens and the work
calendar. Each page is measured, rows are added, and the same bound must hold."""

from __future__ import annotations

import datetime as dt

import pytest

from detsad.core.models import CalendarOverride, Group, Organization
from detsad.people.tests.test_views import add_children


@pytest.mark.parametrize("role", ["coordinator", "head", "educator", "parent"])
def test_home_page(world, as_role, django_assert_max_num_queries, role):
    client = as_role(role)
    client.get("/")
    with django_assert_max_num_queries(30) as small:
        assert client.get("/").status_code == 200
    for i in range(5):
        Group.objects.create(organization=world.a.org, name=f"Группа {i}", capacity=10)
    add_children(world, 20)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get("/").status_code == 200


@pytest.mark.parametrize("url", ["/organizations/", "/"])
def test_kindergartens_of_the_municipality(world, as_role, django_assert_max_num_queries, url):
    client = as_role("dept_officer")
    client.get(url)
    with django_assert_max_num_queries(20) as small:
        assert client.get(url).status_code == 200
    for i in range(10):
        Organization.objects.create(
            municipality=world.municipality,
            full_name=f"Детский сад № {100 + i}",
            short_name=f"д/с № {100 + i}",
            inn=f"23320001{i:02d}",
        )
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert response.content.decode().count("д/с № 1") >= 10


def test_work_calendar(world, as_role, django_assert_max_num_queries):
    client = as_role("coordinator")
    url = "/calendar/?month=2026-12"
    client.get(url)
    with django_assert_max_num_queries(20) as small:
        assert client.get(url).status_code == 200
    for day in range(1, 16):
        CalendarOverride.objects.create(
            organization=world.a.org,
            date=dt.date(2026, 12, day),
            kind="non_working",
            reason="ремонт",
        )
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert response.context["working_count"] == 22 - 11  # 11 weekdays among 1–15 December
