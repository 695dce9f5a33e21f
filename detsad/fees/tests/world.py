"""Fee reference data for the shared test world (hook ``build(world)``; idempotent).

For the world's first municipality: absence reasons with their validity (Б, О, С valid;
Н not), the charging rules from September 2025 (``per_day_attended``, largest benefit
only, due by the 10th of the month), the benefit kinds of the law (273-FZ art. 65 part 3,
100 %) and two municipal discounts (large family 50 %, kindergarten employee 30 %, case
C10), and the compensation settings (average fee 2 900.00; 20/50/70 %). Tariffs are set
by each test, since the cases use different rates.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from detsad.attendance.models import AbsenceReason
from detsad.fees.models import Benefit, CompensationSetting, FeeSettings

REASONS = [
    ("Б", "болезнь", True, True),
    ("О", "отпуск родителей", True, False),
    ("С", "санаторно-курортное лечение", True, False),
    ("Н", "без уважительной причины", False, False),
]
LAW_BENEFITS = [
    "Ребёнок-инвалид",
    "Ребёнок-сирота, ребёнок, оставшийся без попечения родителей",
    "Ребёнок с туберкулёзной интоксикацией",
]
MUNICIPAL_BENEFITS = [("Многодетная семья", Decimal("50")), ("Сотрудник ДОУ", Decimal("30"))]
START = dt.date(2025, 9, 1)


def build(world) -> None:
    municipality = world.municipality
    for i, (code, name, valid, illness) in enumerate(REASONS):
        AbsenceReason.objects.get_or_create(
            municipality=municipality,
            code=code,
            defaults={"name": name, "is_valid": valid, "is_illness": illness, "ordering": i},
        )
    FeeSettings.objects.get_or_create(
        municipality=municipality,
        organization=None,
        valid_from=START,
        defaults={"policy": "per_day_attended", "due_day": 10, "due_month": "current"},
    )
    for name in LAW_BENEFITS:
        Benefit.objects.get_or_create(
            municipality=municipality,
            name=name,
            defaults={
                "kind": Benefit.Kind.LAW_EXEMPTION,
                "percent": Decimal("100"),
                "basis": "273-ФЗ, ст. 65, ч. 3",
            },
        )
    for name, percent in MUNICIPAL_BENEFITS:
        Benefit.objects.get_or_create(
            municipality=municipality,
            name=name,
            defaults={"kind": Benefit.Kind.MUNICIPAL, "percent": percent},
        )
    CompensationSetting.objects.get_or_create(
        municipality=municipality,
        valid_from=START,
        defaults={"average_fee": 290000, "basis": "постановление главы администрации"},
    )
