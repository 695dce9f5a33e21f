"""Garbage in URLs and query parameters: a 404 or the default page, never a 500.

Years 0001 and 9999 used to overflow ``datetime.date`` when the pages stepped a day or a
month back and forth (month grid, day journal, reports, form 85-K).
"""

from __future__ import annotations

import pytest
from django.urls import reverse


@pytest.fixture
def coord(as_role, april_10):
    return as_role("coordinator")


@pytest.mark.parametrize("month", ["2026-13", "2026-00", "0000-01", "0001-01", "9999-12"])
def test_impossible_months_are_404(world, coord, month):
    pk = world.a.groups["sun"].pk
    base = f"/attendance/groups/{pk}/month/{month}/"
    for url in (base, base + "timesheet.xlsx", base + "timesheet.pdf", base + "cell/"):
        assert coord.get(url).status_code == 404, url


@pytest.mark.parametrize("day", ["2026-02-30", "2026-13-01", "0001-01-01", "9999-12-31"])
def test_impossible_days_are_404(world, coord, day):
    pk = world.a.groups["sun"].pk
    assert coord.get(f"/attendance/groups/{pk}/day/{day}/").status_code == 404
    api = f"/attendance/api/groups/{pk}/days/{day}/"
    assert coord.get(api).status_code == 404


@pytest.mark.parametrize(
    "name, params",
    [
        ("attendance:report_summary", {"start": "0001-01-01", "end": "9999-12-31"}),
        ("attendance:report_summary", {"start": "2026-13-01", "end": "xx"}),
        ("attendance:report_illness", {"start": "9999-12-31"}),
        ("attendance:report_streaks", {"n": "abc", "end": "9999-12-31"}),
        ("attendance:report_85k", {"year": "0"}),
        ("attendance:report_85k", {"year": "99999"}),
        ("attendance:report_85k", {"year": "abc"}),
        ("attendance:months", {"month": "9999-12"}),
        ("attendance:months", {"month": "2026-13"}),
        ("attendance:timesheets_batch", {"month": "0001-01"}),
        ("attendance:today", {"day": "9999-12-31"}),
    ],
)
def test_garbage_query_parameters_fall_back_to_defaults(coord, name, params):
    response = coord.get(reverse(name), params, follow=True)
    assert response.status_code == 200, (name, params)


def test_the_85k_report_falls_back_to_the_current_year(coord):
    html = coord.get(reverse("attendance:report_85k"), {"year": "99999"}).content.decode()
    assert "2026" in html and "99999" not in html


def test_a_parent_calendar_with_a_far_month_falls_back(world, as_role, april_10):
    child = world.a.children["c1"]
    response = as_role("parent").get(
        reverse("attendance:child_calendar", kwargs={"child_pk": child.pk}), {"month": "9999-12"}
    )
    assert response.status_code == 200


def test_a_notice_in_year_9999_is_refused_with_a_message(world, as_role, april_10):
    from detsad.attendance.models import AbsenceNotice, AbsenceReason

    child = world.a.children["c1"]
    reason = AbsenceReason.objects.get(municipality=world.municipality, code="О")
    response = as_role("parent").post(
        reverse("attendance:notice_create", kwargs={"child_pk": child.pk}),
        {"start": "9999-12-01", "end": "9999-12-31", "reason": reason.pk},
    )
    assert response.status_code == 200
    assert "Укажите дату между 1900 и 2999 годом." in response.content.decode()
    assert not AbsenceNotice.objects.exists()
