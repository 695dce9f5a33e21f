"""The sysadmin's pages: people and roles, rights matrix, slips, issue log, lockouts."""

import re

import pytest
from django.urls import reverse

from detsad.accounts.models import Membership, PasswordIssue, User
from detsad.core.models import AuditRecord
from detsad.core.permissions import Role, matrix


def test_user_list_shows_people_of_the_organization_only(world, as_role):
    client = as_role("sysadmin")
    response = client.get(reverse("accounts:user_list"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "a_educator" in body and "a_parent" in body
    assert "b_educator" not in body  # another kindergarten


@pytest.mark.parametrize(
    ("query", "expected", "absent"),
    [
        ({"role": "educator"}, ["a_educator"], ["a_head", "a_parent"]),
        ({"q": "a_par"}, ["a_parent"], ["a_head"]),
        ({"blocked": "on"}, ["a_hr"], ["a_head"]),
    ],
)
def test_user_list_filters(world, as_role, query, expected, absent):
    from django.utils import timezone

    User.objects.filter(username="a_hr").update(blocked_at=timezone.now())
    body = as_role("sysadmin").get(reverse("accounts:user_list"), query).content.decode()
    table = body[body.index('data-testid="users"') :]
    for name in expected:
        assert name in table
    for name in absent:
        assert name not in table


def test_user_list_filter_by_group_and_never_logged_in(world, as_role):
    client = as_role("sysadmin")
    sun = world.a.groups["sun"]
    body = client.get(reverse("accounts:user_list"), {"group": sun.pk}).content.decode()
    table = body[body.index('data-testid="users"') :]
    assert "a_educator" in table and "a_head" not in table
    User.objects.filter(username="a_head").update(last_login="2026-11-01T10:00:00+03:00")
    body = client.get(reverse("accounts:user_list"), {"never_logged_in": "on"}).content.decode()
    table = body[body.index('data-testid="users"') :]
    assert "a_head" not in table and "a_hr" in table


def test_user_list_query_count_does_not_grow(world, as_role, django_assert_max_num_queries):
    client = as_role("sysadmin")
    client.get(reverse("accounts:user_list"))
    with django_assert_max_num_queries(13):
        client.get(reverse("accounts:user_list"))
    org = world.a.org
    for i in range(30):
        u = User.objects.create(username=f"extra{i}", last_name=f"Лишний{i}")
        m = Membership.objects.create(
            user=u, organization=org, municipality=org.municipality, role=Role.EDUCATOR
        )
        m.groups.add(world.a.groups["sun"])
    with django_assert_max_num_queries(13):
        response = client.get(reverse("accounts:user_list"))
    assert "extra29" in response.content.decode()


def test_head_and_coordinator_read_but_cannot_act(world, as_role):
    target = world.a.users["educator"]
    for role in ("head", "coordinator"):
        client = as_role(role)
        assert client.get(reverse("accounts:user_list")).status_code == 200
        page = client.get(reverse("accounts:user_detail", args=[target.pk]))
        assert page.status_code == 200
        assert "Заблокировать" not in page.content.decode()
        assert client.post(reverse("accounts:user_block", args=[target.pk])).status_code == 403
        assert client.get(reverse("accounts:slips")).status_code == 403
    target.refresh_from_db()
    assert target.blocked_at is None


def test_educator_and_parent_have_no_accounts_pages(world, as_role):
    assert as_role("educator").get(reverse("accounts:user_list")).status_code == 403
    assert as_role("parent").get(reverse("accounts:user_list")).status_code == 403


def test_rights_page_is_the_matrix_the_access_layer_uses(world, as_role):
    body = as_role("head").get(reverse("accounts:rights")).content.decode()
    for area, _cells in matrix():
        assert area in body
    # the educator's attendance right as the access layer states it
    assert "чтение и запись, свои группы" in body
    rows = re.findall(r"<tr><th scope=\"row\">", body)
    assert len(rows) == len(matrix())


def test_sysadmin_adds_and_removes_a_role_with_groups_audited(world, as_role):
    client = as_role("sysadmin")
    user = world.a.users["hr"]
    sun = world.a.groups["sun"]
    client.post(
        reverse("accounts:membership_add", args=[user.pk]),
        {"role": "educator", "groups": [sun.pk]},
    )
    m = Membership.objects.get(user=user, organization=world.a.org, role="educator")
    assert list(m.groups.all()) == [sun]
    rec = AuditRecord.objects.get(kind="accounts.membership", object_id=str(m.pk), action="create")
    assert rec.changes == {"role": [None, "воспитатель"], "groups": [[], ["Солнышко"]]}
    client.post(
        reverse("accounts:membership_groups", args=[user.pk, m.pk]),
        {"groups": [world.a.groups["rainbow"].pk]},
    )
    rec = AuditRecord.objects.get(kind="accounts.membership", object_id=str(m.pk), action="update")
    assert rec.changes == {"groups": [["Солнышко"], ["Радуга"]]}
    client.post(reverse("accounts:membership_remove", args=[user.pk, m.pk]))
    m.refresh_from_db()
    assert m.is_active is False and m.ended_at is not None
    assert AuditRecord.objects.filter(
        kind="accounts.membership", object_id=str(m.pk), action="delete"
    ).exists()


def test_sysadmin_cannot_touch_a_membership_of_another_user_through_this_user(world, as_role):
    client = as_role("sysadmin")
    other = Membership.objects.get(user=world.a.users["head"])
    url = reverse("accounts:membership_remove", args=[world.a.users["hr"].pk, other.pk])
    assert client.post(url).status_code == 404
    other.refresh_from_db()
    assert other.is_active


def test_issue_log_lists_who_issued_to_whom(world, as_role):
    client = as_role("sysadmin")
    client.post(reverse("accounts:user_reset", args=[world.a.users["hr"].pk]))
    issue = PasswordIssue.objects.get()
    assert issue.issued_by == world.a.users["sysadmin"]
    assert issue.user == world.a.users["hr"] and issue.method == "reset"
    body = as_role("head").get(reverse("accounts:issue_list")).content.decode()
    assert "a_hr" in body and "сброс пароля (листок)" in body
