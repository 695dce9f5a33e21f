"""The shared test world: canonical actors in two kindergartens plus an outsider.

Municipality «Тестовый район» holds organizations A and B; «Соседний район» holds C. Each
organization has the same shape, so a test can ask for "the same thing in another
organization":

- groups ``sun`` (junior, capacity 20) and ``rainbow`` (senior, capacity 25);
- children ``c1`` and ``c2`` in ``sun`` (different families) and ``c3`` in ``rainbow``,
  all enrolled on 01.09.2025 by order «1-в», with personal accounts <prefix>0001…;
- users for every role (``head``, ``coordinator``, ``sysadmin``, ``educator`` bound to
  ``sun``, ``hr``, ``parent`` = guardian of ``c1``, ``committee_rep``); a ``dept_officer``
  per municipality.

The world is built once per test session (conftest ``django_db_setup``) and every test
runs inside a transaction that is rolled back, so tests may change it freely.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password

from detsad.accounts.models import Membership, User
from detsad.core.access import Actor
from detsad.core.middleware import actor_for
from detsad.core.models import AcademicYear, AgeCategory, Group, Municipality, Organization
from detsad.core.permissions import Role
from detsad.core.registry import app_modules
from detsad.movement.models import MovementEvent, Order, Placement
from detsad.people.models import (
    Child,
    ChildGuardian,
    Guardian,
    PersonalAccount,
    Relation,
    Sex,
    Staff,
)

WORLD_MUNICIPALITY = "Тестовый район"
OTHER_MUNICIPALITY = "Соседний район"
PASSWORD = "test-pass-2026"
ORG_ROLES = [
    Role.HEAD,
    Role.COORDINATOR,
    Role.SYSADMIN,
    Role.EDUCATOR,
    Role.HR,
    Role.PARENT,
    Role.COMMITTEE_REP,
]
ENROLLED_ON = dt.date(2025, 9, 1)

CHILDREN = {
    # key: (last, first, patronymic, sex, birth date, group key)
    "c1": ("Иванов", "Иван", "Иванович", Sex.MALE, dt.date(2022, 3, 5), "sun"),
    "c2": ("Петрова", "Мария", "Сергеевна", Sex.FEMALE, dt.date(2022, 7, 14), "sun"),
    "c3": ("Сидоров", "Пётр", "Андреевич", Sex.MALE, dt.date(2020, 11, 2), "rainbow"),
}


@dataclass
class OrgWorld:
    key: str
    org: Organization
    groups: dict[str, Group] = field(default_factory=dict)
    children: dict[str, Child] = field(default_factory=dict)
    guardians: dict[str, Guardian] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    accounts: dict[str, PersonalAccount] = field(default_factory=dict)
    order: Order | None = None

    def actor(self, role: str) -> Actor:
        """The Actor of this organization's user with `role`, as the middleware builds it."""
        return actor_for(self.users[role], f"org:{self.org.pk}")


@dataclass
class World:
    municipality: Municipality
    other_municipality: Municipality
    orgs: dict[str, OrgWorld]
    dept_officers: dict[str, User]

    @property
    def a(self) -> OrgWorld:
        return self.orgs["a"]

    @property
    def b(self) -> OrgWorld:
        return self.orgs["b"]

    @property
    def c(self) -> OrgWorld:
        return self.orgs["c"]

    def dept_actor(self, municipality_key: str = "m1") -> Actor:
        m = self.municipality if municipality_key == "m1" else self.other_municipality
        return actor_for(self.dept_officers[municipality_key], f"mun:{m.pk}")

    def system(self, org_key: str = "a") -> Actor:
        return Actor.system(organization=self.orgs[org_key].org)


