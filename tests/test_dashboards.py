"""Every role lands on its own home page and sees its own menu (DESIGN.md §4)."""

import pytest

MENU_EXPECTED = {
    "head": (["Группы", "Воспитанники", "Сотрудники"], []),
    "coordinator": (["Группы", "Воспитанники", "Календарь"], []),
    "sysadmin": (["Группы", "Воспитанники"], []),
    "educator": (["Воспитанники", "Календарь"], ["Сотрудники"]),
    "hr": (["Воспитанники", "Сотрудники"], []),
    "parent": ([], ["Группы", "Сотрудники", "Календарь"]),
    "committee_rep": (["Группы"], ["Сотрудники"]),
    "dept_officer": (["Организации района"], ["Воспитанники", "Сотрудники"]),
}


@pytest.mark.parametrize("role", list(MENU_EXPECTED))
def test_role_menu(world, as_role, role):
    html = as_role(role).get("/").content.decode()
    shown, hidden = MENU_EXPECTED[role]
    for title in shown:
        assert f">{title}<" in html, f"{role} should see {title}"
    for title in hidden:
        assert f">{title}<" not in html, f"{role} should not see {title}"


def test_coordinator_dashboard_shows_occupancy(world, as_role):
    response = as_role("coordinator").get("/")
    widgets = {w.template: w.context for w in response.context["widgets"]}
    occupancy = widgets["movement/widgets/occupancy.html"]
    assert {r.group.name: r.count for r in occupancy["rows"]} == {"Солнышко": 2, "Радуга": 1}


def test_educator_dashboard_shows_own_group_only(world, as_role):
    response = as_role("educator").get("/")
    widgets = {w.template: w.context for w in response.context["widgets"]}
    assert [r.group.name for r in widgets["movement/widgets/occupancy.html"]["rows"]] == [
        "Солнышко"
    ]


def test_parent_dashboard_lists_own_children(world, as_role):
    response = as_role("parent").get("/")
    widgets = {w.template: w.context for w in response.context["widgets"]}
    assert [c.last_name for c in widgets["people/widgets/my_children.html"]["children"]] == [
        "Иванов"
    ]


def test_department_officer_dashboard_lists_kindergartens_of_municipality(world, as_role):
    response = as_role("dept_officer").get("/")
    widgets = {w.template: w.context for w in response.context["widgets"]}
    assert [o.short_name for o in widgets["core/widgets/organizations.html"]["organizations"]] == [
        "ДОО A",
        "ДОО B",
    ]


def test_switching_organization_changes_context(world, login):
    from detsad.accounts.models import Membership

    user = world.a.users["educator"]
    Membership.objects.create(
        user=user, organization=world.b.org, municipality=world.municipality, role="parent"
    )
    client = login(user)
    assert client.get("/").context["actor"].organization == world.a.org
    client.post("/accounts/switch/", {"context": f"org:{world.b.org.pk}"})
    assert client.get("/").context["actor"].organization == world.b.org
    # an organization the user has no role in cannot be chosen
    client.post("/accounts/switch/", {"context": f"org:{world.c.org.pk}"})
    assert client.get("/").context["actor"].organization == world.b.org


def test_login_with_email_and_wrong_password(world, client):
    user = world.a.users["coordinator"]
    user.email = "Coord@Example.ru"
    user.save()
    response = client.post(
        "/accounts/login/", {"username": "coord@example.ru", "password": "test-pass-2026"}
    )
    assert response.status_code == 302
    client.logout()
    response = client.post("/accounts/login/", {"username": "a_coordinator", "password": "nope"})
    assert "Неверный логин или пароль" in response.content.decode()


def test_repeated_failures_are_throttled(world, client, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": "a_head", "password": "wrong"})
    response = client.post("/accounts/login/", {"username": "a_head", "password": "test-pass-2026"})
    assert response.status_code in (403, 429)
    assert "Вход временно заблокирован" in response.content.decode()


def test_temporary_password_forces_change(world, login):
    user = world.a.users["hr"]
    user.must_change_password = True
    user.save()
    client = login(user)
    assert client.get("/").url == "/accounts/password/"
    response = client.post(
        "/accounts/password/",
        {
            "old_password": "test-pass-2026",
            "new_password1": "Кубань-2026-сад",
            "new_password2": "Кубань-2026-сад",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert not user.must_change_password and user.check_password("Кубань-2026-сад")


def test_children_count_is_not_multiplied_by_guardians(world, as_role):
    """QA: a child with two parents was counted twice on the home page (148 instead of 84
    in the demo): the count joins the guardian links and must count each child once."""
    from detsad.people.models import ChildGuardian, Guardian

    c1 = world.a.children["c1"]
    father = Guardian.objects.create(
        organization=world.a.org, last_name="Иванов", first_name="Пётр"
    )
    ChildGuardian.objects.create(child=c1, guardian=father, relation="father")
    response = as_role("coordinator").get("/")
    widgets = {w.template: w.context for w in response.context["widgets"]}
    counts = widgets["people/widgets/counts.html"]
    assert counts["active"] == 3  # c1, c2, c3 — c1 has two guardians now
    assert counts["no_guardian"] == 0
