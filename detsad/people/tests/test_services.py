"""Services of personal files: values stored, Russian messages naming the field, nothing
written on error, and the audit record with old → new values."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from detsad.core.models import AuditRecord, Organization
from detsad.people import services
from detsad.people.models import (
    Child,
    ChildGuardian,
    Guardian,
    PersonalAccount,
    Relation,
    Staff,
    StaffCourse,
)

TODAY = dt.date(2026, 11, 29)
CHILD = {
    "last_name": " иванова-петрова ",
    "first_name": "анна",
    "patronymic": "сергеевна",
    "birth_date": dt.date(2021, 3, 5),
    "sex": "F",
    "birth_certificate_series": " ii-аг ",
    "birth_certificate_number": "123 456",
    "snils": "11223344595",
}


@pytest.fixture
def coordinator(world):
    actor = world.a.actor("coordinator")
    actor.today = TODAY
    return actor


@pytest.fixture
def hr(world):
    actor = world.a.actor("hr")
    actor.today = TODAY
    return actor


def audit_of(obj) -> list[AuditRecord]:
    return list(
        AuditRecord.objects.filter(kind=obj._meta.label_lower, object_id=str(obj.pk)).order_by("id")
    )


def nothing_written(model, **lookup):
    """Context: the count of `model` rows and of audit records stays the same."""

    class _Check:
        def __enter__(self):
            self.rows = model.objects.filter(**lookup).count()
            self.audit = AuditRecord.objects.count()

        def __exit__(self, *exc):
            assert model.objects.filter(**lookup).count() == self.rows
            assert AuditRecord.objects.count() == self.audit
            return False

    return _Check()


class TestChildCreate:
    def test_values_are_normalized_and_audited(self, world, coordinator):
        child = services.child_create(actor=coordinator, organization=world.a.org, **CHILD)

        assert child.full_name == "Иванова-Петрова Анна Сергеевна"
        assert child.birth_certificate == "II-АГ 123456"
        assert child.snils == "112-233-445 95"
        (record,) = audit_of(child)
        assert record.action == "create" and record.actor == world.a.users["coordinator"]
        assert record.changes["last_name"] == "Иванова-Петрова"
        assert record.changes["birth_date"] == "05.03.2021"
        assert record.changes["snils"] == "112-233-445 95"

    @pytest.mark.parametrize(
        ("change", "field", "message"),
        [
            (
                {"snils": "112-233-445 96"},
                "snils",
                "СНИЛС: неверные контрольные цифры (должны быть 95).",
            ),
            (
                {"birth_date": dt.date(2026, 12, 1)},
                "birth_date",
                "Дата рождения не может быть в будущем (01.12.2026).",
            ),
            (
                {"birth_date": dt.date(2017, 11, 29)},
                "birth_date",
                "Возраст ребёнка 9 лет: допустимо от 0 до 8 лет.",
            ),
            ({"last_name": ""}, "last_name", "Это поле не может быть пустым."),
            ({"sex": "X"}, "sex", "Значения 'X' нет среди допустимых вариантов."),
        ],
    )
    def test_errors_name_the_field_and_write_nothing(
        self, world, coordinator, change, field, message
    ):
        with nothing_written(Child), pytest.raises(ValidationError) as exc:
            services.child_create(
                actor=coordinator, organization=world.a.org, **{**CHILD, **change}
            )
        assert exc.value.message_dict[field] == [message]

    def test_the_same_birth_certificate_twice(self, world, coordinator):
        services.child_create(actor=coordinator, organization=world.a.org, **CHILD)
        with nothing_written(Child), pytest.raises(ValidationError) as exc:
            services.child_create(
                actor=coordinator,
                organization=world.a.org,
                **{**CHILD, "first_name": "Мария", "birth_certificate_number": "123456"},
            )
        assert exc.value.message_dict["birth_certificate_number"] == [
            "Ребёнок с этим свидетельством о рождении уже есть: "
            "Иванова-Петрова Анна Сергеевна, 05.03.2021."
        ]

    @pytest.mark.parametrize("role", ["educator", "head", "sysadmin", "parent"])
    def test_roles_without_write_right(self, world, role):
        with pytest.raises(PermissionDenied):
            services.child_create(actor=world.a.actor(role), organization=world.a.org, **CHILD)

    def test_another_organization_is_out_of_scope(self, world, coordinator):
        with pytest.raises(Http404):
            services.child_create(actor=coordinator, organization=world.b.org, **CHILD)


class TestChildUpdateArchive:
    def test_update_audits_old_and_new_values(self, world, coordinator):
        child = world.a.children["c1"]
        services.child_update(
            actor=coordinator,
            child=child,
            address="ст. Кавказская, ул. Мира, 1",
            snils="112-233-445 95",
        )
        child.refresh_from_db()
        assert child.address == "ст. Кавказская, ул. Мира, 1"
        (record,) = audit_of(child)
        assert record.action == "update"
        assert record.changes == {
            "address": ["", "ст. Кавказская, ул. Мира, 1"],
            "snils": ["", "112-233-445 95"],
        }

    def test_update_without_changes_leaves_no_record(self, world, coordinator):
        child = world.a.children["c1"]
        services.child_update(actor=coordinator, child=child, last_name="Иванов")
        assert audit_of(child) == []

    def test_invalid_update_is_not_saved(self, world, coordinator):
        child = world.a.children["c1"]
        with pytest.raises(ValidationError) as exc:
            services.child_update(actor=coordinator, child=child, snils="112-233-445 96")
        assert "snils" in exc.value.message_dict
        child.refresh_from_db()
        assert child.snils == "" and audit_of(child) == []

    def test_other_organization_child_is_404(self, world):
        with pytest.raises(Http404):
            services.child_update(
                actor=world.b.actor("coordinator"), child=world.a.children["c1"], notes="x"
            )

    def test_archive_and_restore(self, world, hr):
        child = services.child_create(
            actor=hr,
            organization=world.a.org,
            last_name="Белова",
            first_name="Ира",
            birth_date=world.a.children["c2"].birth_date,
            sex="F",
        )
        services.child_archive(actor=hr, child=child)
        assert Child.objects.get(pk=child.pk).archived_at is not None
        services.child_archive(actor=hr, child=child, restore=True)
        assert Child.objects.get(pk=child.pk).archived_at is None
        records = audit_of(child)
        assert [(r.action, r.note) for r in records] == [
            ("create", ""),
            ("archive", ""),
            ("archive", "восстановлен из архива"),
        ]


GUARDIAN = {
    "last_name": "Петрова",
    "first_name": "Ольга",
    "patronymic": "Ивановна",
    "phone": "8 (997) 878-42-88",
    "email": " Olga@Example.RU ",
}


class TestGuardians:
    def test_create_linked_to_a_child(self, world, coordinator):
        child = world.a.children["c2"]
        guardian = services.guardian_create(
            actor=coordinator,
            organization=world.a.org,
            child=child,
            relation=Relation.GRANDMOTHER,
            **GUARDIAN,
        )
        assert guardian.phone == "+79978784288" and guardian.email == "olga@example.ru"
        link = ChildGuardian.objects.get(child=child, guardian=guardian)
        assert link.relation == Relation.GRANDMOTHER and link.is_legal_representative
        assert audit_of(guardian)[0].changes["phone"] == "+79978784288"
        assert audit_of(link)[0].changes == {"relation": "бабушка", "legal": True}

    def test_bad_phone_writes_nothing(self, world, coordinator):
        with nothing_written(Guardian), pytest.raises(ValidationError) as exc:
            services.guardian_create(
                actor=coordinator, organization=world.a.org, **{**GUARDIAN, "phone": "12-34"}
            )
        assert exc.value.message_dict["phone"] == [
            "Телефон «12-34» не похож на номер: нужно 10 цифр после +7."
        ]

    def test_consent_date_in_the_future(self, world, coordinator):
        with nothing_written(Guardian), pytest.raises(ValidationError) as exc:
            services.guardian_create(
                actor=coordinator,
                organization=world.a.org,
                consent_pd=True,
                consent_pd_date=dt.date(2026, 12, 1),
                **GUARDIAN,
            )
        assert exc.value.messages == ["Дата согласия не может быть в будущем (01.12.2026)."]

    def test_future_dates_are_refused_on_update_too_and_name_their_field(self, world, coordinator):
        """QA: the edit form saved a consent dated 01.01.2030 and a passport issued in 2031;
        on creation the consent error was not attached to its field."""
        guardian = world.a.guardians["c1"]
        with nothing_written(Guardian), pytest.raises(ValidationError) as exc:
            services.guardian_update(
                actor=coordinator,
                guardian=guardian,
                consent_pd=True,
                consent_pd_date=dt.date(2030, 1, 1),
                passport_issued_on=dt.date(2031, 1, 1),
            )
        assert exc.value.message_dict == {
            "consent_pd_date": ["Дата согласия не может быть в будущем (01.01.2030)."],
            "passport_issued_on": ["Дата выдачи паспорта не может быть в будущем (01.01.2031)."],
        }
        guardian.refresh_from_db()
        assert guardian.consent_pd_date != dt.date(2030, 1, 1)
        with pytest.raises(ValidationError) as exc:
            services.guardian_create(
                actor=coordinator,
                organization=world.a.org,
                consent_pd=True,
                consent_pd_date=dt.date(2026, 12, 1),
                **GUARDIAN,
            )
        assert list(exc.value.message_dict) == ["consent_pd_date"]
        # today itself is allowed
        services.guardian_update(
            actor=coordinator, guardian=guardian, consent_pd=True, consent_pd_date=TODAY
        )

    def test_update_audits_the_phone_change(self, world, coordinator):
        guardian = world.a.guardians["c1"]
        services.guardian_update(actor=coordinator, guardian=guardian, phone="+7 997 193-29-46")
        assert audit_of(guardian)[0].changes == {"phone": ["+79000000000", "+79971932946"]}

    def test_link_rules(self, world, coordinator):
        child, other = world.a.children["c1"], world.b.guardians["c1"]
        with pytest.raises(ValidationError) as exc:
            services.guardian_link(
                actor=coordinator, child=child, guardian=other, relation=Relation.MOTHER
            )
        assert exc.value.messages == ["Родитель и ребёнок должны быть из одной организации."]
        sibling_mother = world.a.guardians["c2"]
        with pytest.raises(ValidationError) as exc:
            services.guardian_link(
                actor=coordinator, child=child, guardian=sibling_mother, relation="aunt"
            )
        assert exc.value.message_dict == {"relation": ["Укажите, кем приходится ребёнку."]}
        link = services.guardian_link(
            actor=coordinator, child=child, guardian=sibling_mother, relation=Relation.OTHER
        )
        services.guardian_link(
            actor=coordinator, child=child, guardian=sibling_mother, relation=Relation.GUARDIAN
        )
        assert [r.action for r in audit_of(link)] == ["create", "update"]
        link.refresh_from_db()
        assert link.relation == Relation.GUARDIAN

    def test_a_child_keeps_at_least_one_guardian(self, world, coordinator):
        child = world.a.children["c1"]
        link = child.guardian_links.get()
        with nothing_written(ChildGuardian), pytest.raises(ValidationError) as exc:
            services.guardian_unlink(actor=coordinator, link=link)
        assert exc.value.messages == [
            "У ребёнка должен остаться хотя бы один родитель (законный представитель)."
        ]
        services.guardian_create(
            actor=coordinator, organization=world.a.org, child=child, relation="father", **GUARDIAN
        )
        link_pk = link.pk
        services.guardian_unlink(actor=coordinator, link=link)
        assert not ChildGuardian.objects.filter(pk=link_pk).exists()
        record = AuditRecord.objects.get(
            kind="people.childguardian", object_id=str(link_pk), action="delete"
        )
        assert record.changes == {"guardian": "Иванова Мама c1", "child": "Иванов Иван Иванович"}


STAFF = {
    "last_name": "Смирнова",
    "first_name": "Елена",
    "patronymic": "Викторовна",
    "position": "Воспитатель",
    "hire_date": dt.date(2019, 9, 2),
    "phone": "8 918 000 11 22",
}


class TestStaff:
    def test_create_update_archive(self, world, hr):
        staff = services.staff_create(actor=hr, organization=world.a.org, **STAFF)
        assert staff.phone == "+79180001122"
        services.staff_update(actor=hr, staff=staff, position="Старший воспитатель")
        services.staff_archive(actor=hr, staff=staff)
        records = audit_of(staff)
        assert [r.action for r in records] == ["create", "update", "archive"]
        assert records[1].changes == {"position": ["Воспитатель", "Старший воспитатель"]}
        assert Staff.objects.get(pk=staff.pk).archived_at is not None

    @pytest.mark.parametrize(
        ("change", "field", "message"),
        [
            (
                {"hire_date": dt.date(2027, 1, 1)},
                "hire_date",
                "Дата приёма не может быть в будущем (01.01.2027).",
            ),
            (
                {"dismissal_date": dt.date(2019, 9, 1)},
                "dismissal_date",
                "Дата увольнения раньше даты приёма.",
            ),
            (
                {"snils": "112-233-445 96"},
                "snils",
                "СНИЛС: неверные контрольные цифры (должны быть 95).",
            ),
        ],
    )
    def test_errors(self, world, hr, change, field, message):
        with nothing_written(Staff), pytest.raises(ValidationError) as exc:
            services.staff_create(actor=hr, organization=world.a.org, **{**STAFF, **change})
        assert exc.value.message_dict[field] == [message]

    def test_only_hr_writes_staff_files(self, world):
        with pytest.raises(PermissionDenied):
            services.staff_create(
                actor=world.a.actor("coordinator"), organization=world.a.org, **STAFF
            )

    def test_courses(self, world, hr):
        staff = services.staff_create(actor=hr, organization=world.a.org, **STAFF)
        course = services.staff_course_add(
            actor=hr,
            staff=staff,
            title="ФОП ДО: содержание и организация",
            start=dt.date(2026, 3, 2),
            end=dt.date(2026, 3, 13),
            hours=72,
        )
        assert str(course) == "ФОП ДО: содержание и организация (02.03.2026–13.03.2026)"
        assert audit_of(course)[0].changes["hours"] == 72
        with nothing_written(StaffCourse), pytest.raises(ValidationError) as exc:
            services.staff_course_add(
                actor=hr, staff=staff, title="x", start=dt.date(2026, 3, 2), end=dt.date(2026, 3, 1)
            )
        assert exc.value.message_dict == {"end": ["Окончание курсов раньше начала."]}


class TestAccounts:
    def test_assign_a_free_number(self, world, coordinator):
        child = services.child_create(actor=coordinator, organization=world.a.org, **CHILD)
        account = services.personal_account_assign(actor=coordinator, child=child, number="240004")
        assert (account.number, account.opened_on) == ("240004", TODAY)
        assert audit_of(account)[0].changes == {
            "number": "240004",
            "child": "Иванова-Петрова Анна Сергеевна",
        }

    @pytest.mark.parametrize(
        ("child_key", "number", "message"),
        [
            ("new", "24 0001", "Лицевой счёт «24 0001»: допустимы цифры и буквы, до 20 знаков."),
            ("new", "240002", "Лицевой счёт 240002 уже принадлежит другому ребёнку."),
            ("c1", "240009", "У ребёнка уже есть лицевой счёт 240001."),
        ],
    )
    def test_refusals(self, world, coordinator, child_key, number, message):
        child = (
            services.child_create(actor=coordinator, organization=world.a.org, **CHILD)
            if child_key == "new"
            else world.a.children[child_key]
        )
        with nothing_written(PersonalAccount), pytest.raises(ValidationError) as exc:
            services.personal_account_assign(actor=coordinator, child=child, number=number)
        assert exc.value.message_dict == {"number": [message]}

    def test_the_same_number_again_is_a_no_op(self, world, coordinator):
        child = world.a.children["c1"]
        with nothing_written(PersonalAccount):
            account = services.personal_account_assign(
                actor=coordinator, child=child, number="240001"
            )
        assert account == world.a.accounts["c1"]

    def test_next_number_by_the_pattern(self, world, coordinator):
        # world A: pattern «24NNNN», accounts 240001–240003
        assert services.next_account_number(world.a.org) == "240004"
        child = services.child_create(actor=coordinator, organization=world.a.org, **CHILD)
        PersonalAccount.objects.create(organization=world.a.org, child=child, number="24AB12")
        assert services.next_account_number(world.a.org) == "240004"  # not of the pattern
        world.a.accounts["c3"].number = "240017"
        world.a.accounts["c3"].save()
        assert services.next_account_number(world.a.org) == "240018"

    def test_next_number_of_an_empty_organization(self, world):
        org = Organization.objects.create(
            municipality=world.municipality,
            full_name="Новый сад",
            short_name="Новый",
            inn="2332999999",
        )
        assert services.next_account_number(org) == "000001"


def test_an_enrolled_child_cannot_be_archived_until_withdrawn(world):
    from django.core.exceptions import ValidationError

    from detsad.people import services

    with pytest.raises(ValidationError) as exc:
        services.child_archive(actor=world.a.actor("hr"), child=world.a.children["c1"])
    assert "сначала оформите отчисление" in str(exc.value)
    world.a.children["c1"].refresh_from_db()
    assert world.a.children["c1"].archived_at is None


@pytest.mark.parametrize(
    ("born", "ok"), [("01.01.1800", False), ("01.01.2020", False), ("15.05.1980", True)]
)
def test_staff_birth_date_must_be_plausible(world, born, ok):
    import datetime as dt

    from django.core.exceptions import ValidationError

    from detsad.people import services

    day, month, year = (int(p) for p in born.split("."))
    kwargs = dict(
        actor=world.a.actor("hr"),
        organization=world.a.org,
        last_name="Орлова",
        first_name="Анна",
        position="Повар",
        hire_date=dt.date(2020, 1, 1),
        birth_date=dt.date(year, month, day),
    )
    if ok:
        assert services.staff_create(**kwargs).pk
    else:
        with pytest.raises(ValidationError) as exc:
            services.staff_create(**kwargs)
        assert "возраст сотрудника" in str(exc.value)