def build_world() -> None:
    """Create the world's rows (idempotent: does nothing when it already exists)."""
    if Municipality.objects.filter(name=WORLD_MUNICIPALITY).exists():
        return
    password = make_password(PASSWORD)
    m1 = Municipality.objects.create(name=WORLD_MUNICIPALITY, time_zone="Europe/Moscow")
    m2 = Municipality.objects.create(name=OTHER_MUNICIPALITY, time_zone="Europe/Moscow")
    for key, municipality, inn, prefix in (
        ("a", m1, "2332000001", "24"),
        ("b", m1, "2332000002", "25"),
        ("c", m2, "2332000003", "26"),
    ):
        org = Organization.objects.create(
            municipality=municipality,
            full_name=f"Детский сад {key.upper()}",
            short_name=f"ДОО {key.upper()}",
            number=prefix,
            inn=inn,
            kpp="233201001",
            okpo="12345678",
            payee_name=f"УФК по Краснодарскому краю (ДОО {key.upper()})",
            bank_name="ЮЖНОЕ ГУ БАНКА РОССИИ",
            bik="010349101",
            bank_account="03234643036160001800",
            correspondent_account="40102810945370000010",
            account_number_pattern=f"{prefix}NNNN",
            head_name="Заведующая Анна Петровна",
        )
        AcademicYear.objects.create(
            organization=org, start=dt.date(2025, 9, 1), end=dt.date(2026, 8, 31)
        )
        AcademicYear.objects.create(
            organization=org, start=dt.date(2026, 9, 1), end=dt.date(2027, 8, 31), is_current=True
        )
        groups = {
            "sun": Group.objects.create(
                organization=org, name="Солнышко", age_category=AgeCategory.JUNIOR, capacity=20
            ),
            "rainbow": Group.objects.create(
                organization=org, name="Радуга", age_category=AgeCategory.SENIOR, capacity=25
            ),
        }
        order = Order.objects.create(
            organization=org, number="1-в", date=ENROLLED_ON, kind=Order.Kind.ENROLL
        )
        children = {}
        for i, (ckey, (last, first, middle, sex, birth, gkey)) in enumerate(
            CHILDREN.items(), start=1
        ):
            child = Child.objects.create(
                organization=org,
                last_name=last,
                first_name=first,
                patronymic=middle,
                sex=sex,
                birth_date=birth,
                birth_certificate_series="I-АГ",
                birth_certificate_number=f"{key}{i:05d}",
            )
            event = MovementEvent.objects.create(
                organization=org,
                child=child,
                kind=MovementEvent.Kind.ENROLL,
                on=ENROLLED_ON,
                group=groups[gkey],
                order=order,
            )
            Placement.objects.create(
                organization=org,
                child=child,
                group=groups[gkey],
                start=ENROLLED_ON,
                start_event=event,
            )
            PersonalAccount.objects.create(
                organization=org, child=child, number=f"{prefix}{i:04d}", opened_on=ENROLLED_ON
            )
            guardian = Guardian.objects.create(
                organization=org,
                last_name=last if sex == Sex.FEMALE else last + "а",
                first_name="Мама",
                patronymic=f"{ckey}",
                phone="+79000000000",
            )
            ChildGuardian.objects.create(child=child, guardian=guardian, relation=Relation.MOTHER)
            children[ckey] = child
        for role in ORG_ROLES:
            user = User.objects.create(
                username=f"{key}_{role}", password=password, last_name=role, first_name=key.upper()
            )
            membership = Membership.objects.create(
                user=user, organization=org, municipality=municipality, role=role
            )
            if role == Role.EDUCATOR:
                membership.groups.add(groups["sun"])
                Staff.objects.create(
                    organization=org,
                    last_name="Воспитатель",
                    first_name=key.upper(),
                    position="Воспитатель",
                    hire_date=dt.date(2020, 1, 1),
                    user=user,
                )
            if role == Role.PARENT:
                Guardian.objects.filter(child_links__child=children["c1"]).update(user=user)
    for key, municipality in (("m1", m1), ("m2", m2)):
        user = User.objects.create(
            username=f"dept_{key}", password=password, last_name="Управление"
        )
        Membership.objects.create(user=user, municipality=municipality, role=Role.DEPT_OFFICER)
    # Apps add their reference data (absence reasons, tariffs, …) in <app>/tests/world.py.
    world = load_world()
    for module in app_modules("tests.world"):
        module.build(world)


def load_world() -> World:
    """Fetch the world's rows (a handful of queries)."""
    m1 = Municipality.objects.get(name=WORLD_MUNICIPALITY)
    m2 = Municipality.objects.get(name=OTHER_MUNICIPALITY)
    orgs = {}
    for key in ("a", "b", "c"):
        org = Organization.objects.get(short_name=f"ДОО {key.upper()}", municipality__in=[m1, m2])
        ow = OrgWorld(key=key, org=org)
        ow.groups = {
            "sun": Group.objects.get(organization=org, name="Солнышко"),
            "rainbow": Group.objects.get(organization=org, name="Радуга"),
        }
        by_cert = {c.birth_certificate_number: c for c in Child.objects.filter(organization=org)}
        ow.children = {ck: by_cert[f"{key}{i:05d}"] for i, ck in enumerate(CHILDREN, start=1)}
        for ck, child in ow.children.items():
            ow.guardians[ck] = Guardian.objects.get(child_links__child=child)
            ow.accounts[ck] = PersonalAccount.objects.get(child=child)
        ow.users = {role: User.objects.get(username=f"{key}_{role}") for role in ORG_ROLES}
        ow.order = Order.objects.get(organization=org, number="1-в")
        orgs[key] = ow
    dept = {k: User.objects.get(username=f"dept_{k}") for k in ("m1", "m2")}
    return World(municipality=m1, other_municipality=m2, orgs=orgs, dept_officers=dept)
