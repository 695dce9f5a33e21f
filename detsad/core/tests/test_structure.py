"""Organization structure services and pages: groups, organization card, calendar."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from detsad.core import services
from detsad.core.models import AcademicYear, AuditRecord, CalendarOverride, Group


def test_group_create_and_duplicate_name(world):
    actor = world.a.actor("coordinator")
    group = services.group_create(
        actor=actor,
        organization=world.a.org,
        name="Ромашка",
        age_category="middle",
        orientation="general",
        regime="full",
        capacity=22,
        room="3",
    )
    assert group.full_name == "Средняя группа «Ромашка»"
    assert (
        AuditRecord.objects.filter(
            kind="core.group", object_id=str(group.pk), action="create"
        ).count()
        == 1
    )
    with pytest.raises(ValidationError) as exc:
        services.group_create(
            actor=actor,
            organization=world.a.org,
            name="ромашка",
            age_category="middle",
            orientation="general",
            regime="full",
            capacity=22,
            room="",
        )
    assert "уже есть" in str(exc.value)


def test_head_cannot_create_groups(world):
    with pytest.raises(PermissionDenied):
        services.group_create(
            actor=world.a.actor("head"),
            organization=world.a.org,
            name="X",
            age_category="early",
            orientation="general",
            regime="full",
            capacity=10,
            room="",
        )


def test_group_update_records_old_and_new(world):
    group = world.a.groups["sun"]
    services.group_update(actor=world.a.actor("coordinator"), group=group, capacity=18)
    record = AuditRecord.objects.get(kind="core.group", object_id=str(group.pk), action="update")
    assert record.changes == {"capacity": [20, 18]}


def test_one_current_academic_year(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        AcademicYear.objects.create(
            organization=world.a.org,
            start=dt.date(2027, 9, 1),
            end=dt.date(2028, 8, 31),
            is_current=True,
        )
    year = services.academic_year_open(
        actor=world.a.actor("coordinator"),
        organization=world.a.org,
        start_year=2027,
        make_current=True,
    )
    assert AcademicYear.objects.get(organization=world.a.org, is_current=True) == year
    assert AcademicYear.bounds_for(dt.date(2027, 3, 1)) == (
        dt.date(2026, 9, 1),
        dt.date(2027, 8, 31),
    )


def test_calendar_override_needs_reason(world):
    with pytest.raises(ValidationError):
        services.calendar_override_set(
            actor=world.a.actor("coordinator"),
            organization=world.a.org,
            date=dt.date(2026, 12, 1),
            kind="non_working",
            reason=" ",
        )


def test_coordinator_enters_a_closure_on_the_calendar_page(world, as_role):
    client = as_role("coordinator")
    response = client.post(
        "/calendar/?month=2026-12",
        {"date": "01.12.2026", "kind": "non_working", "reason": "Ремонт"},
    )
    assert response.status_code == 302
    assert (
        CalendarOverride.objects.get(organization=world.a.org, date=dt.date(2026, 12, 1)).reason
        == "Ремонт"
    )
    page = client.get("/calendar/?month=2026-12")
    assert page.context["working_count"] == 21  # December 2026: 22 working days minus the closure


def test_educator_cannot_post_calendar(world, as_role):
    response = as_role("educator").post(
        "/calendar/", {"date": "01.12.2026", "kind": "non_working", "reason": "x"}
    )
    assert response.status_code == 403
    assert not CalendarOverride.objects.exists()


def test_groups_page_query_count_does_not_grow(world, as_role, django_assert_max_num_queries):
    client = as_role("coordinator")
    client.get("/groups/")
    for i in range(15):
        Group.objects.create(organization=world.a.org, name=f"Группа {i}", capacity=10)
    with django_assert_max_num_queries(9):  # 8 + one for the educators of every group
        response = client.get("/groups/")
    assert response.status_code == 200


def test_groups_show_their_educators_without_n_plus_1(
    world, as_role, django_assert_max_num_queries
):
    """The list and the card name the educators bound to each group (active educator
    memberships); the list's query count does not grow with groups and educators."""
    from detsad.accounts.models import Membership, User

    a = world.a
    educator = a.users["educator"]
    educator.last_name, educator.first_name, educator.patronymic = "Орлова", "Анна", "Петровна"
    educator.save()
    client = as_role("coordinator")
    client.get("/groups/")
    for i in range(10):
        group = Group.objects.create(organization=a.org, name=f"Группа {i}", capacity=10)
        user = User.objects.create(
            username=f"edu{i}", last_name="Воспитатель", first_name=f"Номер{i}"
        )
        m = Membership.objects.create(
            user=user, organization=a.org, municipality=world.municipality, role="educator"
        )
        m.groups.add(group, a.groups["rainbow"])
    # an ended membership and a non-educator role are not shown
    gone = User.objects.create(username="gone", last_name="Уволенная")
    ended = Membership.objects.create(
        user=gone, organization=a.org, municipality=world.municipality, role="educator"
    )
    ended.groups.add(a.groups["sun"])
    ended.is_active = False
    ended.save()
    with django_assert_max_num_queries(9):  # 8 + one for the educators of every group
        response = client.get("/groups/")
    by_name = {g.name: g.educator_names for g in response.context["groups"]}
    assert by_name["Солнышко"] == ["Орлова Анна Петровна"]
    assert by_name["Группа 3"] == ["Воспитатель Номер3"]
    assert len(by_name["Радуга"]) == 10
    assert "Уволенная" not in response.content.decode()
    card = client.get(f"/groups/{a.groups['sun'].pk}/").content.decode()
    assert "Воспитатели" in card and "Орлова Анна Петровна" in card
    empty = client.get(f"/groups/{Group.objects.get(name='Группа 0').pk}/").content.decode()
    assert "Воспитатель Номер0" in empty
    lonely = Group.objects.create(organization=a.org, name="Новая", capacity=10)
    assert "не назначены" in client.get(f"/groups/{lonely.pk}/").content.decode()


