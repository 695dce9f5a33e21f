"""The REST endpoint of a group-day (for a future mobile app): same rules as the page."""

from __future__ import annotations

import datetime as dt
import json

from django.urls import reverse

from detsad.attendance.models import AttendanceMark

DAY = dt.date(2026, 4, 6)


def url(group, day=DAY):
    return reverse("attendance:api_group_day", kwargs={"group_pk": group.pk, "day": day})


def test_get_lists_the_children_with_their_marks(world, as_role, april_10):
    response = as_role("educator").get(url(world.a.groups["sun"]))
    assert response.status_code == 200
    body = response.json()
    assert body["date"] == "2026-04-06" and body["working"] is True
    assert [c["name"] for c in body["children"]] == ["Иванов Иван", "Петрова Мария"]
    assert all(c["present"] is None for c in body["children"])


def test_post_saves_the_day_in_one_request(world, as_role, april_10):
    c1, c2 = world.a.children["c1"], world.a.children["c2"]
    response = as_role("educator").post(
        url(world.a.groups["sun"]),
        json.dumps(
            {"marks": [{"child": c1.pk, "present": False, "reason": "Б"}], "all_present": True}
        ),
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    states = {c["id"]: (c["present"], c["reason"]) for c in response.json()["children"]}
    assert states == {c1.pk: (False, "Б"), c2.pk: (True, "")}
    assert AttendanceMark.objects.filter(on=DAY).count() == 2


def test_errors_are_400_with_russian_messages(world, as_role, april_10):
    response = as_role("educator").post(
        url(world.a.groups["sun"], dt.date(2026, 4, 4)),
        json.dumps({"all_present": True}),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "нерабочий день" in response.json()["errors"][0]
    bad = as_role("educator").post(
        url(world.a.groups["sun"]),
        json.dumps({"marks": [{"x": 1}]}),
        content_type="application/json",
    )
    assert bad.status_code == 400


def test_other_groups_and_organizations_are_404(world, as_role, april_10):
    client = as_role("educator")
    assert client.get(url(world.a.groups["rainbow"])).status_code == 404
    assert client.get(url(world.b.groups["sun"])).status_code == 404
    assert (
        as_role("head")
        .post(
            url(world.a.groups["sun"]),
            json.dumps({"all_present": True}),
            content_type="application/json",
        )
        .status_code
        == 403
    )


def _post(client, group, body):
    return client.post(url(group), json.dumps(body), content_type="application/json")


def test_garbage_fields_are_400_and_nothing_is_written(world, as_role, april_10):
    """A string "false", a null or a number where a boolean or a code is expected is refused
    (it used to be read as present / absent «Н», or crash with 500)."""
    client, sun, c1 = as_role("educator"), world.a.groups["sun"], world.a.children["c1"]
    for body, field in [
        ({"marks": [{"child": c1.pk, "present": None}]}, "marks[0].present"),
        ({"marks": [{"child": c1.pk, "present": "может"}]}, "marks[0].present"),
        (
            {"marks": [{"child": c1.pk, "present": False, "reason": 5}]},
            "Иванов Иван Иванович: неизв",
        ),
        ({"marks": [{"child": c1.pk, "present": False, "reason": ["Б"]}]}, "marks[0].reason"),
        ({"marks": [{"child": "x", "present": True}]}, "marks[0].child"),
        ({"marks": "abc"}, "marks"),
        ({"all_present": "maybe"}, "all_present"),
        ([1, 2], ""),
    ]:
        response = _post(client, sun, body)
        assert response.status_code == 400, (body, response.content)
        assert response.json()["errors"][0].startswith(field), (body, response.json())
    assert not AttendanceMark.objects.filter(on=DAY).exists()


def test_string_booleans_mean_what_they_say(world, as_role, april_10):
    client, sun, c1 = as_role("educator"), world.a.groups["sun"], world.a.children["c1"]
    response = _post(client, sun, {"marks": [{"child": c1.pk, "present": "false"}]})
    assert response.status_code == 200, response.content
    assert _post(client, sun, {"all_present": "false"}).status_code == 200
    marks = AttendanceMark.objects.filter(on=DAY)
    assert [(m.child_id, m.present, m.reason.code) for m in marks] == [(c1.pk, False, "Н")]


def test_the_endpoint_and_its_fields_are_in_the_openapi_schema(as_role):
    schema = as_role("educator").get(reverse("api:schema"), {"format": "json"}).json()
    path = schema["paths"]["/attendance/api/groups/{group_pk}/days/{day}/"]
    assert set(path) >= {"get", "post"}
    components = schema["components"]["schemas"]
    assert set(components["MarkIn"]["properties"]) == {"child", "present", "reason"}
    assert components["MarkIn"]["properties"]["present"]["type"] == "boolean"
    assert set(components["GroupDayOut"]["properties"]) == {
        "group",
        "date",
        "working",
        "locked",
        "children",
    }
    assert "400" in path["post"]["responses"]
