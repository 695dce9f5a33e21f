"""Demo district builder: the shared context, the build loop and the core part
(municipalities, kindergartens, academic years, groups).

``manage.py demo_district`` calls `run(ctx)`, which visits every app's ``demo.py`` in
INSTALLED_APPS order (core → accounts → people → movement → attendance → fees …):

- ``begin(ctx)`` once, before any organization (core creates the municipalities);
- per batch of organizations, in one transaction: ``build(ctx)`` of every app, then
  ``finish(ctx)`` of every app (accounts need the staff people built);
- ``complete(ctx)`` once, after the last batch.

Scales (`SCALES`): ``demo`` (3 kindergartens, the data the guides and browser tests show),
``district`` (30 kindergartens, ~300 groups, ~6,000 children, ~1,000 staff) and ``region``
(1,500 kindergartens in 44 municipalities, ~300,000 children; meant for PostgreSQL). The
demo and district scales are one batch; the region streams in batches of ``batch``
organizations, each committed on its own, so memory stays flat whatever the size.

Contract for an app's hooks, so they stream too: inside ``build``/``finish`` work only on
``ctx.organizations`` (the current batch), ``ctx.groups`` and ``ctx.data`` (both reset per
batch), and query by ``organization__in=ctx.organizations``, never by municipality. Call
``ctx.reseed(org, "<purpose>")`` before generating an organization's rows: at district and
region scale it reseeds ``ctx.rng`` and ``ctx.fake`` from (seed, organization, purpose), so
every organization's data is the same whatever the batch size or the organizations before
it (the district's 30 kindergartens are exactly the region's first 30). At demo scale
``reseed`` does nothing, which keeps the small demo byte-for-byte as it always was.
Per-day history is the heavy part (attendance marks: children × working days): write it
with bulk_create in batches of a few thousand rows, and at region scale keep to what the
benchmark reads (e.g. the current month) unless a full year is asked for.

Everything is deterministic for a given seed. Rows are written with bulk_create: the demo
is fixture data, not a person's actions, so it leaves no audit records.
"""

from __future__ import annotations

import datetime as dt
import random
import resource
import time
from collections.abc import Iterator
from contextlib import nullcontext
from dataclasses import dataclass, field
from typing import Any

from django.db import reset_queries, transaction
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
#: The five groups of «МБДОУ д/с № 24» (name, age category, capacity, room). The
#: capacities leave room for the 8 children per group of the sample children.xlsx (and the
#: two the browser test enrolls into «Радуга»), so its import goes through without an
#: over-capacity confirmation, as shared/samples/README.md describes.
MAIN_GROUPS = [
    ("Капелька", AgeCategory.EARLY, 20, "1"),
    ("Солнышко", AgeCategory.JUNIOR, 25, "2"),
    ("Звёздочки", AgeCategory.MIDDLE, 28, "3"),
    ("Радуга", AgeCategory.SENIOR, 32, "4"),
    ("Почемучки", AgeCategory.PREPARATORY, 30, "5"),
]
#: How many places of each main group the demo fills (0.7–0.9 of this number): the
#: capacities the demo had before the room for the sample list was added, kept so the
#: demo's children, attendance, fees and every figure built on them stay the same.
MAIN_FILL_BASIS = {"Капелька": 15, "Солнышко": 20, "Звёздочки": 22, "Радуга": 25, "Почемучки": 25}
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
    # organizations; groups per org (besides the main one); children per group as a fraction
    # of capacity; organizations per transaction (one batch when absent)
    "demo": {"organizations": 3, "groups": (4, 5), "fill": (0.7, 0.9)},
    "district": {"organizations": 30, "groups": (9, 11), "fill": (0.88, 1.0)},
    "region": {"organizations": 1500, "groups": (9, 11), "fill": (0.88, 1.0), "batch": 25},
}

