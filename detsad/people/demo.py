"""Demo personal files: staff, children with guardians (some families with siblings),
personal account numbers."""

from __future__ import annotations

import datetime as dt

from detsad.core.demo import CATEGORY_AGES, MAIN_FILL_BASIS, SCALES, DemoContext

from .models import (
    Child,
    ChildGuardian,
    Guardian,
    HealthGroup,
    PersonalAccount,
    QualificationCategory,
    Relation,
    Sex,
    Staff,
)
from .validators import snils_check_digits

ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII"]
LETTERS = "АБВГДЕЖИКЛМНОПРСТУФХЦЧШЭЮЯ"
STAFF_POSITIONS = [
    ("Заведующий", False, "head"),
    ("Старший воспитатель", True, "coordinator"),
    ("Специалист по кадрам", False, "hr"),
    ("Инженер-программист", False, "sysadmin"),
    ("Музыкальный руководитель", True, ""),
    ("Инструктор по физической культуре", True, ""),
    ("Педагог-психолог", True, ""),
    ("Учитель-логопед", True, ""),
    ("Медицинская сестра", False, ""),
    ("Повар", False, ""),
    ("Младший воспитатель", False, ""),
    ("Младший воспитатель", False, ""),
    ("Завхоз", False, ""),
]


def fake_snils(rng) -> str:
    first9 = f"{rng.randint(1002000, 999999999):09d}"
    return f"{first9[:3]}-{first9[3:6]}-{first9[6:]} {snils_check_digits(first9):02d}"


def fake_phone(rng) -> str:
    return f"+79{rng.randint(10**8, 10**9 - 1)}"


def _person(ctx: DemoContext, sex: str) -> tuple[str, str, str]:
    f = ctx.fake
    if sex == Sex.MALE:
        return f.last_name_male(), f.first_name_male(), f.middle_name_male()
    return f.last_name_female(), f.first_name_female(), f.middle_name_female()


def _female_of(last_name: str) -> str:
    """Feminine form of a Russian surname for a mother (Иванов → Иванова)."""
    if last_name.endswith(("ов", "ев", "ин", "ын", "ёв")):
        return last_name + "а"
    if last_name.endswith("ий"):
        return last_name[:-2] + "ая"
    return last_name


