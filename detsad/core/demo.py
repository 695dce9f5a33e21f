"""Demo district builder, shared context and the core part (municipality, kindergartens,
groups, academic years).

``manage.py demo_district`` creates a `DemoContext` and calls ``build(ctx)`` of every app's
``demo.py`` in INSTALLED_APPS order (core → accounts → people → movement → attendance →
fees …). Everything is deterministic for a given seed. Rows are written with bulk_create:
the demo is fixture data, not a person's actions, so it leaves no audit records.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any

from faker import Faker

from .models import (
    AcademicYear,
    AgeCategory,
    Group,
    Municipality,
    Organization,
    Orientation,
    Regime,
)


def surname_first(name: str) -> str:
    """A Faker ru_RU full name as «Фамилия Имя Отчество».

    Faker writes it either surname first or «Имя Отчество Фамилия», sometimes after a
    prefix («г-жа», «тов.»); the second word of the latter order is the patronymic
    (…вна, …чна; …вич, …ич for men).
    """
    parts = name.split()
    if len(parts) == 4:
        parts = parts[1:]
    if len(parts) == 3 and parts[1].endswith(("вна", "чна", "вич", "ич")):
        parts = [parts[2], parts[0], parts[1]]
    return " ".join(parts)


DEMO_MUNICIPALITY = "Кавказский район"
MAIN_ORG_SHORT = "МБДОУ д/с № 24"

#: The five groups the sample files name (samples/README.md), with their categories.
MAIN_GROUPS = [
    ("Капелька", AgeCategory.EARLY, 15, "1"),
    ("Солнышко", AgeCategory.JUNIOR, 20, "2"),
    ("Звёздочки", AgeCategory.MIDDLE, 22, "3"),
    ("Радуга", AgeCategory.SENIOR, 25, "4"),
    ("Почемучки", AgeCategory.PREPARATORY, 25, "5"),
]
OTHER_GROUP_NAMES = [
    "Ромашка",
    "Колокольчик",
    "Светлячок",
    "Берёзка",
    "Пчёлка",
    "Теремок",
    "Ласточка",
    "Дельфин",
    "Улыбка",
    "Сказка",
    "Золотая рыбка",
    "Василёк",
    "Незабудка",
    "Родничок",
    "Гномики",
    "Радуга",
]
CATEGORY_CYCLE = [
    AgeCategory.EARLY,
    AgeCategory.JUNIOR,
    AgeCategory.MIDDLE,
    AgeCategory.SENIOR,
    AgeCategory.PREPARATORY,
]
#: Age in years on 1 September for each category (from, to).
CATEGORY_AGES = {
    AgeCategory.EARLY: (1.6, 2.9),
    AgeCategory.JUNIOR: (3.0, 3.9),
    AgeCategory.MIDDLE: (4.0, 4.9),
    AgeCategory.SENIOR: (5.0, 5.9),
    AgeCategory.PREPARATORY: (6.0, 6.9),
    AgeCategory.MIXED: (3.0, 6.9),
}

SCALES = {
    # organizations, groups per org (besides the main one), children per group (fraction of capacity)
    "demo": {"organizations": 3, "groups": (4, 5), "fill": (0.7, 0.9)},
    "district": {"organizations": 30, "groups": (9, 11), "fill": (0.8, 0.95)},
}


@dataclass
class DemoContext:
    """Shared state of one demo build; apps add what later apps need."""

    scale: str = "demo"
    seed: int = 2026
    today: dt.date = field(default_factory=lambda: dt.date(2026, 11, 28))
    verbose: bool = True
    rng: random.Random = field(init=False)
    fake: Faker = field(init=False)
    municipality: Municipality | None = None
    organizations: list[Organization] = field(default_factory=list)
    main_org: Organization | None = None
    groups: dict[int, list[Group]] = field(default_factory=dict)  # org id → groups
    accounts: list[tuple[str, str, str, str]] = field(
        default_factory=list
    )  # login, password, role, where
    data: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self):
        self.rng = random.Random(self.seed)
        self.fake = Faker("ru_RU")
        self.fake.seed_instance(self.seed)

    @property
    def year_start(self) -> dt.date:
        start, _ = AcademicYear.bounds_for(self.today)
        return start

    def log(self, message: str) -> None:
        if self.verbose:
            print(message)  # noqa: T201 - progress of a management command


def _inn(rng: random.Random) -> str:
    """A 10-digit organization INN with valid check digit (FNS algorithm)."""
    digits = [rng.randint(0, 9) for _ in range(9)]
    digits[0:4] = [2, 3, 3, 2]  # Krasnodar Krai, Kavkazsky district tax office
    weights = [2, 4, 10, 3, 5, 9, 4, 6, 8]
    check = sum(d * w for d, w in zip(digits, weights, strict=True)) % 11 % 10
    return "".join(map(str, digits)) + str(check)


def build(ctx: DemoContext) -> None:
    """Municipality, kindergartens with requisites, academic years and groups."""
    spec = SCALES[ctx.scale]
    municipality = Municipality.objects.create(
        name=DEMO_MUNICIPALITY,
        region="Краснодарский край",
        time_zone="Europe/Moscow",
        department_name="Управление образования администрации муниципального образования Кавказский район",
    )
    ctx.municipality = municipality
    orgs = []
    numbers = [24] + [n for n in range(1, 60) if n != 24][: spec["organizations"] - 1]
    for i, number in enumerate(numbers):
        main = number == 24
        kind = "МБДОУ" if i % 3 != 2 else "МАДОУ"
        short = f"{kind} д/с № {number}"
        town = (
            "ст. Кавказская"
            if main
            else ctx.rng.choice(
                ["г. Кропоткин", "ст. Кавказская", "пос. Мирской", "ст. Темижбекская"]
            )
        )
        orgs.append(
            Organization(
                municipality=municipality,
                full_name=(
                    f"Муниципальное {'бюджетное' if kind == 'МБДОУ' else 'автономное'} дошкольное "
                    f"образовательное учреждение детский сад № {number} муниципального образования Кавказский район"
                ),
                short_name=short,
                number=str(number),
                inn="2332000000" if main else _inn(ctx.rng),
                kpp="233201001",
                ogrn=f"10223{ctx.rng.randint(10**7, 10**8 - 1)}",
                okpo=f"{ctx.rng.randint(10**7, 10**8 - 1)}",
                oktmo="03621000",
                address=f"352140, Краснодарский край, Кавказский район, {town}, ул. {ctx.fake.street_title()}, д. {ctx.rng.randint(1, 120)}",
                head_name=surname_first(ctx.fake.name_female()),
                phone=f"+7 861 93{ctx.rng.randint(10000, 99999)}",
                email=f"ds{number}@kavkaz-edu.example.ru",
                licence_number=f"0{ctx.rng.randint(1000, 9999)}",
                licence_date=dt.date(2016, 3, ctx.rng.randint(1, 28)),
                licence_issuer="Министерство образования, науки и молодёжной политики Краснодарского края",
                payee_name=f"УФК по Краснодарскому краю ({short})",
                bank_name="ЮЖНОЕ ГУ БАНКА РОССИИ//УФК по Краснодарскому краю г. Краснодар"[:45],
                bik="010349101",
                bank_account="03234643036160001800"
                if main
                else f"032346430361600{ctx.rng.randint(10000, 99999)}",
                correspondent_account="40102810945370000010",
                kbk="92530201995050000130",
                account_number_pattern=f"{number:02d}NNNN" if number < 100 else "NNNNNN",
            )
        )
    Organization.objects.bulk_create(orgs)
    ctx.organizations = list(Organization.objects.filter(municipality=municipality).order_by("pk"))
    ctx.main_org = next(o for o in ctx.organizations if o.short_name == MAIN_ORG_SHORT)

    years = []
    for org in ctx.organizations:
        years.append(
            AcademicYear(
                organization=org,
                start=dt.date(2025, 9, 1),
                end=dt.date(2026, 8, 31),
                state=AcademicYear.State.CLOSED,
            )
        )
        years.append(
            AcademicYear(
                organization=org,
                start=dt.date(2026, 9, 1),
                end=dt.date(2027, 8, 31),
                is_current=True,
            )
        )
    AcademicYear.objects.bulk_create(years)

    groups = []
    for org in ctx.organizations:
        if org == ctx.main_org:
            for name, category, capacity, room in MAIN_GROUPS:
                groups.append(
                    Group(
                        organization=org,
                        name=name,
                        age_category=category,
                        capacity=capacity,
                        room=f"Групповая № {room}",
                        regime=Regime.FULL,
                        orientation=Orientation.GENERAL,
                    )
                )
            continue
        count = ctx.rng.randint(*spec["groups"])
        names = ctx.rng.sample(OTHER_GROUP_NAMES, k=min(count, len(OTHER_GROUP_NAMES)))
        while len(names) < count:
            names.append(f"Группа {len(names) + 1}")
        for j, name in enumerate(names):
            category = CATEGORY_CYCLE[j % len(CATEGORY_CYCLE)]
            orientation = Orientation.COMPENSATING if j == 7 else Orientation.GENERAL
            capacity = (
                15
                if category == AgeCategory.EARLY
                else (12 if orientation == Orientation.COMPENSATING else 24)
            )
            groups.append(
                Group(
                    organization=org,
                    name=name,
                    age_category=category,
                    capacity=capacity,
                    room=f"Групповая № {j + 1}",
                    orientation=orientation,
                    regime=Regime.SHORT if j == 9 else Regime.FULL,
                )
            )
    Group.objects.bulk_create(groups)
    for g in Group.objects.filter(organization__municipality=municipality).order_by("pk"):
        ctx.groups.setdefault(g.organization_id, []).append(g)
    ctx.log(f"Муниципалитет «{municipality}»: {len(ctx.organizations)} ДОО, {len(groups)} групп")
