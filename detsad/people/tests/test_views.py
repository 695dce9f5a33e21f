"""Pages of personal files: list search and filters, query counts that do not grow with
rows, and case C19 (stored script in personal-file fields renders escaped)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from detsad.movement.models import MovementEvent, Placement
from detsad.people import services
from detsad.people.models import Child, Guardian, Staff

TODAY = dt.date(2026, 11, 29)
CHILD_LIST = reverse("people:child_list")


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setattr("detsad.core.access.local_today", lambda municipality=None: TODAY)


def names(response) -> list[str]:
    return [c.full_name for c in response.context["children"]]


def add_children(world, n: int) -> None:
    """`n` more children of organization A in «Солнышко», each with a mother and an account."""
    ow = world.a
    order, sun = ow.order, ow.groups["sun"]
    for i in range(n):
        child = Child.objects.create(
            organization=ow.org,
            last_name=f"Добавленный{i}",
            first_name="Ребёнок",
            birth_date=dt.date(2022, 1, 1 + i % 28),
            sex="M",
        )
        event = MovementEvent.objects.create(
            organization=ow.org,
            child=child,
            kind="enroll",
            on=dt.date(2025, 9, 1),
            group=sun,
            order=order,
        )
        Placement.objects.create(
            organization=ow.org, child=child, group=sun, start=event.on, start_event=event
        )
        guardian = Guardian.objects.create(
            organization=ow.org, last_name=f"Добавленная{i}", first_name="Мама"
        )
        guardian.child_links.create(child=child, relation="mother")
        Staff.objects.create(
            organization=ow.org,
            last_name=f"Сотрудник{i}",
            first_name="Иван",
            position="Повар",
            hire_date=dt.date(2020, 1, 1),
        )


class TestChildList:
    def test_search_by_surname_name_account_and_certificate(self, world, as_role):
        client = as_role("coordinator")
        assert names(client.get(CHILD_LIST, {"q": "петрова"})) == ["Петрова Мария Сергеевна"]
        assert names(client.get(CHILD_LIST, {"q": "иван иванович"})) == ["Иванов Иван Иванович"]
        assert names(client.get(CHILD_LIST, {"q": "240003"})) == ["Сидоров Пётр Андреевич"]
        assert names(client.get(CHILD_LIST, {"q": "a00002"})) == ["Петрова Мария Сергеевна"]

    def test_filters_group_age_sex_and_archive(self, world, as_role):
        client = as_role("coordinator")
        rainbow = world.a.groups["rainbow"].pk
        assert names(client.get(CHILD_LIST, {"group": rainbow})) == ["Сидоров Пётр Андреевич"]
        # on 29.11.2026: c1 (05.03.2022) and c2 (14.07.2022) are 4, c3 (02.11.2020) is 6
        assert names(client.get(CHILD_LIST, {"age": 4})) == [
            "Иванов Иван Иванович",
            "Петрова Мария Сергеевна",
        ]
        assert names(client.get(CHILD_LIST, {"age": 6})) == ["Сидоров Пётр Андреевич"]
        assert names(client.get(CHILD_LIST, {"sex": "F"})) == ["Петрова Мария Сергеевна"]
        import datetime as dt

        from detsad.movement.services import child_withdraw

        child_withdraw(
            actor=world.a.actor("coordinator"),
            child=world.a.children["c3"],
            on=dt.date(2026, 11, 20),
            order=None,
            reason="moved",
        )
        services.child_archive(actor=world.a.actor("coordinator"), child=world.a.children["c3"])
        assert len(names(client.get(CHILD_LIST))) == 2
        assert names(client.get(CHILD_LIST, {"archived": "on"})) == ["Сидоров Пётр Андреевич"]

    def test_group_of_today_is_shown(self, world, as_role):
        html = as_role("coordinator").get(CHILD_LIST).content.decode()
        assert "<td>Радуга</td>" in html and "<td>Солнышко</td>" in html

    def test_htmx_search_returns_only_the_rows(self, world, as_role):
        response = as_role("coordinator").get(CHILD_LIST, {"q": "Сидоров"}, HTTP_HX_REQUEST="true")
        assert response.templates[0].name == "people/_child_rows.html"
        assert names(response) == ["Сидоров Пётр Андреевич"]

    def test_educator_sees_own_group_only(self, world, as_role):
        assert names(as_role("educator").get(CHILD_LIST)) == [
            "Иванов Иван Иванович",
            "Петрова Мария Сергеевна",
        ]

    def test_parent_sees_own_child_and_department_no_rows(self, world, as_role):
        assert names(as_role("parent").get(CHILD_LIST)) == ["Иванов Иван Иванович"]
        assert as_role("dept_officer").get(CHILD_LIST).status_code == 403


LISTS = [
    ("people:child_list", "coordinator"),
    ("people:child_list", "educator"),
    ("people:guardian_list", "coordinator"),
    ("people:staff_list", "hr"),
]


@pytest.mark.parametrize(("url_name", "role"), LISTS)
def test_list_query_count_does_not_grow_with_rows(
    world, as_role, django_assert_max_num_queries, url_name, role
):
    client = as_role(role)
    url = reverse(url_name)
    client.get(url)  # warm up (session, caches)
    with django_assert_max_num_queries(12) as small:
        assert client.get(url).status_code == 200
    add_children(world, 30)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert response.status_code == 200
    assert (
        response.content.decode().count("Добавленн") + response.content.decode().count("Сотрудник")
        >= 30
    )


SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"


class TestCaseC19:
    """A child, a guardian and an employee named with markup render escaped everywhere."""

    @pytest.fixture
    def files(self, world):
        coordinator = world.a.actor("coordinator")
        coordinator.today = TODAY
        child = services.child_create(
            actor=coordinator,
            organization=world.a.org,
            last_name=SCRIPT,
            first_name=IMG,
            patronymic=SCRIPT,
            birth_date=dt.date(2022, 1, 1),
            sex="F",
            address=IMG,
            allergies=SCRIPT,
            notes=IMG,
        )
        guardian = services.guardian_create(
            actor=coordinator,
            organization=world.a.org,
            child=child,
            relation="mother",
            last_name=SCRIPT,
            first_name=IMG,
            workplace=SCRIPT,
        )
        hr = world.a.actor("hr")
        hr.today = TODAY
        staff = services.staff_create(
            actor=hr,
            organization=world.a.org,
            last_name=SCRIPT,
            first_name=IMG,
            position=SCRIPT,
            hire_date=dt.date(2020, 1, 1),
            education=IMG,
        )
        return child, guardian, staff

    def assert_escaped(self, response):
        assert response.status_code == 200
        html = response.content.decode()
        assert SCRIPT not in html and IMG not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        assert "&lt;img src=x onerror=alert(1)&gt;" in html

    def test_child_pages(self, files, as_role):
        child, _guardian, _staff = files
        client = as_role("coordinator")
        self.assert_escaped(client.get(CHILD_LIST))
        self.assert_escaped(client.get(CHILD_LIST, {"q": "script"}, HTTP_HX_REQUEST="true"))
        self.assert_escaped(client.get(reverse("people:child_detail", args=[child.pk])))
        self.assert_escaped(client.get(reverse("people:child_edit", args=[child.pk])))
        self.assert_escaped(client.get(reverse("people:guardian_add", args=[child.pk])))

    def test_guardian_pages(self, files, as_role):
        _child, guardian, _staff = files
        client = as_role("coordinator")
        self.assert_escaped(client.get(reverse("people:guardian_list")))
        self.assert_escaped(client.get(reverse("people:guardian_detail", args=[guardian.pk])))
        self.assert_escaped(client.get(reverse("people:guardian_edit", args=[guardian.pk])))
        # a sibling's page offers the guardian in the «existing guardian» picker
        sibling = guardian.organization.children.exclude(pk=_child.pk).first()
        self.assert_escaped(client.get(reverse("people:guardian_add", args=[sibling.pk])))

    def test_staff_pages(self, files, as_role):
        _child, _guardian, staff = files
        client = as_role("hr")
        self.assert_escaped(client.get(reverse("people:staff_list")))
        self.assert_escaped(client.get(reverse("people:staff_detail", args=[staff.pk])))
        self.assert_escaped(client.get(reverse("people:staff_edit", args=[staff.pk])))


class TestForms:
    """Phones are typed as people write them and stored as +7XXXXXXXXXX."""

    def test_guardian_added_with_a_formatted_phone(self, world, as_role):
        child = world.a.children["c2"]
        response = as_role("coordinator").post(
            reverse("people:guardian_add", args=[child.pk]),
            {
                "mode": "new",
                "new-relation": "grandmother",
                "new-is_legal_representative": "on",
                "new-last_name": "Петрова",
                "new-first_name": "Валентина",
                "new-phone": "8 (918) 123-45-67",
            },
        )
        assert response.status_code == 302
        guardian = child.guardian_links.get(relation="grandmother").guardian
        assert guardian.phone == "+79181234567"

    def test_a_bad_phone_is_shown_on_the_form(self, world, as_role):
        child = world.a.children["c2"]
        response = as_role("coordinator").post(
            reverse("people:guardian_add", args=[child.pk]),
            {
                "mode": "new",
                "new-relation": "father",
                "new-last_name": "Петров",
                "new-first_name": "Иван",
                "new-phone": "12-34",
            },
        )
        assert response.status_code == 200
        assert response.context["form"].errors["phone"] == [
            "Телефон «12-34» не похож на номер: нужно 10 цифр после +7."
        ]

    def test_staff_edited_with_a_formatted_phone(self, world, as_role):
        staff = Staff.objects.get(organization=world.a.org)
        response = as_role("hr").post(
            reverse("people:staff_edit", args=[staff.pk]),
            {
                "last_name": staff.last_name,
                "first_name": staff.first_name,
                "position": staff.position,
                "is_pedagogical": "on",
                "hire_date": "01.01.2020",
                "qualification_category": "none",
                "phone": "+7 (918) 765-43-21",
            },
        )
        assert response.status_code == 302
        staff.refresh_from_db()
        assert staff.phone == "+79187654321"

    def test_every_fault_of_a_child_is_shown_at_once(self, world, as_role):
        """A wrong SNILS used to hide the birth date in the future (it was checked only
        after the form had passed)."""
        response = as_role("coordinator").post(
            reverse("people:child_create"),
            {
                "last_name": "Будущев",
                "first_name": "Иван",
                "birth_date": "01.05.2027",
                "sex": "m",
                "snils": "112-233-445 96",
            },
        )
        assert response.status_code == 200
        errors = response.context["form"].errors
        assert errors["birth_date"] == ["Дата рождения не может быть в будущем (01.05.2027)."]
        assert errors["snils"] == ["СНИЛС: неверные контрольные цифры (должны быть 95)."]
        assert not Child.objects.filter(last_name="Будущев").exists()

    def test_a_child_of_nine_can_still_get_a_new_address(self, world, as_role):
        """On an edit the age rule judges only a birth date typed now."""
        child = world.a.children["c2"]
        Child.objects.filter(pk=child.pk).update(birth_date=dt.date(2017, 5, 1))
        client = as_role("coordinator")
        form = client.get(reverse("people:child_edit", args=[child.pk])).context["form"]
        data = {k: v for k, v in form.initial.items() if v is not None and k in form.fields}
        data["birth_date"] = "01.05.2017"
        data["address"] = "ст. Кавказская, ул. Новая, 1"
        response = client.post(reverse("people:child_edit", args=[child.pk]), data)
        assert response.status_code == 302, response.context["form"].errors
        child.refresh_from_db()
        assert child.address == "ст. Кавказская, ул. Новая, 1"

    def test_every_fault_of_a_guardian_is_shown_at_once(self, world, as_role):
        child = world.a.children["c2"]
        response = as_role("coordinator").post(
            reverse("people:guardian_add", args=[child.pk]),
            {
                "mode": "new",
                "new-relation": "father",
                "new-last_name": "Петров",
                "new-first_name": "Иван",
                "new-phone": "+7 918 123 45 6",
                "new-passport_issued_on": "01.01.2030",
            },
        )
        assert response.status_code == 200
        errors = response.context["form"].errors
        assert errors["phone"] == [
            "Телефон «+7 918 123 45 6» не похож на номер: нужно 10 цифр после +7."
        ]
        assert errors["passport_issued_on"] == [
            "Дата выдачи паспорта не может быть в будущем (01.01.2030)."
        ]

    def test_every_fault_of_a_staff_member_is_shown_at_once(self, world, as_role):
        response = as_role("hr").post(
            reverse("people:staff_create"),
            {
                "last_name": "Новикова",
                "first_name": "Анна",
                "position": "воспитатель",
                "hire_date": "01.01.2030",
                "qualification_category": "none",
                "snils": "112-233-445 96",
                "phone": "12-34",
            },
        )
        assert response.status_code == 200
        errors = response.context["form"].errors
        assert errors["hire_date"] == ["Дата приёма не может быть в будущем (01.01.2030)."]
        assert errors["snils"] == ["СНИЛС: неверные контрольные цифры (должны быть 95)."]
        assert errors["phone"] == ["Телефон «12-34» не похож на номер: нужно 10 цифр после +7."]
        assert not Staff.objects.filter(last_name="Новикова").exists()


def test_parent_sees_no_link_to_a_guardian_page_they_may_not_open(world, as_role):
    """QA: a parent's child page linked the other parent's file, which answers 404 to them."""
    child = world.a.children["c1"]
    father = Guardian.objects.create(
        organization=world.a.org, last_name="Иванов", first_name="Пётр"
    )
    child.guardian_links.create(guardian=father, relation="father")
    own = world.a.guardians["c1"]
    father_url = reverse("people:guardian_detail", args=[father.pk])
    own_url = reverse("people:guardian_detail", args=[own.pk])

    parent = as_role("parent")
    html = parent.get(reverse("people:child_detail", args=[child.pk])).content.decode()
    assert "Иванов Пётр" in html and f'href="{father_url}"' not in html
    assert f'href="{own_url}"' in html
    assert parent.get(father_url).status_code == 404

    html = as_role("coordinator").get(reverse("people:child_detail", args=[child.pk])).content
    assert f'href="{father_url}"' in html.decode()


def test_age_filter_reads_as_russian():
    """QA: the first choice read «0 года»."""
    from detsad.people.forms import ChildFilterForm

    labels = [label for _value, label in ChildFilterForm().fields["age"].choices]
    assert labels == [
        "любой",
        "до 1 года",
        "1 год",
        "2 года",
        "3 года",
        "4 года",
        "5 лет",
        "6 лет",
        "7 лет",
        "8 лет",
    ]


def test_unlink_with_own_child_and_a_foreign_link_is_404(world, as_role):
    """The access test takes every id of a URL from the same foreign object; here the child
    is the coordinator's own and only the link belongs to another kindergarten."""
    from detsad.people.models import ChildGuardian

    own = world.a.children["c1"]
    foreign = ChildGuardian.objects.filter(child=world.b.children["c1"]).first()
    url = reverse("people:guardian_unlink", args=[own.pk, foreign.pk])
    assert as_role("coordinator").post(url).status_code == 404
    assert ChildGuardian.objects.filter(pk=foreign.pk).exists()


def test_a_wrong_filter_is_reported_and_the_others_still_apply(world, as_role):
    foreign_group = world.b.groups["sun"].pk
    response = as_role("coordinator").get(f"/people/children/?q=Петрова&group={foreign_group}")
    html = response.content.decode()
    assert [c.last_name for c in response.context["children"]] == ["Петрова"]
    assert "Этот фильтр не применён" in html


def test_archiving_an_enrolled_child_from_the_page_explains_why_not(world, as_role):
    child = world.a.children["c1"]
    response = as_role("coordinator").post(f"/people/children/{child.pk}/archive/", follow=True)
    assert "сначала оформите отчисление" in response.content.decode()
    child.refresh_from_db()
    assert child.archived_at is None