def build(ctx: DemoContext) -> None:
    rng = ctx.rng
    spec = SCALES[ctx.scale]
    start = ctx.year_start
    staff_rows: list[Staff] = []
    for org in ctx.organizations:
        ctx.reseed(org, "staff")
        positions = (
            STAFF_POSITIONS if ctx.scale != "demo" else STAFF_POSITIONS[:5] + STAFF_POSITIONS[8:9]
        )
        for position, pedagogical, role in positions:
            sex = Sex.FEMALE if rng.random() < 0.85 else Sex.MALE
            last, first, middle = _person(ctx, sex)
            if role == "head":
                last, first, middle = (org.head_name.split() + ["", "", ""])[:3]
            staff_rows.append(
                Staff(
                    organization=org,
                    last_name=last,
                    first_name=first,
                    patronymic=middle,
                    position=position,
                    is_pedagogical=pedagogical,
                    sex=sex,
                    birth_date=dt.date(
                        rng.randint(1965, 2000), rng.randint(1, 12), rng.randint(1, 28)
                    ),
                    hire_date=dt.date(
                        rng.randint(2005, 2025), rng.randint(1, 12), rng.randint(1, 28)
                    ),
                    education="высшее педагогическое"
                    if pedagogical
                    else "среднее профессиональное",
                    qualification_category=rng.choice(list(QualificationCategory.values))
                    if pedagogical
                    else QualificationCategory.NONE,
                    phone=fake_phone(rng),
                    snils=fake_snils(rng),
                )
            )
        for group in ctx.groups[org.pk]:
            for _ in range(2):
                last, first, middle = _person(ctx, Sex.FEMALE)
                staff_rows.append(
                    Staff(
                        organization=org,
                        last_name=last,
                        first_name=first,
                        patronymic=middle,
                        position="Воспитатель",
                        is_pedagogical=True,
                        sex=Sex.FEMALE,
                        hire_date=dt.date(rng.randint(2008, 2025), rng.randint(1, 12), 1),
                        education="высшее педагогическое",
                        qualification_category=rng.choice(["first", "highest", "compliance"]),
                        last_attestation_date=dt.date(
                            rng.randint(2021, 2025), rng.randint(1, 12), rng.randint(1, 28)
                        ),
                        phone=fake_phone(rng),
                        snils=fake_snils(rng),
                        email=f"educator{group.pk}_{_}@kavkaz-edu.example.ru",
                    )
                )
    Staff.objects.bulk_create(staff_rows, batch_size=1000)
    ctx.data["staff"] = list(
        Staff.objects.filter(organization__in=ctx.organizations).order_by("pk")
    )

    children: list[Child] = []
    placements: list[tuple[int, object, dt.date]] = []  # (child index, group, enroll date)
    guardians: list[Guardian] = []
    links: list[tuple[int, int, str]] = []  # (child index, guardian index, relation)
    certificates: set[str] = set()
    for org in ctx.organizations:
        ctx.reseed(org, "children")
        first_guardian = len(guardians)
        district = org.municipality.name if ctx.streaming else "Кавказский район"
        for group in ctx.groups[org.pk]:
            lo, hi = CATEGORY_AGES[group.age_category]
            basis = group.capacity
            if ctx.main_org is not None and org.pk == ctx.main_org.pk:
                basis = MAIN_FILL_BASIS.get(group.name, basis)  # room left for the sample list
            count = round(basis * rng.uniform(*spec["fill"]))
            family = None
            for _ in range(count):
                sex = rng.choice([Sex.MALE, Sex.FEMALE])
                last, first, middle = _person(ctx, sex)
                sibling = family is not None and family["org"] == org.pk and rng.random() < 0.5
                if sibling:
                    # a sibling in another group of the same kindergarten: share the parents
                    last = (
                        family["last_male"] if sex == Sex.MALE else _female_of(family["last_male"])
                    )
                    middle = family["middle_male" if sex == Sex.MALE else "middle_female"]
                age_days = int(rng.uniform(lo, hi) * 365.25)
                birth = start - dt.timedelta(days=age_days)
                while True:
                    series = f"{rng.choice(ROMAN)}-{rng.choice(LETTERS)}{rng.choice(LETTERS)}"
                    number = f"{rng.randint(100000, 999999)}"
                    if (org.pk, series, number) not in certificates:
                        certificates.add((org.pk, series, number))
                        break
                children.append(
                    Child(
                        organization=org,
                        last_name=last,
                        first_name=first,
                        patronymic=middle,
                        birth_date=birth,
                        sex=sex,
                        birth_certificate_series=series,
                        birth_certificate_number=number,
                        snils=fake_snils(rng),
                        address=f"Краснодарский край, {district}, {ctx.fake.street_address()}",
                        health_group=rng.choice(
                            [HealthGroup.I, HealthGroup.II, HealthGroup.II, HealthGroup.III]
                        ),
                        allergies=rng.choice(["", "", "", "", "цитрусовые", "молоко", "мёд"]),
                    )
                )
                ci = len(children) - 1
                # enrolled this September or in an earlier year if the child is old enough
                years_back = rng.choice([0, 0, 1, 1, 2]) if group.age_category != "early" else 0
                enroll = start.replace(year=start.year - years_back)
                if (enroll - birth).days < 550:
                    enroll = start
                placements.append((ci, group, enroll))
                if sibling:
                    for gi, relation in family["guardians"]:
                        links.append((ci, gi, relation))
                    family = None
                    continue
                # parents of this child
                father_last = last if sex == Sex.MALE else ctx.fake.last_name_male()
                mother = Guardian(
                    organization=org,
                    last_name=_female_of(father_last) if sex == Sex.MALE else last,
                    first_name=ctx.fake.first_name_female(),
                    patronymic=ctx.fake.middle_name_female(),
                    phone=fake_phone(rng),
                    email=f"parent{len(guardians) + 1}@mail.example.ru"
                    if not ctx.streaming
                    else f"parent{len(guardians) - first_guardian + 1}.{org.number}.{ctx.spec_of[org.pk].index}@mail.example.ru",
                    workplace=rng.choice(
                        ["ООО «Кубань-Агро»", "МБОУ СОШ № 3", "ИП", "ОАО «РЖД»", "не работает"]
                    ),
                    consent_pd=True,
                    consent_pd_date=enroll,
                )
                guardians.append(mother)
                fam_guardians = [(len(guardians) - 1, Relation.MOTHER)]
                links.append((ci, len(guardians) - 1, Relation.MOTHER))
                if rng.random() < 0.65:
                    father = Guardian(
                        organization=org,
                        last_name=father_last if sex == Sex.MALE else father_last,
                        first_name=ctx.fake.first_name_male(),
                        patronymic=ctx.fake.middle_name_male(),
                        phone=fake_phone(rng),
                        consent_pd=True,
                        consent_pd_date=enroll,
                    )
                    guardians.append(father)
                    fam_guardians.append((len(guardians) - 1, Relation.FATHER))
                    links.append((ci, len(guardians) - 1, Relation.FATHER))
                family = (
                    {
                        "org": org.pk,
                        "guardians": fam_guardians,
                        "last_male": father_last,
                        "middle_male": f"{guardians[fam_guardians[-1][0]].first_name}ович",
                        "middle_female": f"{guardians[fam_guardians[-1][0]].first_name}овна",
                    }
                    if rng.random() < 0.12
                    else None
                )
    Child.objects.bulk_create(children, batch_size=1000)
    Guardian.objects.bulk_create(guardians, batch_size=1000)
    ChildGuardian.objects.bulk_create(
        [
            ChildGuardian(child=children[ci], guardian=guardians[gi], relation=rel)
            for ci, gi, rel in links
        ],
        batch_size=2000,
        ignore_conflicts=True,
    )
    accounts = []
    counters: dict[int, int] = {}
    for child in children:
        org = child.organization
        counters[org.pk] = counters.get(org.pk, 1000) + 1
        prefix = org.account_number_pattern.replace("N", "")
        width = org.account_number_pattern.count("N")
        accounts.append(
            PersonalAccount(
                organization=org,
                child=child,
                number=f"{prefix}{counters[org.pk]:0{width}d}",
                opened_on=start,
            )
        )
    PersonalAccount.objects.bulk_create(accounts, batch_size=2000)
    ctx.data["children"] = children
    ctx.data["guardians"] = guardians
    ctx.data["placements"] = [(children[ci], group, enroll) for ci, group, enroll in placements]
    ctx.count("children", len(children))
    ctx.count("guardians", len(guardians))
    ctx.count("staff", len(staff_rows))
    ctx.detail(
        f"Личные дела: {len(children)} детей, {len(guardians)} родителей, {len(staff_rows)} сотрудников"
    )
