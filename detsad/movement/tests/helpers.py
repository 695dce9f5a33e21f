"""Small builders for movement tests (rows the world does not have)."""

import datetime as dt

from detsad.movement import services
from detsad.movement.models import Order
from detsad.people.models import Child, ChildGuardian, Guardian, Relation, Sex

D = dt.date


def new_child(ow, last="Кузнецов", first="Артём", patronymic="Олегович", sex=Sex.MALE, birth=None):
    """A child's file in organization world `ow`, not enrolled anywhere."""
    n = Child.objects.count() + 1
    return Child.objects.create(
        organization=ow.org,
        last_name=last,
        first_name=first,
        patronymic=patronymic,
        sex=sex,
        birth_date=birth or D(2021, 4, 10),
        birth_certificate_series="II-АГ",
        birth_certificate_number=f"t{n:06d}",
        address="352140, Краснодарский край, ст. Кавказская, ул. Мира, д. 5",
    )


def add_mother(child, last="Кузнецова", first="Ольга", patronymic="Игоревна"):
    guardian = Guardian.objects.create(
        organization=child.organization,
        last_name=last,
        first_name=first,
        patronymic=patronymic,
        phone="+79181234567",
    )
    ChildGuardian.objects.create(child=child, guardian=guardian, relation=Relation.MOTHER)
    return guardian


def order(actor, ow, number, day, kind=Order.Kind.ENROLL):
    return services.order_create(
        actor=actor, organization=ow.org, number=number, date=day, kind=kind
    )