#: Kindergartens of the demo municipality at region scale: the district, exactly.
REGION_DISTRICT_SIZE = 30
#: The region's other municipalities (Krasnodar Krai), after «Кавказский район»: 43 more.
REGION_MUNICIPALITIES = [
    "город Краснодар",
    "город-курорт Сочи",
    "город Новороссийск",
    "город Армавир",
    "город-курорт Анапа",
    "город-курорт Геленджик",
    "город Горячий Ключ",
    "Абинский район",
    "Апшеронский район",
    "Белоглинский район",
    "Белореченский район",
    "Брюховецкий район",
    "Выселковский район",
    "Гулькевичский район",
    "Динской район",
    "Ейский район",
    "Калининский район",
    "Каневской район",
    "Кореновский район",
    "Красноармейский район",
    "Крыловский район",
    "Крымский район",
    "Курганинский район",
    "Кущёвский район",
    "Лабинский район",
    "Ленинградский район",
    "Мостовский район",
    "Новокубанский район",
    "Новопокровский район",
    "Отрадненский район",
    "Павловский район",
    "Приморско-Ахтарский район",
    "Северский район",
    "Славянский район",
    "Староминский район",
    "Тбилисский район",
    "Темрюкский район",
    "Тимашёвский район",
    "Тихорецкий район",
    "Туапсинский район",
    "Успенский район",
    "Усть-Лабинский район",
    "Щербиновский район",
]


@dataclass(frozen=True)
class OrgSpec:
    """What the build knows of a kindergarten before creating it (cheap: 1,500 of them fit)."""

    index: int  # position in the whole build: the key of its random streams
    municipality: str
    number: int
    main: bool = False  # «МБДОУ д/с № 24» of the demo municipality, home of the demo logins

    @property
    def key(self) -> str:
        return f"{self.municipality}/{self.number}"


@dataclass
class DemoContext:
    """Shared state of one demo build; apps add what later apps need.

    ``organizations``, ``groups`` and ``data`` hold the current batch only (see the module
    docstring); ``municipalities`` and ``main_org`` live for the whole build.
    """

    scale: str = "demo"
    seed: int = 2026
    today: dt.date = field(default_factory=lambda: dt.date(2026, 11, 28))
    verbose: bool = True
    #: Override the scale's number of organizations (tests, partial region builds).
    organization_count: int | None = None
    #: Override the scale's organizations per batch.
    batch_size: int | None = None
    rng: random.Random = field(init=False)
    fake: Faker = field(init=False)
    municipality: Municipality | None = None
    municipalities: dict[str, Municipality] = field(default_factory=dict)
    organizations: list[Organization] = field(default_factory=list)
    main_org: Organization | None = None
    groups: dict[int, list[Group]] = field(default_factory=dict)  # org id → groups
    accounts: list[tuple[str, str, str, str]] = field(
        default_factory=list
    )  # login, password, role, where
    data: dict[str, Any] = field(default_factory=dict)
    specs: list[OrgSpec] = field(default_factory=list)  # the current batch's specs
    spec_of: dict[int, OrgSpec] = field(default_factory=dict)  # org id → spec (this batch)
    used_inns: dict[str, set[str]] = field(default_factory=dict)  # municipality → INNs
    totals: dict[str, int] = field(default_factory=dict)  # rows built, for the summary
    batch_count: int = 1

    def __post_init__(self):
        self.rng = random.Random(self.seed)
        self.fake = Faker("ru_RU")
        self.fake.seed_instance(self.seed)

    @property
    def spec(self) -> dict:
        return SCALES[self.scale]

    @property
    def streaming(self) -> bool:
        """True when every organization has its own random streams (district, region)."""
        return self.scale != "demo"

    @property
    def year_start(self) -> dt.date:
        start, _ = AcademicYear.bounds_for(self.today)
        return start

    def reseed(self, org: Organization | OrgSpec | str, purpose: str) -> None:
        """Reseed ``rng`` and ``fake`` in place for one organization's `purpose`.

        A no-op at demo scale (one stream for everything, as the demo always was).
        """
        if not self.streaming:
            return
        if isinstance(org, Organization):
            org = self.spec_of[org.pk]
        key = org.key if isinstance(org, OrgSpec) else org
        seed = f"{self.seed}:{key}:{purpose}"
        self.rng.seed(seed)
        self.fake.seed_instance(seed)

    def count(self, what: str, n: int) -> None:
        self.totals[what] = self.totals.get(what, 0) + n

    def log(self, message: str) -> None:
        if self.verbose:
            print(message)  # noqa: T201 - progress of a management command

    def detail(self, message: str) -> None:
        """Log a per-app line of a one-batch build (a streamed build logs per batch)."""
        if self.batch_count == 1:
            self.log(message)