def test_organization_edit_validates_inn(world, as_role):
    client = as_role("coordinator")
    response = client.post(
        "/organization/edit/",
        {"full_name": "Д/с", "short_name": "Д/с", "inn": "12", "account_number_pattern": "24NNNN"},
    )
    assert response.status_code == 200
    assert "ИНН: 10 цифр" in response.content.decode()


def test_case_insensitive_search_works_for_cyrillic(world):
    from detsad.people.models import Child

    assert (
        Child.objects.filter(organization=world.a.org, last_name__icontains="иванов").count() == 1
    )
    assert Child.objects.filter(organization=world.a.org, last_name__iexact="ПЕТРОВА").count() == 1
    assert Child.objects.filter(organization=world.a.org, last_name__icontains="100%").count() == 0


def test_a_weekend_cannot_be_marked_shortened(world):
    with pytest.raises(ValidationError) as exc:
        services.calendar_override_set(
            actor=world.a.actor("coordinator"),
            organization=world.a.org,
            date=dt.date(2026, 12, 5),
            kind="shortened",
            reason="предпраздничный",
        )
    assert "сокращённым может быть только рабочий день" in str(exc.value)
    CalendarOverride.objects.create(
        organization=world.a.org, date=dt.date(2026, 12, 6), kind="shortened", reason="x"
    )
    from detsad.core.calendar import is_working_day

    assert not is_working_day(world.a.org, dt.date(2026, 12, 6))
    services.calendar_override_set(
        actor=world.a.actor("coordinator"),
        organization=world.a.org,
        date=dt.date(2026, 12, 30),
        kind="shortened",
        reason="предпраздничный",
    )
    assert is_working_day(world.a.org, dt.date(2026, 12, 30))


def test_organization_card_says_who_issued_the_licence(world, as_role):
    import datetime as dt

    org = world.a.org
    org.licence_number, org.licence_date = "07315", dt.date(2016, 3, 9)
    org.licence_issuer = (
        "министерством образования, науки и молодёжной политики Краснодарского края"
    )
    org.save()
    html = as_role("coordinator").get("/organization/").content.decode()
    assert (
        "№ 07315 от 09.03.2016, выдана министерством образования, науки и молодёжной политики "
        "Краснодарского края" in html
    )
    form = as_role("coordinator").get("/organization/edit/").content.decode()
    assert "в творительном падеже" in form