def organization_specs(ctx: DemoContext) -> list[OrgSpec]:
    """Every kindergarten of the build, in creation order.

    The demo municipality comes first with «д/с № 24» and then numbers 1, 2, … (30 of them
    at region scale, the district exactly); the region's other kindergartens are spread
    evenly over `REGION_MUNICIPALITIES`, numbered from 1 in each.
    """
    total = ctx.organization_count or ctx.spec["organizations"]
    first = min(total, REGION_DISTRICT_SIZE) if ctx.scale == "region" else total
    numbers = [24] + [n for n in range(1, first + 2) if n != 24][: first - 1]
    specs = [
        OrgSpec(index=i, municipality=DEMO_MUNICIPALITY, number=n, main=n == 24)
        for i, n in enumerate(numbers)
    ]
    rest = total - first
    if rest > 0:
        per, extra = divmod(rest, len(REGION_MUNICIPALITIES))
        for m, name in enumerate(REGION_MUNICIPALITIES):
            for number in range(1, per + (1 if m < extra else 0) + 1):
                specs.append(OrgSpec(index=len(specs), municipality=name, number=number))
    return specs


def batches(ctx: DemoContext, specs: list[OrgSpec]) -> Iterator[list[OrgSpec]]:
    size = ctx.batch_size or ctx.spec.get("batch") or len(specs)
    for i in range(0, len(specs), size):
        yield specs[i : i + size]


def max_rss_mb() -> int:
    """Peak resident memory of this process, MiB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024


def run(ctx: DemoContext) -> None:
    """Build the whole demo: ``begin`` hooks, then per batch ``build`` and ``finish`` hooks of
    every app, then ``complete`` hooks (module docstring). One transaction for a one-batch
    scale (all or nothing); a transaction per batch when streaming the region."""
    from .registry import app_modules

    modules = app_modules("demo")
    specs = organization_specs(ctx)
    chunks = list(batches(ctx, specs))
    ctx.batch_count = len(chunks)
    started = time.monotonic()
    outer = transaction.atomic() if len(chunks) == 1 else nullcontext()
    with outer:
        with transaction.atomic():
            for module in modules:
                if hasattr(module, "begin"):
                    module.begin(ctx)
        for n, chunk in enumerate(chunks, start=1):
            ctx.specs = chunk
            ctx.organizations, ctx.groups, ctx.data, ctx.spec_of = [], {}, {}, {}
            with transaction.atomic():
                for hook in ("build", "finish"):
                    for module in modules:
                        if hasattr(module, hook):
                            getattr(module, hook)(ctx)
            reset_queries()  # DEBUG keeps executed SQL; a region build must not pile it up
            if len(chunks) > 1:
                ctx.log(
                    f"Пакет {n}/{len(chunks)}: ДОО {chunk[0].index + 1}–{chunk[-1].index + 1}, "
                    f"{time.monotonic() - started:.0f} с, память {max_rss_mb()} МБ"
                )
        with transaction.atomic():
            for module in modules:
                if hasattr(module, "complete"):
                    module.complete(ctx)
    ctx.data = {}


def _inn(rng: random.Random) -> str:
    """A 10-digit organization INN with valid check digit (FNS algorithm)."""
    digits = [rng.randint(0, 9) for _ in range(9)]
    digits[0:4] = [2, 3, 3, 2]  # Krasnodar Krai, Kavkazsky district tax office
    weights = [2, 4, 10, 3, 5, 9, 4, 6, 8]
    check = sum(d * w for d, w in zip(digits, weights, strict=True)) % 11 % 10
    return "".join(map(str, digits)) + str(check)


def begin(ctx: DemoContext) -> None:
    """The demo municipality (and, at region scale, the region's other municipalities)."""
    ctx.municipality = Municipality.objects.create(
        name=DEMO_MUNICIPALITY,
        region="Краснодарский край",
        time_zone="Europe/Moscow",
        department_name="Управление образования администрации муниципального образования Кавказский район",
    )
    ctx.municipalities = {DEMO_MUNICIPALITY: ctx.municipality}
    names = sorted({s.municipality for s in organization_specs(ctx)} - {DEMO_MUNICIPALITY})
    others = [
        Municipality(
            name=name,
            region="Краснодарский край",
            time_zone="Europe/Moscow",
            department_name=f"Управление образования администрации муниципального образования {name}",
        )
        for name in sorted(names, key=REGION_MUNICIPALITIES.index)
    ]
    for m in Municipality.objects.bulk_create(others):
        ctx.municipalities[m.name] = m


def _organization(ctx: DemoContext, spec: OrgSpec) -> Organization:
    rng, number, main = ctx.rng, spec.number, spec.main
    municipality = ctx.municipalities[spec.municipality]
    in_demo = spec.municipality == DEMO_MUNICIPALITY
    district = "Кавказский район" if in_demo else spec.municipality
    kind = "МБДОУ" if spec.index % 3 != 2 else "МАДОУ"
    short = f"{kind} д/с № {number}"
    town = (
        "ст. Кавказская"
        if main
        else ctx.rng.choice(["г. Кропоткин", "ст. Кавказская", "пос. Мирской", "ст. Темижбекская"])
        if in_demo
        else f"{ctx.fake.city_name()}"
    )
    used = ctx.used_inns.setdefault(spec.municipality, set())
    inn = "2332000000" if main else _inn(rng)
    while inn in used:
        inn = _inn(rng)
    used.add(inn)
    mun_no = REGION_MUNICIPALITIES.index(spec.municipality) + 1 if not in_demo else 0
    return Organization(
        municipality=municipality,
        full_name=(
            f"Муниципальное {'бюджетное' if kind == 'МБДОУ' else 'автономное'} дошкольное "
            f"образовательное учреждение детский сад № {number} муниципального образования {district}"
        ),
        short_name=short,
        number=str(number),
        inn=inn,
        kpp="233201001",
        ogrn=f"10223{rng.randint(10**7, 10**8 - 1)}",
        okpo=f"{rng.randint(10**7, 10**8 - 1)}",
        oktmo="03621000" if in_demo else f"03{600 + mun_no}000",
        address=f"352140, Краснодарский край, {district}, {town}, ул. {ctx.fake.street_title()}, д. {rng.randint(1, 120)}",
        head_name=surname_first(ctx.fake.name_female()),
        phone=f"+7 861 93{rng.randint(10000, 99999)}",
        email=f"ds{number}@kavkaz-edu.example.ru"
        if in_demo
        else f"ds{number}.m{mun_no}@edu.example.ru",
        licence_number=f"0{rng.randint(1000, 9999)}",
        licence_date=dt.date(2016, 3, rng.randint(1, 28)),
        # «кем выдана»: in the instrumental case, as the contract says «…, выданной …»
        licence_issuer="министерством образования, науки и молодёжной политики Краснодарского края",
        payee_name=f"УФК по Краснодарскому краю ({short})",
        bank_name="ЮЖНОЕ ГУ БАНКА РОССИИ//УФК по Краснодарскому краю г. Краснодар"[:45],
        bik="010349101",
        bank_account="03234643036160001800"
        if main
        else f"032346430361600{rng.randint(10000, 99999)}",
        correspondent_account="40102810945370000010",
        kbk="92530201995050000130",
        account_number_pattern=f"{number:02d}NNNN" if number < 100 else "NNNNNN",
    )


def _groups(ctx: DemoContext, org: Organization, spec: OrgSpec) -> list[Group]:
    if spec.main:
        return [
            Group(
                organization=org,
                name=name,
                age_category=category,
                capacity=capacity,
                room=f"Групповая № {room}",
                regime=Regime.FULL,
                orientation=Orientation.GENERAL,
            )
            for name, category, capacity, room in MAIN_GROUPS
        ]
    groups = []
    count = ctx.rng.randint(*ctx.spec["groups"])
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
    return groups


def build(ctx: DemoContext) -> None:
    """The batch's kindergartens with requisites, academic years and groups."""
    orgs = []
    for spec in ctx.specs:
        ctx.reseed(spec, "organization")
        orgs.append(_organization(ctx, spec))
    Organization.objects.bulk_create(orgs)
    ctx.organizations = list(
        Organization.objects.filter(pk__in=[o.pk for o in orgs])
        .select_related("municipality")
        .order_by("pk")
    )
    ctx.spec_of = {o.pk: s for o, s in zip(ctx.organizations, ctx.specs, strict=True)}
    if ctx.main_org is None:
        ctx.main_org = next((o for o in ctx.organizations if ctx.spec_of[o.pk].main), None)

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
        spec = ctx.spec_of[org.pk]
        ctx.reseed(spec, "groups")
        groups.extend(_groups(ctx, org, spec))
    Group.objects.bulk_create(groups, batch_size=1000)
    by_pk = {o.pk: o for o in ctx.organizations}
    for g in Group.objects.filter(organization__in=ctx.organizations).order_by("pk"):
        g.organization = by_pk[g.organization_id]
        ctx.groups.setdefault(g.organization_id, []).append(g)
    ctx.count("organizations", len(orgs))
    ctx.count("groups", len(groups))
    ctx.detail(
        f"Муниципалитет «{ctx.municipality}»: {len(ctx.organizations)} ДОО, {len(groups)} групп"
    )
